"""Order parts that pages of other apps show without importing the marketplace:

- ``{% can_order as may_order %}``: whether to offer "Order this support" on an offer (anonymous visitors
  are asked to sign in first; a signed-in user whose roles cannot order is not shown a link that answers 403);
- ``{% can_order_for person as may_order %}``: whether the user may order from this person's budget, for
  the "Order this support" links of a plan's lines;
- ``{% provider_orders_panel %}``: orders to answer and queried invoices, on the provider dashboard.
"""

from decimal import Decimal

from django import template

from marketplace.models.invoices import plain
from marketplace.order_selectors import waiting_on
from marketplace.ordering_selectors import BUDGET_ROLES
from marketplace.services.orders import budget_authority

register = template.Library()
PROVIDER_KINDS = ("order_to_answer", "invoice_queried")


@register.simple_tag(takes_context=True)
def can_order(context: template.Context) -> bool:
    request = context.get("request")
    if request is None:
        return False
    if not request.user.is_authenticated:
        return True
    return any(membership.role in BUDGET_ROLES for membership in request.memberships)


@register.simple_tag(takes_context=True)
def can_order_for(context: template.Context, person) -> bool:  # type: ignore[no-untyped-def]
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return False
    return budget_authority(user=request.user, person=person) is not None


@register.inclusion_tag("marketplace/orders/includes/provider_panel.html", takes_context=True)
def provider_orders_panel(context: template.Context) -> dict[str, object]:
    request = context["request"]
    waiting = [item for item in waiting_on(request.user) if item.kind in PROVIDER_KINDS]
    return {
        "to_answer": sum(1 for item in waiting if item.kind == "order_to_answer"),
        "queried": sum(1 for item in waiting if item.kind == "invoice_queried"),
        "oldest_days": max((item.age_days for item in waiting), default=0),
    }


@register.filter(name="plain_number")
def plain_number(value: Decimal | None) -> str:
    """12.00 → 12, 1.50 → 1.5: how people write a number of hours or sessions."""
    return "" if value is None else plain(Decimal(value))
