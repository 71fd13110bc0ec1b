"""Writes for concerns about a provider organisation or a personal assistant.

A concern goes to the QA officers of the council the listing registered with, marked for the designated
officer for allegations (LADO) when it involves harm, or risk of harm, to a child. The officer can
suspend the listing at once pending enquiry, keeps notes (internal, or shared with the reporter), and
closes the concern with an outcome. The reporter hears what stage it is at and what the officer chose to
share, never the internal notes. Every step is audited; the concern's text never goes into the audit
trail or an email, only into the concern itself.
"""

from functools import partial

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.events import audit_record
from accounts.models import Membership, Organisation, User
from accounts.notifications import notification_send, notification_send_many
from accounts.roles import Role
from providers.exceptions import ProvidersError
from providers.models import (
    Concern,
    ConcernNote,
    ConcernStatus,
    Offer,
    OfferQuerySet,
    OfferStatus,
    OfferStatusChange,
    PersonalAssistantProfile,
    ProfileStatus,
    ProviderProfile,
)
from providers.services.offers import offer_set_status
from providers.services.profiles import profile_set_status

# Which status may follow which. A closed concern stays closed: a new worry is a new concern.
CONCERN_TRANSITIONS: dict[str, frozenset[str]] = {
    ConcernStatus.RECEIVED: frozenset({ConcernStatus.UNDER_ENQUIRY, ConcernStatus.CLOSED}),
    ConcernStatus.UNDER_ENQUIRY: frozenset({ConcernStatus.CLOSED}),
    ConcernStatus.CLOSED: frozenset(),
}

LADO_PREFIX = "LADO"


def listing_profile(
    *, organisation: Organisation | None, pa_profile: PersonalAssistantProfile | None
) -> ProviderProfile | PersonalAssistantProfile | None:
    """The public profile a concern is about: the organisation's provider profile, or the PA's."""
    if pa_profile is not None:
        return pa_profile
    return ProviderProfile.objects.filter(organisation=organisation).first()


@transaction.atomic
def concern_report(
    *,
    reporter: User | None,
    description: str,
    involves_harm_to_child: bool,
    organisation: Organisation | None = None,
    pa_profile: PersonalAssistantProfile | None = None,
    reporter_email: str = "",
) -> Concern:
    """Record a concern about a published listing and tell the QA officers of the council it registered with.

    ``reporter`` is the signed-in user, or None for someone without an account, who must give an email
    address so that they can be kept informed.
    """
    if (organisation is None) == (pa_profile is None):
        raise ValidationError("Say which provider or personal assistant the concern is about")
    profile = listing_profile(organisation=organisation, pa_profile=pa_profile)
    if profile is None or profile.status != ProfileStatus.PUBLISHED:
        raise ValidationError("You can only report a concern about a listing that is in the directory")
    council = pa_profile.council if pa_profile is not None else organisation.council
    if council is None:
        raise ValidationError("This listing has no council to look into concerns about it")
    if reporter is None and not reporter_email.strip():
        raise ValidationError({"reporter_email": "Enter your email address, so that we can tell you what happens"})
    concern = Concern(
        council=council,
        organisation=organisation,
        pa_profile=pa_profile,
        reporter=reporter,
        reporter_email="" if reporter is not None else reporter_email.strip().lower(),
        description=description.strip(),
        involves_harm_to_child=involves_harm_to_child,
    )
    concern.full_clean()
    concern.save()
    audit_record(
        actor=reporter,
        action="concern.reported",
        target=concern,
        council=council,
        summary=f"Concern {concern.reference} reported about {concern.about_name}"
        + (" (LADO: harm to a child)" if involves_harm_to_child else ""),
        data={"lado": involves_harm_to_child, "anonymous": reporter is None},
    )
    _officers_tell(concern)
    _reporter_tell(
        concern,
        subject=f"We have received your concern ({concern.reference})",
        body=(
            f"Thank you for telling us about {concern.about_name}. {council}'s quality team will look into it. "
            "We will tell you how it is going, but we may not be able to tell you everything we find.\n\n"
            "If a child is in immediate danger, call 999."
        ),
    )
    return concern


def concern_officers(council: Organisation) -> list[User]:
    """Who hears about a new concern: the council's QA officers, or, if it has none active, its
    administrators, so that a concern is never left unread."""
    for role in (Role.QA_OFFICER, Role.COUNCIL_ADMIN):
        memberships = Membership.objects.active().filter(organisation=council, role=role).select_related("user")
        users = [membership.user for membership in memberships]
        if users:
            return users
    return []


