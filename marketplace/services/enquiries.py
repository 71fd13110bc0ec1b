"""Writes for enquiries: sending one, posting and reporting messages, closing the conversation.

The enquiry's status says whose turn it is: ``open`` waits for the provider, ``answered`` for the
enquirer; ``closed`` takes no more messages. Only ``_enquiry_status_move`` changes it, through the
transitions table. Every change is audited, and everyone who can see the thread is told of a new
message, including the consent holder of a child under 18.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import PurePath

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.events import audit_record
from accounts.models import Membership, User
from accounts.notifications import notification_send_many
from accounts.roles import Role
from brokerage.models import PersonSupported
from brokerage.selectors.people import people_for_user
from marketplace.enquiry_selectors import (
    ENQUIRER_ROLES,
    enquiry_consent_reader,
    enquiry_is_visible_to,
    enquiry_provider_users,
    enquiry_side_of,
    report_officers,
)
from marketplace.models import Enquiry, EnquiryReadState, EnquiryStatus, Message, MessageReport, ThreadSide
from providers.exceptions import UploadRejected
from providers.models import Offer, Upload
from providers.selectors.public import public_offers
from providers.services.uploads import upload_store

TRANSITIONS: dict[str, frozenset[str]] = {
    EnquiryStatus.OPEN: frozenset({EnquiryStatus.ANSWERED, EnquiryStatus.CLOSED}),
    EnquiryStatus.ANSWERED: frozenset({EnquiryStatus.OPEN, EnquiryStatus.CLOSED}),
    EnquiryStatus.CLOSED: frozenset(),
}
# A message can carry a document or a photo; each is checked as the providers' uploads are.
ATTACHMENT_PURPOSES = {
    ".pdf": Upload.Purpose.DOCUMENT,
    ".png": Upload.Purpose.PHOTO,
    ".jpg": Upload.Purpose.PHOTO,
    ".jpeg": Upload.Purpose.PHOTO,
}
SHAREABLE = ("first_name", "age", "needs", "area")


@dataclass(frozen=True)
class Shared:
    """What the enquirer chose to tell the provider about the person: copied onto the enquiry."""

    first_name: str = ""
    age: int | None = None
    needs: str = ""
    area: str = ""


# --- Sending an enquiry --------------------------------------------------------------------------------


@transaction.atomic
def enquiry_send(
    *,
    enquirer: User,
    membership: Membership,
    offer: Offer,
    question: str,
    person: PersonSupported | None = None,
    share: Iterable[str] = (),
) -> Enquiry:
    """Ask the provider of a published offer a question, sharing only the chosen details of the person.

    A young person's enquiry is always about themselves, so that while they are under 18 their consent
    holder can read the conversation.
    """
    _enquirer_check(enquirer=enquirer, membership=membership, offer=offer)
    person = _enquiry_person(enquirer=enquirer, membership=membership, person=person)
    share = frozenset(share)
    if share and person is None:
        raise ValidationError({"share": "Choose who your question is about, or do not share any details"})
    body = _message_body(question, field="question")
    shared = shared_details(person, share) if person else Shared()
    now = timezone.now()
    enquiry = Enquiry(
        offer=offer,
        provider_organisation=offer.organisation,
        provider_personal_assistant=offer.personal_assistant,
        enquirer=enquirer,
        enquirer_membership=membership,
        council=person.council if person else membership.council,
        person=person,
        shared_first_name=shared.first_name,
        shared_age=shared.age,
        shared_needs=shared.needs,
        shared_area=shared.area,
        status=EnquiryStatus.OPEN,
        status_changed_at=now,
        last_message_at=now,
        created_at=now,
    )
    enquiry.full_clean()
    enquiry.save()
    message = _message_create(enquiry=enquiry, sender=enquirer, side=ThreadSide.ENQUIRER, body=body, at=now)
    _read_state_set(enquiry=enquiry, user=enquirer, at=now)
    audit_record(
        actor=enquirer,
        action="enquiry.sent",
        target=enquiry,
        council=enquiry.council,
        summary=f"Sent an enquiry about {offer}",
        data={"offer": str(offer.public_id), "shared": sorted(share), "message": str(message.public_id)},
    )
    _notify(
        recipients=enquiry_provider_users(enquiry),
        sender=enquirer,
        subject=f"New enquiry about {offer}",
        body=f"You have a new enquiry about {offer}. Read it and reply on the site.",
        enquiry=enquiry,
    )
    _consent_reader_notify(enquiry=enquiry, sender=enquirer, subject=f"New enquiry about {offer}")
    return enquiry


def shared_details(person: PersonSupported, share: frozenset[str]) -> Shared:
    unknown = share - set(SHAREABLE)
    if unknown:
        raise ValidationError({"share": "Choose what to share from the list"})
    needs = ", ".join(term.name for term in person.needs.filter(is_active=True).order_by("name"))
    return Shared(
        first_name=person.first_name if "first_name" in share else "",
        age=person.age_on(timezone.localdate()) if "age" in share else None,
        needs=needs if "needs" in share else "",
        area=person.postcode.split(" ")[0] if "area" in share and person.postcode else "",
    )


def _enquirer_check(*, enquirer: User, membership: Membership, offer: Offer) -> None:
    if membership.user_id != enquirer.pk or membership.role not in ENQUIRER_ROLES or not membership.is_active:
        raise PermissionDenied("Only families, young people, brokers and lead professionals send enquiries")
    if not public_offers().filter(pk=offer.pk).exists():
        raise ValidationError("This offer is no longer listed, so you cannot ask about it")
    is_own_pa_offer = offer.personal_assistant_id and offer.personal_assistant.user_id == enquirer.pk
    is_own_organisation = (
        offer.organisation_id
        and Membership.objects.active().filter(user=enquirer, organisation_id=offer.organisation_id).exists()
    )
    if is_own_pa_offer or is_own_organisation:
        raise ValidationError("This is your own offer: you cannot send an enquiry about it")


def _enquiry_person(
    *, enquirer: User, membership: Membership, person: PersonSupported | None
) -> PersonSupported | None:
    if membership.role == Role.YOUNG_PERSON:
        own_record = PersonSupported.objects.filter(young_person_user=enquirer).first()
        if own_record is None:
            raise ValidationError(
                "Your account is not linked to your record yet. Ask your lead professional to link it, "
                "then you can send enquiries"
            )
        return own_record
    if person is None:
        return None
    council = membership.council
    if council is None or not people_for_user(user=enquirer, council=council).filter(pk=person.pk).exists():
        raise ValidationError({"person": "Choose someone whose records you can see"})
    return person


# --- Messages ------------------------------------------------------------------------------------------


@transaction.atomic
def message_post(*, enquiry: Enquiry, sender: User, body: str, attachment: UploadedFile | None = None) -> Message:
    """Add a message to the thread for the sender's side; the other side (and the consent holder of a
    child under 18) is told."""
    enquiry = _enquiry_locked(enquiry)
    side = enquiry_side_of(enquiry=enquiry, user=sender)
    if side is None:
        raise PermissionDenied("Only the people in this conversation can write in it")
    if enquiry.status == EnquiryStatus.CLOSED:
        raise ValidationError("This conversation is closed. Send a new enquiry to ask something else")
    text = _message_body(body, field="body")
    upload = message_attachment_store(sender=sender, file=attachment) if attachment else None
    now = timezone.now()
    message = _message_create(enquiry=enquiry, sender=sender, side=side, body=text, attachment=upload, at=now)
    next_status = EnquiryStatus.ANSWERED if side == ThreadSide.PROVIDER else EnquiryStatus.OPEN
    if enquiry.status != next_status:
        _enquiry_status_move(enquiry=enquiry, to=next_status, actor=sender, at=now)
    enquiry.last_message_at = now
    enquiry.save(update_fields=["last_message_at"])
    _read_state_set(enquiry=enquiry, user=sender, at=now)
    audit_record(
        actor=sender,
        action="enquiry.message_posted",
        target=enquiry,
        council=enquiry.council,
        summary=f"Wrote in the enquiry about {enquiry.offer}",
        data={"message": str(message.public_id), "side": side, "attachment": bool(upload)},
    )
    other_side = [enquiry.enquirer] if side == ThreadSide.PROVIDER else enquiry_provider_users(enquiry)
    _notify(
        recipients=other_side,
        sender=sender,
        subject=f"New message about {enquiry.offer}",
        body=f"There is a new message in the enquiry about {enquiry.offer}. Read it on the site.",
        enquiry=enquiry,
    )
    _consent_reader_notify(enquiry=enquiry, sender=sender, subject=f"New message about {enquiry.offer}")
    return message


def message_attachment_store(*, sender: User, file: UploadedFile) -> Upload:
    """Check and store a message's file exactly as every upload is checked (its bytes, not its name)."""
    purpose = ATTACHMENT_PURPOSES.get(PurePath(file.name or "").suffix.lower())
    if purpose is None:
        raise ValidationError({"attachment": "The file must be a PDF, or a PNG or JPEG image"})
    try:
        return upload_store(actor=sender, purpose=purpose, file=file, owner_user=sender)
    except UploadRejected as error:
        raise ValidationError({"attachment": str(error)}) from error


