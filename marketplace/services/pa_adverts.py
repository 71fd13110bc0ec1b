"""Writes for PA recruitment: adverts, sending them to PAs, replies, meetings, the employer's checklist,
and unanswered adverts counted as demand signals.

Pay below the council's National Living Wage is refused (brokerage's policy for the financial year of
the start date). Everyone an action waits on is told through the notification service.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.events import audit_record
from accounts.models import User
from accounts.notifications import notification_send, notification_send_many
from brokerage.models import PersonSupported
from brokerage.selectors.config import policy_for_year
from brokerage.services.consent import consent_holder, financial_year_of
from marketplace.models import (
    AdvertStatus,
    ClosedReason,
    EmployerChecklist,
    MeetingStatus,
    PAAdvert,
    PAAdvertRecipient,
    PAMeeting,
    PAReply,
    ReplyStatus,
)
from marketplace.pa_advert_selectors import pas_covering
from providers.models import PersonalAssistantProfile
from search.models import DemandSignal
from search.privacy import search_words_scrub

ADVERT_FIELDS = (
    "title",
    "hours_per_week",
    "days_and_times",
    "postcode_district",
    "tasks",
    "skills_wanted",
    "hourly_pay",
    "start_date",
    "about_family",
    "closing_date",
)


def national_living_wage_for(*, person: PersonSupported, day: date) -> Decimal:
    return policy_for_year(council=person.council, financial_year=financial_year_of(day)).national_living_wage


def _advert_check(advert: PAAdvert) -> None:
    wage = national_living_wage_for(person=advert.person, day=advert.start_date)
    if advert.hourly_pay < wage:
        raise ValidationError(
            {"hourly_pay": f"Pay must be at least the National Living Wage, £{wage} an hour, from the start date"}
        )
    if advert.closing_date > advert.start_date + timedelta(days=365) or advert.closing_date < advert.created_at.date():
        raise ValidationError({"closing_date": "The closing date must be from today and within a year of the start"})
    advert.postcode_district = advert.postcode_district.strip().upper()
    advert.full_clean()


@transaction.atomic
def pa_advert_create(*, person: PersonSupported, actor: User, **fields: Any) -> PAAdvert:
    advert = PAAdvert(person=person, council=person.council, created_by=actor, **_advert_values(fields))
    _advert_check(advert)
    advert.save()
    audit_record(
        actor=actor, action="pa_advert.created", target=advert, summary=f"PA advert '{advert}'", council=advert.council
    )
    return advert


@transaction.atomic
def pa_advert_update(*, advert: PAAdvert, actor: User, **fields: Any) -> PAAdvert:
    if advert.status == AdvertStatus.CLOSED:
        raise ValidationError("This advert is closed: write a new one")
    for name, value in _advert_values(fields).items():
        setattr(advert, name, value)
    _advert_check(advert)
    advert.save()
    audit_record(
        actor=actor, action="pa_advert.changed", target=advert, summary=f"PA advert '{advert}'", council=advert.council
    )
    return advert


def _advert_values(fields: dict[str, Any]) -> dict[str, Any]:
    unknown = set(fields) - set(ADVERT_FIELDS)
    if unknown:
        raise TypeError(f"Not advert fields: {sorted(unknown)}")
    return fields


@transaction.atomic
def pa_advert_open(*, advert: PAAdvert, actor: User) -> PAAdvert:
    """Open a draft: PAs it is sent to, or who cover its area once published, can see it and reply."""
    if advert.status == AdvertStatus.OPEN:
        return advert
    if advert.status != AdvertStatus.DRAFT:
        raise ValidationError("Only a draft advert can be opened")
    advert.status = AdvertStatus.OPEN
    advert.opened_at = timezone.now()
    advert.save(update_fields=["status", "opened_at"])
    audit_record(
        actor=actor,
        action="pa_advert.opened",
        target=advert,
        summary=f"PA advert '{advert}' opened",
        council=advert.council,
    )
    return advert


@transaction.atomic
def pa_advert_close(*, advert: PAAdvert, actor: User, reason: str) -> PAAdvert:
    if reason not in ClosedReason.values:
        raise ValidationError({"reason": "Choose whether the job was filled or you are withdrawing the advert"})
    if advert.status == AdvertStatus.CLOSED:
        raise ValidationError("This advert is already closed")
    advert.status = AdvertStatus.CLOSED
    advert.closed_reason = reason
    advert.closed_at = timezone.now()
    advert.save(update_fields=["status", "closed_reason", "closed_at"])
    audit_record(
        actor=actor,
        action="pa_advert.closed",
        target=advert,
        summary=f"PA advert '{advert}' closed: {advert.get_closed_reason_display().lower()}",
        council=advert.council,
    )
    return advert


@transaction.atomic
def pa_advert_send(
    *, advert: PAAdvert, actor: User, pas: list[PersonalAssistantProfile], publish_to_area: bool
) -> list[PAAdvertRecipient]:
    """Send the advert to the chosen PAs and, when asked, to every published PA covering its area.

    A draft is opened first. Each PA is told once, however often the advert is sent to them.
    """
    if not pas and not publish_to_area:
        raise ValidationError({"pas": "Choose at least one PA, or publish the advert to PAs in the area"})
    pa_advert_open(advert=advert, actor=actor)
    if advert.status != AdvertStatus.OPEN:
        raise ValidationError("This advert is closed")
    already = set(advert.recipients.values_list("pa_id", flat=True))
    chosen = [(pa, PAAdvertRecipient.Via.CHOSEN) for pa in pas]
    if publish_to_area and not advert.published_to_area:
        advert.published_to_area = True
        advert.save(update_fields=["published_to_area"])
        chosen += [(pa, PAAdvertRecipient.Via.AREA) for pa in pas_covering(advert.postcode_district)]
    new: dict[int, PAAdvertRecipient] = {}
    for pa, via in chosen:
        if pa.pk not in already and pa.pk not in new:
            new[pa.pk] = PAAdvertRecipient(advert=advert, pa=pa, via=via, sent_by=actor)
    recipients = PAAdvertRecipient.objects.bulk_create(new.values())
    if recipients:
        notification_send_many(
            recipients=User.objects.filter(pa_profile__pk__in=[recipient.pa_id for recipient in recipients]),
            subject=f"A family in {advert.postcode_district} is looking for a PA",
            body=(
                f"'{advert.title}': {advert.hours_per_week} hours a week at £{advert.hourly_pay} an hour. "
                f"Replies close on {advert.closing_date:%d %B %Y}."
            ),
            link=reverse("marketplace:pa-advert-for-you", args=[advert.public_id]),
        )
    audit_record(
        actor=actor,
        action="pa_advert.sent",
        target=advert,
        summary=f"PA advert '{advert}' sent to {len(recipients)} PA(s)"
        + (" and published to the area" if publish_to_area else ""),
        council=advert.council,
    )
    return recipients


def _family_of(advert: PAAdvert) -> list[User]:
    """Who is told about replies: whoever wrote the advert, and whoever holds consent for the person now."""
    holder = consent_holder(advert.person)
    people = [user for user in (advert.created_by, holder.user if holder else None) if user is not None]
    return people


@transaction.atomic
def pa_reply_send(*, advert: PAAdvert, pa: PersonalAssistantProfile, message: str, availability: str) -> PAReply:
    """A PA answers an advert they were sent or that covers their area: once per advert."""
    PAAdvert.objects.select_for_update().filter(pk=advert.pk).first()
    if advert.status != AdvertStatus.OPEN or advert.closing_date < timezone.localdate():
        raise ValidationError("This advert is no longer taking replies")
    if PAReply.objects.filter(advert=advert, pa=pa).exists():
        raise ValidationError("You have already replied to this advert")
    reply = PAReply(advert=advert, pa=pa, message=message.strip(), availability=availability.strip())
    reply.full_clean()
    reply.save()
    notification_send_many(
        recipients=_family_of(advert),
        subject=f"{pa.display_name} replied to your PA advert",
        body=f"{pa.display_name} replied to '{advert.title}'. Read the reply and decide whether to meet.",
        link=reverse("marketplace:pa-reply", args=[reply.public_id]),
    )
    audit_record(
        actor=pa.user, action="pa_reply.sent", target=reply, summary=f"Reply to '{advert}'", council=advert.council
    )
    return reply


@transaction.atomic
def pa_reply_shortlist(*, reply: PAReply, actor: User) -> PAReply:
    if reply.status == ReplyStatus.DECLINED:
        raise ValidationError("You have said no to this PA")
    reply.status = ReplyStatus.SHORTLISTED
    reply.save(update_fields=["status"])
    audit_record(
        actor=actor,
        action="pa_reply.shortlisted",
        target=reply,
        summary=f"{reply.pa} shortlisted for '{reply.advert}'",
        council=reply.advert.council,
    )
    return reply


@transaction.atomic
def pa_reply_decline(*, reply: PAReply, actor: User, message: str) -> PAReply:
    """Say no politely: the PA is told, with the family's words if they wrote any."""
    if reply.status == ReplyStatus.DECLINED:
        return reply
    reply.status = ReplyStatus.DECLINED
    reply.decline_message = message.strip()
    reply.save(update_fields=["status", "decline_message"])
    body = f"Thank you for replying to '{reply.advert.title}'. The family has decided not to take this further."
    if reply.decline_message:
        body += f"\n\nThey wrote: {reply.decline_message}"
    notification_send(
        recipient=reply.pa.user,
        subject="A family has replied to your application",
        body=body,
        link=reverse("marketplace:pa-advert-for-you", args=[reply.advert.public_id]),
    )
    audit_record(
        actor=actor,
        action="pa_reply.declined",
        target=reply,
        summary=f"{reply.pa} declined for '{reply.advert}'",
        council=reply.advert.council,
    )
    return reply