def _officers_tell(concern: Concern) -> None:
    about = concern.about_name
    if concern.involves_harm_to_child:
        subject = f"{LADO_PREFIX}: a concern about {about} involves harm to a child ({concern.reference})"
        body = (
            f"Someone has reported a concern about {about} and says it involves harm, or risk of harm, to a child. "
            "Read it now and refer it to your designated officer for allegations (LADO) within one working day. "
            "You can suspend the listing straight away while you look into it."
        )
    else:
        subject = f"New concern about {about} ({concern.reference})"
        body = f"Someone has reported a concern about {about}. Open it to read what happened and decide what to do."
    notification_send_many(
        recipients=concern_officers(concern.council),
        subject=subject,
        body=body,
        link=reverse("providers:concern", args=[concern.public_id]),
    )


def _reporter_tell(concern: Concern, *, subject: str, body: str) -> None:
    """Signed-in reporters get a notification (and its email); others an email to the address they gave."""
    if concern.reporter_id is not None:
        notification_send(
            recipient=concern.reporter,
            subject=subject,
            body=body,
            link=reverse("providers:concern-mine", args=[concern.public_id]),
        )
    elif concern.reporter_email:
        text = f"{body}\n\nYour reference is {concern.reference}. Quote it if you contact {concern.council}."
        transaction.on_commit(
            partial(send_mail, subject, text, None, [concern.reporter_email], fail_silently=False), robust=True
        )


def _ensure_council_concern(council: Organisation, concern: Concern) -> None:
    if concern.council_id != council.pk:
        raise PermissionDenied(f"This concern is not for {council}")


@transaction.atomic
def concern_note_add(
    *, actor: User, council: Organisation, concern: Concern, text: str, shared_with_reporter: bool
) -> ConcernNote:
    """Keep a note of a step. A shared note is sent to the reporter as it is written, so it should say
    what stage things are at, not what was found."""
    _ensure_council_concern(council, concern)
    note = ConcernNote(concern=concern, author=actor, text=text.strip(), shared_with_reporter=shared_with_reporter)
    note.full_clean()
    note.save()
    audit_record(
        actor=actor,
        action="concern.note_added",
        target=concern,
        council=council,
        summary=f"Added {'a note shared with the reporter' if shared_with_reporter else 'an internal note'} "
        f"to concern {concern.reference}",
        data={"shared_with_reporter": shared_with_reporter},
    )
    if shared_with_reporter:
        _reporter_tell(concern, subject=f"An update on your concern ({concern.reference})", body=note.text)
    return note


def concern_set_status(
    *,
    actor: User,
    council: Organisation,
    concern: Concern,
    new_status: str,
    outcome: str = "",
    share_outcome: bool = False,
) -> Concern:
    """The one place a concern's status changes. Closing needs an outcome, which the reporter sees only
    when ``share_outcome`` is set (it is then added as a shared note)."""
    _ensure_council_concern(council, concern)
    with transaction.atomic():
        locked = Concern.objects.select_for_update().get(pk=concern.pk)
        old_status = locked.status
        if new_status not in CONCERN_TRANSITIONS.get(old_status, frozenset()):
            raise ValidationError(
                f"A concern that is {ConcernStatus(old_status).label.lower()} cannot become "
                f"{ConcernStatus(new_status).label.lower()}"
            )
        fields = ["status"]
        locked.status = new_status
        if new_status == ConcernStatus.CLOSED:
            if not outcome.strip():
                raise ValidationError({"outcome": "Enter the outcome of the enquiry"})
            locked.outcome, locked.closed_at = outcome.strip(), timezone.now()
            fields += ["outcome", "closed_at"]
        locked.full_clean()
        locked.save(update_fields=fields)
        audit_record(
            actor=actor,
            action="concern.status_changed",
            target=locked,
            council=council,
            summary=f"Concern {locked.reference}: {ConcernStatus(old_status).label} to "
            f"{ConcernStatus(new_status).label.lower()}",
            data={"old_status": old_status, "new_status": new_status, "outcome_shared": share_outcome},
        )
        _reporter_tell_status(actor=actor, concern=locked, share_outcome=share_outcome)
    concern.refresh_from_db()
    return concern


