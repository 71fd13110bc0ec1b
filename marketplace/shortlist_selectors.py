"""Reads for shortlists: the visitor's own (saved or in the session), the ones shared with a user, and
what the pages show of each offer.

Only published offers of published providers are described (``providers.selectors.public``); an offer
that stopped being published is shown as no longer available, with none of its details.
"""

import datetime
from dataclasses import dataclass, field
from uuid import UUID

from django.db.models import Count, Q
from django.http import Http404, HttpRequest
from django.urls import reverse

from accounts.models import Membership, MembershipQuerySet, User
from accounts.permissions import user_councils
from accounts.roles import OrganisationKind, Role
from marketplace.models import SessionShortlist, Shortlist, ShortlistItem, ShortlistShare
from providers.badges import Badge, badges_for_offer
from providers.models import AttendingType, Offer
from providers.selectors.public import public_offers
from providers.views.public import age_range, price, schedule_by_weekday

# Compared side by side: more columns than this do not fit a page, even on a wide screen.
COMPARE_MAX_OFFERS = 4

_REQUEST_CACHE = "_shortlist_public_ids"


@dataclass(frozen=True)
class ShortlistEntry:
    offer_public_id: str
    note: str = ""


@dataclass(frozen=True)
class ShortlistedOffer:
    """What a shortlist, its comparison and its CSV show of one offer."""

    public_id: str
    available: bool
    note: str = ""
    name: str = ""
    url: str = ""
    provider_name: str = ""
    is_by_personal_assistant: bool = False
    prices: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    ages: str = ""
    days: list[str] = field(default_factory=list)
    attending: list[str] = field(default_factory=list)
    areas: list[str] = field(default_factory=list)
    badges: list[Badge] = field(default_factory=list)
    capacity: str = ""


# --- The visitor's own shortlist ---------------------------------------------------------------------


def shortlist_entries(*, user: User, session: object) -> list[ShortlistEntry]:
    """The offers on the visitor's shortlist, in the order they were added, with their notes."""
    if user.is_authenticated:
        items = ShortlistItem.objects.filter(shortlist__owner=user).select_related("offer")
        return [ShortlistEntry(str(item.offer.public_id), item.note) for item in items]
    stored = SessionShortlist.load(session)
    return [ShortlistEntry(public_id, stored.notes.get(public_id, "")) for public_id in stored.offers]


def shortlist_public_ids(request: HttpRequest) -> frozenset[str]:
    """The public ids of the offers on the visitor's shortlist, read once per request however many result
    cards ask (one query for a signed-in user, none for a visitor)."""
    cached = getattr(request, _REQUEST_CACHE, None)
    if cached is None:
        cached = frozenset(_public_ids(request))
        setattr(request, _REQUEST_CACHE, cached)
    return cached


def shortlist_public_ids_forget(request: HttpRequest) -> None:
    """After a change in this request, the next read sees it."""
    if hasattr(request, _REQUEST_CACHE):
        delattr(request, _REQUEST_CACHE)


def _public_ids(request: HttpRequest) -> list[str]:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        ids = ShortlistItem.objects.filter(shortlist__owner=user).values_list("offer__public_id", flat=True)
        return [str(public_id) for public_id in ids]
    session = getattr(request, "session", None)
    return SessionShortlist.load(session).offers if session is not None else []


def shortlist_of(user: User) -> Shortlist | None:
    return Shortlist.objects.filter(owner=user).first()


def shortlist_item_get(*, owner: User, offer_public_id: UUID) -> ShortlistItem:
    item = ShortlistItem.objects.filter(shortlist__owner=owner, offer__public_id=offer_public_id).first()
    if item is None:
        raise Http404("This offer is not on your shortlist")
    return item


def shortlist_offer_get(*, public_id: UUID) -> Offer:
    """An offer that may be added to a shortlist: one anyone can see."""
    offer = public_offers().filter(public_id=public_id).first()
    if offer is None:
        raise Http404("No published offer has this address")
    return offer


def shortlist_offer_name(*, public_id: UUID) -> str:
    """The name of a published offer, for a button's accessible label; empty for any other offer."""
    offer = public_offers().filter(public_id=public_id).select_related("live_version").first()
    return offer.live_version.name if offer else ""


# --- Sharing ------------------------------------------------------------------------------------------


def shortlist_share_candidates(owner: User) -> MembershipQuerySet:
    """Who the owner may share with: brokers whose organisations registered with the owner's councils,
    and lead professionals of those councils or of the NHS bodies in their areas. Never anyone else, so
    that a shortlist cannot be sent to a stranger."""
    councils = user_councils(owner)
    if not councils:
        return Membership.objects.none()
    in_area = (
        Q(role=Role.BROKER, organisation__kind=OrganisationKind.BROKER, organisation__council__in=councils)
        | Q(role=Role.LEAD_PROFESSIONAL, organisation__in=councils)
        | Q(role=Role.LEAD_PROFESSIONAL, organisation__kind=OrganisationKind.NHS, organisation__council__in=councils)
    )
    return (
        Membership.objects.active()
        .filter(in_area)
        .exclude(user=owner)
        .select_related("user", "organisation", "organisation__council")
        .order_by("user__last_name", "user__first_name", "organisation__name", "role")
    )