@transaction.atomic
def pa_meeting_arrange(
    *, reply: PAReply, actor: User, starts_at: datetime, by_video: bool, place: str, note: str
) -> PAMeeting:
    if reply.status == ReplyStatus.DECLINED:
        raise ValidationError("You have said no to this PA")
    if starts_at <= timezone.now():
        raise ValidationError({"starts_at": "The meeting must be in the future"})
    if not place.strip():
        raise ValidationError({"place": "Enter where you will meet, or the video call link"})
    meeting = PAMeeting(
        reply=reply, starts_at=starts_at, by_video=by_video, place=place.strip(), note=note.strip(), arranged_by=actor
    )
    meeting.full_clean()
    meeting.save()
    if reply.status == ReplyStatus.RECEIVED:
        pa_reply_shortlist(reply=reply, actor=actor)
    when = timezone.localtime(starts_at)
    notification_send(
        recipient=reply.pa.user,
        subject="A family would like to meet you",
        body=(
            f"About '{reply.advert.title}': {when:%A %d %B %Y at %H:%M}, "
            f"{'by video call' if by_video else 'at ' + meeting.place}. Accept, or ask for another time."
        ),
        link=reverse("marketplace:pa-advert-for-you", args=[reply.advert.public_id]),
    )
    audit_record(
        actor=actor,
        action="pa_meeting.arranged",
        target=reply,
        summary=f"Meeting with {reply.pa} on {when:%d %B %Y %H:%M}",
        council=reply.advert.council,
    )
    return meeting


