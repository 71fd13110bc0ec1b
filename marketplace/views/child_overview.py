"""The lead professional's one page for a child: the assessment (CAF) reference, the team around the
child, the current plan, the budget by stream, orders and what waits on a manager, reviews due, and
what the money achieved (each outcome's baseline and scores at review beside the money spent on it).

Who may see it is the record's rule (``brokerage.selectors.people.person_get_for``: consent grants
access; anyone else gets 404); lead professionals and brokers use it, other roles get 403. Every look is
logged like the record page.
"""

from uuid import UUID

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from accounts.permissions import role_required
from brokerage.selectors.people import CASEWORK_ROLES, person_get_for
from brokerage.services.people import record_view_log
from marketplace import ordering_selectors as screens
from marketplace.order_request_selectors import child_overview as overview_of


@role_required(*CASEWORK_ROLES)
@require_GET
def child_overview(request: HttpRequest, person_id: UUID) -> HttpResponse:
    person = person_get_for(user=request.user, council=request.council, public_id=person_id)  # type: ignore[attr-defined]
    record_view_log(person=person, viewer=request.user, what="child's one page")
    may_buy = screens.people_user_may_order_for(request.user).filter(pk=person.pk).exists()
    lines_to_buy = [line for line in screens.orderable_lines(person) if line.offer_id] if may_buy else []
    return render(
        request,
        "marketplace/child_overview/page.html",
        {"overview": overview_of(person, day=timezone.localdate()), "person": person, "lines_to_buy": lines_to_buy},
    )