def shortlist_shares_of(owner: User) -> list[ShortlistShare]:
    return list(
        ShortlistShare.objects.active()
        .filter(shortlist__owner=owner)
        .select_related("recipient", "recipient_membership__organisation")
    )


def shortlist_share_of_owner_get(*, public_id: UUID, owner: User) -> ShortlistShare:
    share = ShortlistShare.objects.active().filter(public_id=public_id, shortlist__owner=owner).first()
    if share is None:
        raise Http404("You do not share your shortlist with this person")
    return share


def shortlist_shares_with(user: User) -> list[ShortlistShare]:
    """Shortlists shared with the user, newest first, with how many offers each holds."""
    return list(
        ShortlistShare.objects.active()
        .filter(recipient=user)
        .select_related("shortlist__owner")
        .annotate(offer_count=Count("shortlist__items"))
    )


def shortlist_shared_with_get(*, public_id: UUID, user: User) -> Shortlist:
    """A shortlist shared with the user. Anyone else's, or one no longer shared, answers 404."""
    shortlist = (
        Shortlist.objects.filter(public_id=public_id, shares__recipient=user, shares__stopped_at__isnull=True)
        .select_related("owner")
        .first()
    )
    if shortlist is None:
        raise Http404("No shortlist has been shared with you at this address")
    return shortlist


def shortlist_shared_entries(shortlist: Shortlist) -> list[ShortlistEntry]:
    """A shared shortlist's offers, without the owner's notes: those are private."""
    items = shortlist.items.select_related("offer")
    return [ShortlistEntry(str(item.offer.public_id)) for item in items]


# --- What the pages show ------------------------------------------------------------------------------


def shortlisted_offers(entries: list[ShortlistEntry], *, today: datetime.date) -> list[ShortlistedOffer]:
    """Each entry described, in the shortlist's order; unpublished offers only as "no longer available"."""
    offers = {
        str(offer.public_id): offer
        for offer in public_offers()
        .filter(public_id__in=[entry.offer_public_id for entry in entries])
        .select_related("live_version", "organisation__provider_profile", "personal_assistant")
        .prefetch_related(
            "live_version__categories",
            "live_version__cost_options",
            "live_version__schedules",
            "live_version__service_areas",
            "live_version__locations",
        )
    }
    return [
        _describe(offers[entry.offer_public_id], entry.note, today)
        if entry.offer_public_id in offers
        else ShortlistedOffer(public_id=entry.offer_public_id, available=False, note=entry.note)
        for entry in entries
    ]


def _describe(offer: Offer, note: str, today: datetime.date) -> ShortlistedOffer:
    version = offer.live_version
    return ShortlistedOffer(
        public_id=str(offer.public_id),
        available=True,
        note=note,
        name=version.name,
        url=reverse("providers:public-offer", args=[offer.public_id]),
        provider_name=offer.provider_name,
        is_by_personal_assistant=offer.is_by_personal_assistant,
        prices=[price(option).amount for option in version.cost_options.all()],
        categories=[term.name for term in version.categories.all()],
        ages=age_range(version.minimum_age, version.maximum_age),
        days=[f"{day.weekday}: {', '.join(day.times)}" for day in schedule_by_weekday(version)],
        attending=[AttendingType(value).label for value in version.attending_types if value in AttendingType.values],
        areas=_areas(offer),
        badges=badges_for_offer(offer, today),
        capacity=_capacity(offer),
    )


def _areas(offer: Offer) -> list[str]:
    version = offer.live_version
    areas = []
    if AttendingType.AT_HOME in version.attending_types:
        covered = ", ".join(area.name for area in version.service_areas.all())
        areas.append(f"Comes to your home in {covered}" if covered else "Comes to your home: ask which areas")
    areas += [f"{location.name}, {location.postcode}" for location in version.locations.all()]
    return areas


def _capacity(offer: Offer) -> str:
    version = offer.live_version
    parts = []
    if version.capacity_places:
        parts.append(f"{version.capacity_places} place{'s' if version.capacity_places != 1 else ''} free")
    if version.capacity_hours:
        parts.append(f"{version.capacity_hours.normalize():f} hours a week free")
    if not parts:
        parts.append("No free places at the moment")
    if version.capacity_note:
        parts.append(version.capacity_note)
    return ". ".join(parts)