@transaction.atomic
def message_report(*, message: Message, reporter: User, reason: str) -> MessageReport:
    """Send a message to the council's quality-assurance officers to look into. Anyone who can see the
    thread may report a message, the consent holder of a child included."""
    enquiry = message.enquiry
    if not enquiry_is_visible_to(enquiry=enquiry, user=reporter):
        raise PermissionDenied("Only the people who can see this conversation can report a message in it")
    if message.sender_id == reporter.pk:
        raise ValidationError("You cannot report your own message")
    if not reason.strip():
        raise ValidationError({"reason": "Tell us what is wrong with the message"})
    report = MessageReport(message=message, reporter=reporter, reason=reason.strip(), council=enquiry.council)
    report.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError as error:
        raise ValidationError("You have already reported this message. The council is looking into it") from error
    audit_record(
        actor=reporter,
        action="enquiry.message_reported",
        target=report,
        council=enquiry.council,
        summary=f"Reported a message in the enquiry about {enquiry.offer}",
        reason=report.reason,
        data={"message": str(message.public_id), "enquiry": str(enquiry.public_id)},
    )
    notification_send_many(
        recipients=report_officers(enquiry.council),
        subject="A message has been reported",
        body=f"Someone reported a message in an enquiry about {enquiry.offer}. Look into it on the site.",
        link=reverse("marketplace:enquiry-report", args=[report.public_id]),
    )
    return report


