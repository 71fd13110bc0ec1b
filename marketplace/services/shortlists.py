"""Writes for shortlists: adding and removing offers, notes, merging a visitor's session shortlist on
sign-in, and sharing with a broker or lead professional.

A signed-in user's shortlist is saved; an anonymous visitor's is kept in their session through the
``session_shortlist_*`` functions, and merged into the saved one when they sign in.
"""

from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from accounts.events import audit_record
from accounts.models import Membership, User
from accounts.notifications import notification_send
from marketplace.models import SessionShortlist, Shortlist, ShortlistItem, ShortlistShare
from marketplace.shortlist_selectors import shortlist_share_candidates
from providers.models import Offer
from providers.selectors.public import public_offers

# A shortlist is for choosing between a handful of offers; the cap keeps its page quick to draw.
SHORTLIST_MAX_OFFERS = 50
SHORTLIST_FULL = (
    f"Your shortlist is full: it can hold up to {SHORTLIST_MAX_OFFERS} offers. Remove one before you add another"
)


# --- A signed-in user's saved shortlist ---------------------------------------------------------------


@transaction.atomic
def shortlist_offer_add(*, owner: User, offer: Offer) -> ShortlistItem:
    """Put an offer on the owner's shortlist; adding it again changes nothing."""
    shortlist = _shortlist_locked(owner)
    existing = shortlist.items.filter(offer=offer).first()
    if existing is not None:
        return existing
    if shortlist.items.count() >= SHORTLIST_MAX_OFFERS:
        raise ValidationError(SHORTLIST_FULL)
    item = ShortlistItem(shortlist=shortlist, offer=offer)
    item.full_clean()
    item.save()
    return item


@transaction.atomic
def shortlist_offer_remove(*, owner: User, offer_public_id: UUID) -> bool:
    deleted, _ = ShortlistItem.objects.filter(shortlist__owner=owner, offer__public_id=offer_public_id).delete()
    return deleted > 0


@transaction.atomic
def shortlist_note_set(*, item: ShortlistItem, note: str) -> ShortlistItem:
    item.note = note.strip()
    item.full_clean()
    item.save(update_fields=["note"])
    return item


def _shortlist_locked(owner: User) -> Shortlist:
    # The row lock makes two adds from two tabs take turns, so the cap and the no-duplicates check hold.
    shortlist, _ = Shortlist.objects.get_or_create(owner=owner)
    return Shortlist.objects.select_for_update().get(pk=shortlist.pk)


# --- An anonymous visitor's shortlist, in their session -----------------------------------------------


def session_shortlist_offer_add(*, session: Any, offer: Offer) -> None:
    stored = SessionShortlist.load(session)
    public_id = str(offer.public_id)
    if public_id in stored.offers:
        return
    if len(stored.offers) >= SHORTLIST_MAX_OFFERS:
        raise ValidationError(SHORTLIST_FULL)
    stored.offers.append(public_id)
    stored.save(session)


def session_shortlist_offer_remove(*, session: Any, offer_public_id: UUID) -> bool:
    stored = SessionShortlist.load(session)
    public_id = str(offer_public_id)
    if public_id not in stored.offers:
        return False
    stored.offers.remove(public_id)
    stored.notes.pop(public_id, None)
    stored.save(session)
    return True


def session_shortlist_note_set(*, session: Any, offer_public_id: UUID, note: str) -> None:
    stored = SessionShortlist.load(session)
    public_id = str(offer_public_id)
    if public_id not in stored.offers:
        raise ValidationError("This offer is not on your shortlist")
    note = note.strip()
    if len(note) > ShortlistItem._meta.get_field("note").max_length:
        raise ValidationError({"note": "Your note must be 1000 characters or fewer"})
    if note:
        stored.notes[public_id] = note
    else:
        stored.notes.pop(public_id, None)
    stored.save(session)


@transaction.atomic
def shortlist_merge_session(*, owner: User, session: Any) -> int:
    """Move a visitor's session shortlist into their saved one when they sign in, without duplicates.

    Offers no longer published are dropped; a note made before signing in fills an empty saved note.
    Returns how many offers were added.
    """
    stored = SessionShortlist.load(session)
    if not stored.offers:
        return 0
    shortlist = _shortlist_locked(owner)
    saved = {str(item.offer.public_id): item for item in shortlist.items.select_related("offer")}
    offers = {str(offer.public_id): offer for offer in public_offers().filter(public_id__in=stored.offers)}
    added = 0
    for public_id in stored.offers:
        note = stored.notes.get(public_id, "")
        if public_id in saved:
            if note and not saved[public_id].note:
                shortlist_note_set(item=saved[public_id], note=note)
            continue
        if public_id not in offers or len(saved) + added >= SHORTLIST_MAX_OFFERS:
            continue
        item = ShortlistItem(shortlist=shortlist, offer=offers[public_id], note=note)
        item.full_clean()
        item.save()
        added += 1
    SessionShortlist().save(session)
    return added


def shortlist_merge_on_sign_in(sender: type, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    """Receiver of ``user_logged_in`` (connected in MarketplaceConfig.ready)."""
    session = getattr(request, "session", None)
    if session is not None:
        shortlist_merge_session(owner=user, session=session)


# --- Sharing -------------------------------------------------------------------------------------------


@transaction.atomic
def shortlist_share(*, owner: User, recipient_membership: Membership) -> ShortlistShare:
    """Show the owner's shortlist, read-only and without notes, to a broker or lead professional in the
    owner's council area, and tell them by email and in the site."""
    shortlist = _shortlist_locked(owner)
    if not shortlist.items.exists():
        raise ValidationError({"recipient": "Add an offer to your shortlist before you share it"})
    if not shortlist_share_candidates(owner).filter(pk=recipient_membership.pk).exists():
        raise ValidationError({"recipient": "Choose a broker or lead professional who works in your council's area"})
    recipient = recipient_membership.user
    if shortlist.shares.active().filter(recipient=recipient).exists():
        raise ValidationError({"recipient": f"You already share your shortlist with {recipient}"})
    share = ShortlistShare(shortlist=shortlist, recipient=recipient, recipient_membership=recipient_membership)
    share.full_clean()
    share.save()
    audit_record(
        actor=owner,
        action="shortlist.shared",
        target=shortlist,
        summary=f"{owner} shared their shortlist with {recipient} ({_role_at(recipient_membership)})",
        council=recipient_membership.council,
        data={"share": str(share.public_id), "recipient": str(recipient.public_id)},
    )
    notification_send(
        recipient=recipient,
        subject=f"{owner} shared their shortlist with you",
        body=(
            f"{owner} has shared their shortlist of support with you, as {_role_at(recipient_membership)}. "
            "You can see the offers on it and compare them, but not change it."
        ),
        link=reverse("marketplace:shortlist-shared", args=[shortlist.public_id]),
    )
    return share


@transaction.atomic
def shortlist_share_stop(*, share: ShortlistShare, actor: User) -> ShortlistShare:
    share = ShortlistShare.objects.select_for_update().select_related("recipient_membership").get(pk=share.pk)
    if share.stopped_at is not None:
        return share
    share.stopped_at = timezone.now()
    share.save(update_fields=["stopped_at"])
    audit_record(
        actor=actor,
        action="shortlist.share_stopped",
        target=share.shortlist,
        summary=f"{actor} stopped sharing their shortlist with {share.recipient}",
        council=share.recipient_membership.council,
        data={"share": str(share.public_id), "recipient": str(share.recipient.public_id)},
    )
    return share


def _role_at(membership: Membership) -> str:
    return f"{membership.get_role_display().lower()} at {membership.organisation.name}"
