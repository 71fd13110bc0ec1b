"""Review parts that pages of other apps show without importing the marketplace:

- ``{% offer_reviews offer %}``: the published reviews of an offer and the provider's replies, on its public page;
- ``{% order_review_panel order %}``: on an order's page, "Review this service" for the family once the order
  was delivered, or the review they wrote and where it stands.
"""

from django import template

from marketplace.review_selectors import may_review, published_reviews_of_offer, review_of_order
from marketplace.services.reviews import review_author_consent
from providers.selectors.ratings import offer_rating

register = template.Library()


@register.inclusion_tag("marketplace/reviews/includes/offer_reviews.html")
def offer_reviews(offer) -> dict[str, object]:  # type: ignore[no-untyped-def]
    return {"offer": offer, "rating": offer_rating(offer), "reviews": published_reviews_of_offer(offer.pk)}


@register.inclusion_tag("marketplace/reviews/includes/order_panel.html", takes_context=True)
def order_review_panel(context: template.Context, order) -> dict[str, object]:  # type: ignore[no-untyped-def]
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"show": False}
    review = review_of_order(order)
    is_family = review_author_consent(user=user, order=order) is not None
    return {
        "show": is_family and (review is not None or may_review(user=user, order=order)),
        "order": order,
        "review": review,
    }