@transaction.atomic
def message_report_resolve(*, report: MessageReport, officer: User, resolution: str) -> MessageReport:
    """Record what an officer did about a report; the report leaves the list of those to look into."""
    report = MessageReport.objects.select_for_update().get(pk=report.pk)
    if report.is_resolved:
        raise ValidationError("This report has already been dealt with")
    officer_of_council = Membership.objects.active().filter(
        user=officer, organisation_id=report.council_id, role__in=(Role.QA_OFFICER, Role.COUNCIL_ADMIN)
    )
    if not officer_of_council.exists():
        raise PermissionDenied("Only the council's quality-assurance officers deal with reports")
    report.resolution = resolution.strip()
    if not report.resolution:
        raise ValidationError({"resolution": "Say what you did about the report"})
    report.resolved_at = timezone.now()
    report.resolved_by = officer
    report.full_clean()
    report.save(update_fields=["resolution", "resolved_at", "resolved_by"])
    audit_record(
        actor=officer,
        action="enquiry.report_resolved",
        target=report,
        council=report.council,
        summary="Dealt with a reported message",
        reason=report.resolution,
    )
    return report


# --- Closing and reading -------------------------------------------------------------------------------


@transaction.atomic
def enquiry_close(*, enquiry: Enquiry, actor: User, reason: str = "") -> Enquiry:
    """Either side may close the conversation; the other side is told."""
    enquiry = _enquiry_locked(enquiry)
    side = enquiry_side_of(enquiry=enquiry, user=actor)
    if side is None:
        raise PermissionDenied("Only the people in this conversation can close it")
    _enquiry_status_move(enquiry=enquiry, to=EnquiryStatus.CLOSED, actor=actor, at=timezone.now(), reason=reason)
    other_side = enquiry_provider_users(enquiry) if side == ThreadSide.ENQUIRER else [enquiry.enquirer]
    _notify(
        recipients=other_side,
        sender=actor,
        subject=f"Enquiry about {enquiry.offer} closed",
        body=f"The enquiry about {enquiry.offer} has been closed. No more messages can be sent in it.",
        enquiry=enquiry,
    )
    return enquiry


