"""Approving or returning profiles and offers; the provider is told and the deciding council recorded."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from accounts.events import audit_record
from accounts.models import Organisation, User
from accounts.notifications import notification_send_many
from accounts.roles import OrganisationKind
from providers.models import Offer, ProviderProfile
from providers.services.offers import offer_approve, offer_reject
from providers.services.profiles import profile_approve, profile_reject
from providers.services.qa.people import listing_contacts, profile_contacts
from providers.services.qa.policy import Profile


@transaction.atomic
def listing_profile_decide(
    *, profile: Profile, officer: User, council: Organisation, approve: bool, reason: str
) -> Profile:
    """Approve or return a new profile or a change to a published one; the provider is told."""
    if not approve and not reason.strip():
        raise ValidationError({"reason": "Give a reason, so that the provider knows what to change"})
    if approve:
        profile = profile_approve(profile=profile, actor=officer, reason=reason)
    else:
        profile = profile_reject(profile=profile, actor=officer, reason=reason)
    outcome = "approved" if approve else "returned"
    audit_record(
        actor=officer,
        action="qa.profile_approved" if approve else "qa.profile_returned",
        target=profile,
        council=council,
        summary=f"Profile of {profile.display_name} {outcome} by {council}",
        reason=reason,
    )
    notification_send_many(
        recipients=profile_contacts(profile),
        subject=f"Your profile {profile.display_name} has been {outcome}",
        body=_decision_body(council, outcome, reason, "It is now what the public sees." if approve else ""),
        link=_profile_link(profile),
    )
    return profile


@transaction.atomic
def listing_offer_decide(*, offer: Offer, officer: User, council: Organisation, approve: bool, reason: str) -> Offer:
    """Approve or return an offer's submitted version; the provider is told."""
    if not approve and not reason.strip():
        raise ValidationError({"reason": "Give a reason, so that the provider knows what to change"})
    number = offer.working_version.number if offer.working_version_id else None
    if approve:
        offer = offer_approve(offer=offer, actor=officer, reason=reason)
    else:
        offer = offer_reject(offer=offer, actor=officer, reason=reason)
    outcome = "approved" if approve else "returned"
    audit_record(
        actor=officer,
        action="qa.offer_approved" if approve else "qa.offer_returned",
        target=offer,
        council=council,
        summary=f"Offer {offer} (version {number}) {outcome} by {council}",
        reason=reason,
        data={"version": number},
    )
    notification_send_many(
        recipients=listing_contacts(organisation=offer.organisation, pa_profile=offer.personal_assistant),
        subject=f"Your offer {offer} has been {outcome}",
        body=_decision_body(council, outcome, reason, "The public now sees this version." if approve else ""),
        link=reverse("providers:offer-preview", args=[offer.public_id]),
    )
    return offer


def _profile_link(profile: Profile) -> str:
    # Brokers have no self-service profile page to send them to.
    is_broker = isinstance(profile, ProviderProfile) and profile.organisation.kind == OrganisationKind.BROKER
    return "" if is_broker else reverse("providers:profile-edit")


def _decision_body(council: Organisation, outcome: str, reason: str, after: str) -> str:
    lines = [f"{council} has {outcome} it after checking."]
    if reason.strip():
        lines.append(f"What they said: {reason.strip()}")
    if after:
        lines.append(after)
    return "\n\n".join(lines)
