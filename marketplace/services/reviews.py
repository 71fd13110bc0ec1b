"""Writes for reviews: a family reviews support that was delivered, the council publishes or hides it, and
the provider replies once.

Who may review: the person's current consent holder (a parent or carer, or the young person once consent
is theirs), once per order, and only after the order was delivered (a delivery was recorded, or it was
completed). Who moderates: the commissioners and quality-assurance officers of the council the listing
registered with (the council that checks it, as with concerns), or the family's council for a listing
registered with none. Every change is audited; statuses change only through ``review_set_status``.

Only published reviews count: each publish or hide works the offer's rating out again from its published
reviews, under a lock on the offer so that two decisions at once cannot both write a stale figure, and
hands it to ``providers.services.ratings``, which keeps it on the offer and reindexes it.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Avg, Count
from django.urls import reverse
from django.utils import timezone

from accounts.events import audit_record
from accounts.models import Membership, Organisation, User
from accounts.notifications import notification_send, notification_send_many
from accounts.roles import Role
from brokerage.exceptions import NotAllowed, TransitionNotAllowed
from brokerage.models import ConsentHolder
from marketplace.models import Order, OrderStatus, ProviderReply, Review, ReviewStatus
from marketplace.services.orders import is_provider_user, provider_users
from providers.models import Offer
from providers.services.ratings import offer_rating_set

MODERATOR_ROLES = (Role.COMMISSIONER, Role.QA_OFFICER)

# Which status may follow which: the council may publish a hidden review again, or hide a published one.
REVIEW_TRANSITIONS: dict[str, frozenset[str]] = {
    ReviewStatus.SUBMITTED: frozenset({ReviewStatus.PUBLISHED, ReviewStatus.HIDDEN}),
    ReviewStatus.PUBLISHED: frozenset({ReviewStatus.HIDDEN}),
    ReviewStatus.HIDDEN: frozenset({ReviewStatus.PUBLISHED}),
}


# --- Who ------------------------------------------------------------------------------------------


def review_author_consent(*, user: User, order: Order) -> ConsentHolder | None:
    """The user's current consent for the order's person, which is what lets them review it."""
    return order.person.consent_holders.filter(user=user, ended_at__isnull=True).first()


def order_was_delivered(order: Order) -> bool:
    return order.status == OrderStatus.COMPLETED or order.deliveries.exists()


def review_refusal(*, user: User, order: Order) -> str:
    """Why the user may not review this order now, or "" when they may."""
    if review_author_consent(user=user, order=order) is None:
        return f"Only the person who gives consent for {order.person.first_name} can review this support"
    if not order_was_delivered(order):
        return "You can review this support once some of it has been delivered"
    if Review.objects.filter(order=order).exists():
        return "You have already reviewed this order"
    return ""


def reply_refusal(*, user: User, review: Review) -> str:
    """Why the user may not reply to this review now, or "" when they may."""
    if not is_provider_user(user=user, order=review.order):
        return "Only the provider of this support can reply to its review"
    if review.status != ReviewStatus.PUBLISHED:
        return "You can reply to a review once the council has published it"
    if ProviderReply.objects.filter(review=review).exists():
        return "You have already replied to this review"
    return ""


def review_may_become(review: Review, status: str) -> bool:
    """Whether the council may move the review to ``status`` now (publish it, or hide it)."""
    return status in REVIEW_TRANSITIONS.get(review.status, frozenset())


def moderating_council(order: Order) -> Organisation:
    offer = order.offer
    registered_with = offer.personal_assistant.council if offer.personal_assistant_id else offer.organisation.council
    return registered_with or order.person.council


def review_moderators(council: Organisation) -> list[User]:
    memberships = (
        Membership.objects.active().with_roles(*MODERATOR_ROLES).filter(organisation=council).select_related("user")
    )
    return [membership.user for membership in memberships]


def is_review_moderator(*, user: User, review: Review) -> bool:
    return (
        Membership.objects.active()
        .with_roles(*MODERATOR_ROLES)
        .filter(user=user, organisation_id=review.council_id)
        .exists()
    )


# --- Writing a review -----------------------------------------------------------------------------


@transaction.atomic
def review_submit(*, order: Order, author: User, rating: int, text: str) -> Review:
    """The family reviews an order that was delivered; it waits for the council to check it."""
    # Lock the order so that two submissions at once cannot both pass the one-review check.
    order = Order.objects.select_for_update(of=("self",)).select_related("person", "offer").get(pk=order.pk)
    refusal = review_refusal(user=author, order=order)
    if refusal:
        raise NotAllowed(refusal)
    consent = review_author_consent(user=author, order=order)
    review = Review(
        order=order,
        offer=order.offer,
        person=order.person,
        author=author,
        author_is_young_person=consent is not None and consent.relationship == ConsentHolder.Relationship.SELF,
        council=moderating_council(order),
        rating=rating,
        text=text.strip(),
    )
    review.full_clean()
    review.save()
    _audit(author, "review.submitted", review, f"{rating} out of 5 for {order.offer} submitted for checking")
    notification_send_many(
        recipients=review_moderators(review.council),
        subject=f"A review of {order.offer} is waiting for you to check it",
        body=f"A family has reviewed {order.offer} from {order.provider_name}. Check it before it is published.",
        link=reverse("marketplace:review-moderate", args=[review.public_id]),
    )
    return review


# --- The council moderates ------------------------------------------------------------------------


def _review_lock(review: Review) -> Review:
    return Review.objects.select_for_update(of=("self",)).select_related("offer", "order").get(pk=review.pk)


def _moderator_required(*, actor: User, review: Review) -> None:
    if not is_review_moderator(user=actor, review=review):
        raise NotAllowed(f"Only the commissioners and quality officers of {review.council} can check this review")


@transaction.atomic
def review_set_status(*, review: Review, new_status: str, actor: User, reason: str = "") -> Review:
    """The one place a review's status changes: checks the move, records who and why, and works the
    offer's rating out again."""
    _moderator_required(actor=actor, review=review)
    review = _review_lock(review)
    old_status = review.status
    if not review_may_become(review, new_status):
        raise TransitionNotAllowed(
            f"A review that is {review.get_status_display().lower()} cannot be {ReviewStatus(new_status).label.lower()}"
        )
    if new_status == ReviewStatus.HIDDEN and not reason.strip():
        raise ValidationError({"reason": "Say why the review is hidden: the family is told"})
    now = timezone.now()
    review.status = new_status
    review.hidden_reason = reason.strip() if new_status == ReviewStatus.HIDDEN else ""
    review.moderated_by, review.moderated_at = actor, now
    if new_status == ReviewStatus.PUBLISHED:
        review.published_at = now
    review.full_clean()
    review.save(update_fields=["status", "hidden_reason", "moderated_by", "moderated_at", "published_at"])
    _audit(
        actor,
        f"review.{new_status}",
        review,
        f"Review of {review.offer} {ReviewStatus(new_status).label.lower()}",
        reason=reason,
        old_status=old_status,
        new_status=new_status,
    )
    offer_rating_refresh(offer=review.offer)
    return review


