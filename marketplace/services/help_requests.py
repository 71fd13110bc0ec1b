"""A family asks for help, and the practitioner answers.

The consent holder asks a named lead professional or broker who can see the record, or the council's
brokers when they have nobody yet; every recipient is told through the notification service (by email,
or by text message where they chose it), with a link to the request. The answer is a short note, and the
family is told. Both are audited.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.events import audit_record
from accounts.models import User
from accounts.notifications import notification_send, notification_send_many
from brokerage.models import PersonSupported
from brokerage.selectors.people import is_family_of
from marketplace.family_selectors import council_brokers, help_choices
from marketplace.models import HelpRequest


@transaction.atomic
def help_request_ask(
    *, person: PersonSupported, holder: User, to_user: User | None, message: str, contact_by: str
) -> HelpRequest:
    """Record the family's request and tell whoever it went to (the council's brokers when ``to_user`` is None)."""
    if not is_family_of(user=holder, person=person):
        raise ValidationError("Only the person who holds consent can ask for help here")
    if to_user is not None and to_user not in [choice.user for choice in help_choices(person)]:
        raise ValidationError("You can ask only someone who can see your record, or the council's brokers")
    recipients = [to_user] if to_user is not None else council_brokers(person.council)
    if not recipients:
        raise ValidationError(f"{person.council.name} has no brokers on this website yet: ask your lead professional")
    help_request = HelpRequest(
        person=person,
        from_user=holder,
        to_user=to_user,
        to_council=person.council,
        message=message.strip(),
        contact_by=contact_by,
    )
    help_request.full_clean()
    help_request.save()
    notification_send_many(
        recipients=recipients,
        subject=f"{holder.get_full_name() or holder.email} asks for help with {person.first_name}'s support",
        body=(
            f"{help_request.message}\n\nThey would like you to reply {help_request.get_contact_by_display().lower()}."
        ),
        link=reverse("marketplace:help-request", args=[help_request.public_id]),
    )
    audit_record(
        actor=holder,
        action="family.help_asked",
        target=person,
        summary=f"Help asked for {person} from {to_user or f'the brokers of {person.council.name}'}",
        council=person.council,
    )
    return help_request


@transaction.atomic
def help_request_answer(*, help_request: HelpRequest, actor: User, answer: str) -> HelpRequest:
    """Mark the request answered with a note, and tell the family. A request is answered once."""
    # Lock the row: two brokers of the council may answer the same request at the same moment.
    locked = HelpRequest.objects.select_for_update().select_related("person", "from_user").get(pk=help_request.pk)
    if locked.answered_at is not None:
        raise ValidationError(f"{locked.answered_by} answered this request already")
    locked.answer = answer.strip()
    locked.answered_at = timezone.now()
    locked.answered_by = actor
    locked.full_clean()
    locked.save(update_fields=["answer", "answered_at", "answered_by"])
    notification_send(
        recipient=locked.from_user,
        subject=f"{actor.get_full_name() or actor.email} answered your request for help",
        body=locked.answer,
        link=reverse("marketplace:my-help", args=[locked.person.public_id]),
    )
    audit_record(
        actor=actor,
        action="family.help_answered",
        target=locked.person,
        summary=f"Request for help with {locked.person} answered by {actor}",
        council=locked.person.council,
    )
    return locked