def _reporter_tell_status(*, actor: User, concern: Concern, share_outcome: bool) -> None:
    about, council = concern.about_name, concern.council
    if concern.status == ConcernStatus.UNDER_ENQUIRY:
        subject = f"Your concern is being looked into ({concern.reference})"
        body = f"{council} is looking into the concern you reported about {about}."
    else:
        subject = f"Your concern has been closed ({concern.reference})"
        body = f"{council} has finished looking into the concern you reported about {about}."
    if concern.status == ConcernStatus.CLOSED and share_outcome:
        ConcernNote.objects.create(concern=concern, author=actor, text=concern.outcome, shared_with_reporter=True)
        body = f"{body}\n\n{concern.outcome}"
    _reporter_tell(concern, subject=subject, body=body)


def suspension_reason(concern: Concern) -> str:
    """The reason written on the listing's and offers' history; reinstating finds the offers by it."""
    return f"Suspended pending enquiry into concern {concern.reference}"


@transaction.atomic
def concern_suspend_listing(*, actor: User, council: Organisation, concern: Concern) -> Concern:
    """Take the listing and each of its published offers out of the directory while the concern is looked into."""
    _ensure_council_concern(council, concern)
    concern = Concern.objects.select_for_update().get(pk=concern.pk)
    if concern.listing_suspended:
        raise ValidationError("The listing is already suspended for this concern")
    if concern.status == ConcernStatus.CLOSED:
        raise ValidationError("This concern is closed. Report a new concern to suspend the listing")
    profile = listing_profile(organisation=concern.organisation, pa_profile=concern.pa_profile)
    reason = suspension_reason(concern)
    try:
        profile_set_status(profile=profile, new_status=ProfileStatus.SUSPENDED, actor=actor, reason=reason)
    except ProvidersError as error:
        raise ValidationError(f"The listing cannot be suspended: {error}") from error
    offers = list(_listing_offers(concern).filter(status=OfferStatus.PUBLISHED))
    for offer in offers:
        offer_set_status(offer=offer, new_status=OfferStatus.SUSPENDED, actor=actor, reason=reason)
    concern.listing_suspended = True
    concern.save(update_fields=["listing_suspended"])
    audit_record(
        actor=actor,
        action="concern.listing_suspended",
        target=concern,
        council=council,
        summary=f"Suspended {concern.about_name} and {len(offers)} offer{'s' if len(offers) != 1 else ''} "
        f"pending enquiry into concern {concern.reference}",
        reason=reason,
        data={"offers": [str(offer.public_id) for offer in offers]},
    )
    return concern


@transaction.atomic
def concern_reinstate_listing(*, actor: User, council: Organisation, concern: Concern, reason: str) -> Concern:
    """Publish the listing again, with the offers this concern suspended (not ones suspended for another reason)."""
    _ensure_council_concern(council, concern)
    if not reason.strip():
        raise ValidationError({"reason": "Enter why you are putting the listing back in the directory"})
    concern = Concern.objects.select_for_update().get(pk=concern.pk)
    if not concern.listing_suspended:
        raise ValidationError("The listing is not suspended for this concern")
    profile = listing_profile(organisation=concern.organisation, pa_profile=concern.pa_profile)
    if profile.status == ProfileStatus.SUSPENDED:
        try:
            profile_set_status(profile=profile, new_status=ProfileStatus.PUBLISHED, actor=actor, reason=reason)
        except ProvidersError as error:
            raise ValidationError(f"The listing cannot be reinstated: {error}") from error
    offers = _offers_suspended_for(concern)
    for offer in offers:
        offer_set_status(offer=offer, new_status=OfferStatus.PUBLISHED, actor=actor, reason=reason)
    concern.listing_suspended = False
    concern.save(update_fields=["listing_suspended"])
    audit_record(
        actor=actor,
        action="concern.listing_reinstated",
        target=concern,
        council=council,
        summary=f"Put {concern.about_name} and {len(offers)} offer{'s' if len(offers) != 1 else ''} back in the "
        f"directory (concern {concern.reference})",
        reason=reason,
    )
    return concern


def _listing_offers(concern: Concern) -> OfferQuerySet:
    if concern.pa_profile_id is not None:
        return Offer.objects.of_personal_assistant(concern.pa_profile)
    return Offer.objects.of_organisation(concern.organisation)


def _offers_suspended_for(concern: Concern) -> list[Offer]:
    """Offers still suspended whose latest change was this concern's suspension."""
    reason = suspension_reason(concern)
    offers = []
    for offer in _listing_offers(concern).filter(status=OfferStatus.SUSPENDED):
        latest = OfferStatusChange.objects.filter(offer=offer).order_by("-created_at", "-id").first()
        if latest is not None and latest.new_status == OfferStatus.SUSPENDED and latest.reason == reason:
            offers.append(offer)
    return offers
