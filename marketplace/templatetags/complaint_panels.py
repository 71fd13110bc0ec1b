"""Links to make a complaint, shown only to people who may make one.

- ``{% can_complain as may_complain %}``: whether the signed-in user acts as a family member or young person
  (the complaint form answers 403 to anyone else, so no one else is shown the link).
- ``{% order_complaint_link order %}``: "Make a complaint about this order" on an order page, for the family.
"""

from django import template

from accounts.permissions import acting_membership
from accounts.roles import FAMILY_ROLES
from marketplace.complaint_selectors import people_user_may_complain_for
from marketplace.models import Order

register = template.Library()


@register.simple_tag(takes_context=True)
def can_complain(context: template.Context) -> bool:
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return False
    return acting_membership(request, *FAMILY_ROLES) is not None


@register.inclusion_tag("marketplace/complaints/includes/order_link.html", takes_context=True)
def order_complaint_link(context: template.Context, order: Order) -> dict[str, object]:
    request = context.get("request")
    shown = (
        can_complain(context) and people_user_may_complain_for(request.user).filter(pk=order.person_id).exists()  # type: ignore[union-attr]
    )
    return {"order": order, "shown": shown}