@transaction.atomic
def enquiry_mark_read(*, enquiry: Enquiry, user: User) -> None:
    """Everything in the thread is now read by the user. Not audited: it records what someone has
    read, and changes nothing anyone else sees."""
    _read_state_set(enquiry=enquiry, user=user, at=timezone.now())


# --- Parts ---------------------------------------------------------------------------------------------


def _enquiry_status_move(*, enquiry: Enquiry, to: str, actor: User, at: datetime, reason: str = "") -> None:
    old = enquiry.status
    if to not in TRANSITIONS[old]:
        if old == EnquiryStatus.CLOSED:
            raise ValidationError("This conversation is already closed")
        raise ValidationError(f"An enquiry cannot go from {EnquiryStatus(old).label.lower()} to {to}")
    enquiry.status = to
    enquiry.status_changed_at = at
    enquiry.save(update_fields=["status", "status_changed_at"])
    audit_record(
        actor=actor,
        action="enquiry.status_changed",
        target=enquiry,
        council=enquiry.council,
        summary=f"Enquiry about {enquiry.offer}: {EnquiryStatus(to).label.lower()}",
        reason=reason,
        data={"from": old, "to": to},
    )


def _enquiry_locked(enquiry: Enquiry) -> Enquiry:
    # Two replies at once must take turns, so that the status always follows the last message.
    locked = Enquiry.objects.select_for_update().get(pk=enquiry.pk)
    enquiry.status = locked.status
    enquiry.status_changed_at = locked.status_changed_at
    return enquiry


def _message_body(text: str, *, field: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError({field: "Enter your message" if field == "body" else "Enter your question"})
    return text


def _message_create(
    *, enquiry: Enquiry, sender: User, side: str, body: str, at: datetime, attachment: Upload | None = None
) -> Message:
    message = Message(enquiry=enquiry, sender=sender, side=side, body=body, attachment=attachment, created_at=at)
    message.full_clean()
    message.save()
    return message


def _read_state_set(*, enquiry: Enquiry, user: User, at: datetime) -> None:
    EnquiryReadState.objects.update_or_create(enquiry=enquiry, user=user, defaults={"read_at": at})


def _consent_reader_notify(*, enquiry: Enquiry, sender: User, subject: str) -> None:
    reader = enquiry_consent_reader(enquiry)
    if reader is None:
        return
    _notify(
        recipients=[reader],
        sender=sender,
        subject=subject,
        body=(
            f"There is something new in a conversation with {enquiry.offer.provider_name} about "
            f"{enquiry.person.first_name}. You can read it because you give consent for them."
        ),
        enquiry=enquiry,
    )


def _notify(*, recipients: Iterable[User | None], sender: User, subject: str, body: str, enquiry: Enquiry) -> None:
    # The message itself is never put in the email: it may be about a child, and email is not private.
    notification_send_many(
        recipients=[user for user in recipients if user is not None and user.pk != sender.pk],
        subject=subject,
        body=body,
        link=reverse("marketplace:enquiry", args=[enquiry.public_id]),
    )
