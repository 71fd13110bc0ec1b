"""Who is offered "Buy for a child" on an offer's page, and for which children.

A lead professional buys with quick purchase (``marketplace:quick-purchase``) from the budgets of the children
they may order for (``people_user_may_order_for``: named lead professional while the family's consent stands,
or a grant to act). Nobody else is offered it: families and brokers use "Order this support", and a
budget-holding manager approves requests rather than buying.
"""

from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse

from accounts.roles import Role
from brokerage.models import PersonSupported
from marketplace.ordering_selectors import people_user_may_order_for

BUYER_ROLE = Role.LEAD_PROFESSIONAL


def acts_as_lead_professional(request: HttpRequest) -> bool:
    return request.user.is_authenticated and any(
        membership.role == BUYER_ROLE
        for membership in request.memberships  # type: ignore[attr-defined]
    )


def children_to_buy_for(request: HttpRequest) -> QuerySet[PersonSupported]:
    if not acts_as_lead_professional(request):
        return PersonSupported.objects.none()
    return people_user_may_order_for(request.user)  # type: ignore[arg-type]


def buy_for_child_url(request: HttpRequest, *, offer_public_id: object) -> str:
    """Straight to quick purchase with one child; the chooser with several; "" with none."""
    children = list(children_to_buy_for(request)[:2])
    if not children:
        return ""
    if len(children) == 1:
        return reverse("marketplace:quick-purchase", args=[children[0].public_id, offer_public_id])
    return reverse("marketplace:buy-for-child", args=[offer_public_id])