@transaction.atomic
def review_publish(*, review: Review, actor: User) -> Review:
    review = review_set_status(review=review, new_status=ReviewStatus.PUBLISHED, actor=actor)
    notification_send(
        recipient=review.author,
        subject=f"Your review of {review.offer} is published",
        body=f"Thank you. Your review of {review.offer} can now be read by other families.",
        link=reverse("marketplace:review", args=[review.public_id]),
    )
    notification_send_many(
        recipients=provider_users(review.order),
        subject=f"A new review of {review.offer}",
        body=f"A family gave {review.offer} {review.rating} out of 5. You can reply to it once.",
        link=reverse("marketplace:reviews-provider"),
    )
    return review


@transaction.atomic
def review_hide(*, review: Review, actor: User, reason: str) -> Review:
    review = review_set_status(review=review, new_status=ReviewStatus.HIDDEN, actor=actor, reason=reason)
    notification_send(
        recipient=review.author,
        subject=f"Your review of {review.offer} is not shown",
        body=f"{review.council} has not shown your review of {review.offer} to other families. Why: {reason}",
        link=reverse("marketplace:review", args=[review.public_id]),
    )
    return review


def offer_rating_refresh(*, offer: Offer) -> Offer:
    """Work the offer's rating out from its published reviews and hand it to providers."""
    # Lock the offer: two moderators deciding on two reviews of one offer at once would each count
    # without the other's decision, and the later write would be wrong.
    offer = Offer.objects.select_for_update(of=("self",)).get(pk=offer.pk)
    figures = Review.objects.filter(offer=offer, status=ReviewStatus.PUBLISHED).aggregate(
        average=Avg("rating"), count=Count("pk")
    )
    average = None if figures["average"] is None else Decimal(str(figures["average"]))
    return offer_rating_set(offer=offer, average=average, count=figures["count"])


# --- The provider replies -------------------------------------------------------------------------


@transaction.atomic
def reply_submit(*, review: Review, author: User, text: str) -> ProviderReply:
    """The provider answers a published review, once; the reply is shown under it straight away."""
    review = _review_lock(review)
    refusal = reply_refusal(user=author, review=review)
    if refusal:
        raise NotAllowed(refusal)
    reply = ProviderReply(review=review, author=author, text=text.strip())
    reply.full_clean()
    reply.save()
    _audit(author, "review.replied", review, f"{review.order.provider_name} replied to a review of {review.offer}")
    notification_send(
        recipient=review.author,
        subject=f"{review.order.provider_name} replied to your review",
        body=f"{review.order.provider_name} replied to your review of {review.offer}.",
        link=reverse("marketplace:review", args=[review.public_id]),
    )
    return reply


def _audit(actor: User, action: str, review: Review, summary: str, *, reason: str = "", **data: str) -> None:
    audit_record(
        actor=actor,
        action=action,
        target=review,
        summary=summary,
        council=review.council,
        reason=reason,
        data={"order": str(review.order.public_id), "offer": str(review.offer.public_id), **data},
    )
