"""Reads for reviews: who may see which review, the council's queue, and what an offer's page shows.

Visibility: the author and the person's current consent holder see the person's reviews; the provider's
staff (or the personal assistant) see the published and hidden reviews of their orders; a council's
commissioners and quality officers see the reviews it moderates. Anyone else gets 404. The public sees
only published reviews, on the offer's page.
"""

from uuid import UUID

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from accounts.models import Membership, Organisation, User
from accounts.roles import Role
from marketplace.models import Order, Review, ReviewStatus
from marketplace.services.reviews import MODERATOR_ROLES, review_refusal

PUBLIC_REVIEWS_SHOWN = 20


def _reviews() -> QuerySet[Review]:
    return Review.objects.select_related(
        "offer__live_version", "offer__working_version", "order", "person", "author", "reply", "council", "moderated_by"
    )


def _family_scope(user: User) -> Q:
    return Q(author=user) | Q(person__consent_holders__user=user, person__consent_holders__ended_at__isnull=True)


def _provider_scope(user: User) -> Q:
    organisations = Membership.objects.active().with_roles(Role.PROVIDER_STAFF).filter(user=user)
    mine = Q(order__provider_organisation__in=organisations.values("organisation")) | Q(
        order__personal_assistant__user=user
    )
    # A review waiting for the council is not yet the provider's to read.
    return mine & ~Q(status=ReviewStatus.SUBMITTED)


def _moderator_scope(user: User) -> Q:
    councils = Membership.objects.active().with_roles(*MODERATOR_ROLES).filter(user=user).values("organisation")
    return Q(council__in=councils)


def review_get_for(*, user: User, public_id: UUID) -> Review:
    """A review its author's family, its provider or its council may read."""
    visible = _reviews().filter(_family_scope(user) | _provider_scope(user) | _moderator_scope(user)).distinct()
    return get_object_or_404(visible, public_id=public_id)


def reviews_for_provider(user: User) -> QuerySet[Review]:
    return _reviews().filter(_provider_scope(user)).order_by("-published_at", "-pk")


def review_get_for_provider(*, user: User, public_id: UUID) -> Review:
    return get_object_or_404(reviews_for_provider(user), public_id=public_id)


def reviews_for_council(*, council: Organisation, status: str = "") -> QuerySet[Review]:
    """The council's reviews, those waiting first and oldest first among them, then the newest decided."""
    reviews = _reviews().filter(council=council)
    if status in ReviewStatus.values:
        reviews = reviews.filter(status=status)
    if status == ReviewStatus.SUBMITTED:
        return reviews.order_by("submitted_at", "pk")
    return reviews.order_by("-submitted_at", "-pk")


def review_get_for_council(*, council: Organisation, public_id: UUID) -> Review:
    return get_object_or_404(_reviews().filter(council=council), public_id=public_id)


def published_reviews_of_offer(offer_id: int) -> list[Review]:
    return list(
        Review.objects.filter(offer_id=offer_id, status=ReviewStatus.PUBLISHED)
        .select_related("reply")
        .order_by("-published_at", "-pk")[:PUBLIC_REVIEWS_SHOWN]
    )


def review_of_order(order: Order) -> Review | None:
    return Review.objects.filter(order=order).select_related("reply").first()


def may_review(*, user: User, order: Order) -> bool:
    return not review_refusal(user=user, order=order)
