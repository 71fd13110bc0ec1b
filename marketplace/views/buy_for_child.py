"""``/children/buy/<offer>/``: the lead professional chooses which child to buy an offer for.

Reached from "Buy for a child" on an offer's page when they may buy for several children; with one child
it goes straight to quick purchase.
"""

from uuid import UUID

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from accounts.permissions import role_required
from marketplace import ordering_selectors as screens
from marketplace.buy_for_child_selectors import BUYER_ROLE, children_to_buy_for


@role_required(BUYER_ROLE)
@require_GET
def buy_for_child(request: HttpRequest, offer_id: UUID) -> HttpResponse:
    offer = screens.offer_for_ordering(offer_id)
    children = list(children_to_buy_for(request))
    if len(children) == 1:
        return redirect("marketplace:quick-purchase", children[0].public_id, offer.public_id)
    return render(request, "marketplace/order_requests/choose_child.html", {"offer": offer, "children": children})
