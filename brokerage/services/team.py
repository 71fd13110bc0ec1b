"""The team around the child: members added with the family's consent, and meetings with decisions."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.events import audit_record
from accounts.models import User
from brokerage.models import PersonSupported, TeamMeeting, TeamMember


@transaction.atomic
def team_member_add(
    *,
    person: PersonSupported,
    actor: User,
    name: str,
    role: str,
    organisation_name: str = "",
    family_consented: bool,
) -> TeamMember:
    """Add a practitioner to the team; the family must have agreed to each member."""
    if not family_consented:
        raise ValidationError({"family_consented": "Add someone only once the family has agreed"})
    member = TeamMember(
        person=person, name=name.strip(), role=role.strip(), organisation_name=organisation_name.strip()
    )
    member.family_consented = True
    member.full_clean()
    member.save()
    audit_record(
        actor=actor,
        action="team.member_added",
        target=person,
        council=person.council,
        summary=f"Added {member} to the team around {person.first_name}, with the family's consent",
    )
    return member


@transaction.atomic
def team_meeting_record(
    *,
    person: PersonSupported,
    actor: User,
    held_on: date,
    decisions: str,
    attendees: list[TeamMember],
    lead_professional_confirmed: bool = False,
) -> TeamMeeting:
    if any(member.person_id != person.pk for member in attendees):
        raise ValidationError({"attendees": "Choose members of this team"})
    meeting = TeamMeeting(
        person=person,
        held_on=held_on,
        decisions=decisions,
        recorded_by=actor,
        lead_professional_confirmed=person.lead_professional if lead_professional_confirmed else None,
    )
    meeting.full_clean()
    meeting.save()
    meeting.attendees.set(attendees)
    audit_record(
        actor=actor,
        action="team.meeting_recorded",
        target=person,
        council=person.council,
        summary=f"Recorded the team meeting of {held_on:%d %B %Y} for {person.first_name}",
    )
    return meeting
