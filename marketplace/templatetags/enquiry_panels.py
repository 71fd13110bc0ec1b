"""Enquiry parts that pages of other apps show without importing the marketplace:

- ``{% can_enquire as can_ask %}``: whether to offer "Ask the provider" (anonymous visitors are asked to
  sign in first; a signed-in user whose roles cannot send enquiries is not shown a link that answers 403);
- ``{% provider_enquiries_panel provider %}``: the enquiries waiting, on the provider dashboard.
"""

from django import template

from marketplace.enquiry_selectors import ENQUIRER_ROLES, OVERDUE_AFTER_DAYS, enquiries_waiting_for_provider
from providers.permissions import ProviderContext

register = template.Library()


@register.simple_tag(takes_context=True)
def can_enquire(context: template.Context) -> bool:
    request = context.get("request")
    if request is None:
        return False
    if not request.user.is_authenticated:
        return True
    return any(membership.role in ENQUIRER_ROLES for membership in request.memberships)


@register.inclusion_tag("marketplace/enquiries/includes/provider_panel.html")
def provider_enquiries_panel(provider: ProviderContext) -> dict[str, object]:
    waiting = enquiries_waiting_for_provider(provider)
    return {
        "waiting": waiting[:5],
        "waiting_count": len(waiting),
        "overdue_count": sum(1 for item in waiting if item.is_overdue),
        "overdue_after_days": OVERDUE_AFTER_DAYS,
    }
