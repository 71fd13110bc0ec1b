"""Reviews of the commissioning demo's delivered orders in Coventry, so that the review pages have
something to show: the first delivered order's review published by the listing council's quality officer
with the provider's reply, the second published without a reply, the third waiting to be checked.

Everything goes through ``marketplace.services.reviews``, so audit rows, notifications and the offers'
ratings are as real use leaves them. An order already reviewed is left as it is, so a second run
creates nothing.
"""

from django.db.models import Q

from brokerage.services.consent import consent_holder
from demo.context import DemoContext
from demo.councils import COVENTRY
from marketplace.models import Order, OrderStatus, Review
from marketplace.services.orders import provider_users
from marketplace.services.reviews import (
    reply_submit,
    review_moderators,
    review_publish,
    review_refusal,
    review_submit,
)

# (rating, review, the provider's reply or "" for none), one per delivered order, oldest order first.
REVIEWS = (
    (
        5,
        "Patient and well organised. Sessions were always on time, and my son now looks forward to them.",
        "Thank you for taking the time to write this. It has been a pleasure working with your family.",
    ),
    (4, "Friendly staff who listened to what we needed. Booking could be easier, but the support itself was good.", ""),
    (3, "Helpful when it happened, but two sessions were moved at short notice.", ""),
)


def build(ctx: DemoContext) -> None:
    council = ctx.organisations[COVENTRY.slug]
    delivered = (
        Order.objects.filter(person__council=council)
        .filter(Q(status=OrderStatus.COMPLETED) | Q(deliveries__isnull=False))
        .distinct()
        .select_related("person", "offer")
        .order_by("placed_at", "pk")
    )
    created = existing = 0
    for index, (order, (rating, text, reply)) in enumerate(zip(delivered, REVIEWS, strict=False)):
        if Review.objects.filter(order=order).exists():
            existing += 1
            continue
        # The last one is left for the council's quality officer to check.
        created += _review(order, rating=rating, text=text, reply=reply, publish=index < len(REVIEWS) - 1)
    ctx.tally.record("Reviews of delivered support", created=created, existing=existing)


def _review(order: Order, *, rating: int, text: str, reply: str, publish: bool) -> int:
    holder = consent_holder(order.person)
    if holder is None or review_refusal(user=holder.user, order=order):
        return 0
    review = review_submit(order=order, author=holder.user, rating=rating, text=text)
    moderators = review_moderators(review.council)
    if not publish or not moderators:
        return 1
    review = review_publish(review=review, actor=moderators[0])
    staff = provider_users(order)
    if reply and staff:
        reply_submit(review=review, author=staff[0], text=reply)
    return 1