@transaction.atomic
def pa_meeting_respond(*, meeting: PAMeeting, pa: PersonalAssistantProfile, accept: bool, note: str) -> PAMeeting:
    if meeting.reply.pa_id != pa.pk:
        raise ValidationError("This meeting is not yours")
    if meeting.status != MeetingStatus.PROPOSED:
        raise ValidationError("You have already answered this meeting")
    if not accept and not note.strip():
        raise ValidationError({"note": "Say which times would suit you"})
    meeting.status = MeetingStatus.ACCEPTED if accept else MeetingStatus.ANOTHER_TIME
    meeting.pa_note = note.strip()
    meeting.save(update_fields=["status", "pa_note"])
    advert = meeting.reply.advert
    answer = "accepted the meeting" if accept else "asked for another time"
    notification_send_many(
        recipients=_family_of(advert),
        subject=f"{pa.display_name} {answer}",
        body=f"About '{advert.title}'. " + (f"They wrote: {meeting.pa_note}" if meeting.pa_note else ""),
        link=reverse("marketplace:pa-reply", args=[meeting.reply.public_id]),
    )
    audit_record(
        actor=pa.user, action="pa_meeting.answered", target=meeting.reply, summary=answer, council=advert.council
    )
    return meeting


CHECKLIST_FIELDS = (
    "right_to_work_checked_on",
    "right_to_work_document",
    "dbs_umbrella_body",
    "dbs_applied_on",
    "dbs_received_on",
    "insurer",
    "insurance_ends_on",
    "payroll_service",
    "contract_signed_on",
)


