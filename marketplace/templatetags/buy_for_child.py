"""``{% buy_for_child_link offer %}``: the lead professional's "Buy for a child" on an offer's page.

The providers app may not import the marketplace, so its offer template loads this library by name; the
tag shows nothing to anyone who has no child to buy for.
"""

from django import template

from marketplace.buy_for_child_selectors import buy_for_child_url
from providers.models import Offer

register = template.Library()


@register.inclusion_tag("marketplace/order_requests/includes/buy_for_child_link.html", takes_context=True)
def buy_for_child_link(context: template.Context, offer: Offer) -> dict[str, object]:
    request = context.get("request")
    url = buy_for_child_url(request, offer_public_id=offer.public_id) if request is not None else ""
    return {"url": url, "offer": offer}