@transaction.atomic
def employer_checklist_save(*, reply: PAReply, actor: User, **fields: Any) -> EmployerChecklist:
    """Record the employer's checks for a PA the family takes on or is considering."""
    unknown = set(fields) - set(CHECKLIST_FIELDS)
    if unknown:
        raise TypeError(f"Not checklist fields: {sorted(unknown)}")
    if reply.status == ReplyStatus.DECLINED:
        raise ValidationError("You have said no to this PA")
    checklist, _ = EmployerChecklist.objects.get_or_create(reply=reply)
    for name, value in fields.items():
        setattr(checklist, name, value)
    if checklist.dbs_received_on and checklist.dbs_applied_on and checklist.dbs_received_on < checklist.dbs_applied_on:
        raise ValidationError({"dbs_received_on": "The certificate cannot come before the application"})
    checklist.updated_by = actor
    checklist.updated_at = timezone.now()
    checklist.full_clean()
    checklist.save()
    done = sum(checklist.items_done().values())
    audit_record(
        actor=actor,
        action="pa_checklist.saved",
        target=reply,
        summary=f"Employer's checklist for {reply.pa}: {done} of {len(checklist.items_done())} done",
        council=reply.advert.council,
    )
    return checklist


# --- Unanswered adverts as demand signals -------------------------------------------------------------


@dataclass(frozen=True)
class UnansweredRun:
    checked: int
    counted: int


def pa_adverts_unanswered(*, dry_run: bool = False) -> UnansweredRun:
    """Count every advert open more than PA_ADVERT_NO_REPLY_DAYS with no reply as a demand signal, once.

    The signal keeps the advert's tasks and skills scrubbed as search scrubs words, its postcode district,
    council code and month: nothing that identifies the family.
    """
    cutoff = timezone.now() - timedelta(days=settings.PA_ADVERT_NO_REPLY_DAYS)
    due = list(
        PAAdvert.objects.filter(
            status=AdvertStatus.OPEN, opened_at__lte=cutoff, demand_counted_at__isnull=True, replies__isnull=True
        )
        .select_related("council")
        .order_by("pk")
    )
    if dry_run:
        return UnansweredRun(checked=len(due), counted=0)
    counted = sum(1 for advert in due if _advert_count(advert.pk))
    return UnansweredRun(checked=len(due), counted=counted)


@transaction.atomic
def _advert_count(advert_pk: int) -> bool:
    # Locked and re-read, so that two runs at once count an advert once.
    advert = PAAdvert.objects.select_for_update().select_related("council").get(pk=advert_pk)
    if advert.demand_counted_at is not None or advert.replies.exists():
        return False
    now = timezone.now()
    signal = DemandSignal(
        source=DemandSignal.Source.PA_ADVERT,
        text=search_words_scrub(f"{advert.tasks} {advert.skills_wanted}"),
        filters={"provider_kind": "personal_assistant"},
        postcode_district=advert.postcode_district,
        council_code=advert.council.ons_code,
        month=timezone.localdate(now).replace(day=1),
        results=0,
    )
    signal.full_clean()
    signal.save()
    advert.demand_counted_at = now
    advert.save(update_fields=["demand_counted_at"])
    return True
