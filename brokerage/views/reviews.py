"""Reviews due on the lead professional's and the family's lists, and the review of a plan."""

from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from brokerage.forms.reviews import ReviewForm
from brokerage.models import PlanStatus
from brokerage.selectors import plans as selectors
from brokerage.services import reviews as services
from brokerage.views.people import add_service_errors, casework_required, is_staff_view, posted, record_roles_required
from brokerage.views.plans import plan_for_request


@record_roles_required
def reviews_due(request: HttpRequest) -> HttpResponse:
    reviews = selectors.reviews_due_for(user=request.user, council=request.council, day=timezone.localdate())  # type: ignore[attr-defined]
    return render(
        request,
        "brokerage/reviews/due.html",
        {"reviews": reviews, "today": timezone.localdate(), "is_staff": is_staff_view(request)},
    )


@casework_required
def review(request: HttpRequest, public_id: UUID) -> HttpResponse:
    plan = plan_for_request(request, public_id)
    today = timezone.localdate()
    if request.method == "POST" and plan.status == PlanStatus.ACTIVE:
        try:
            services.review_start(plan=plan, actor=request.user, on=today)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("brokerage:plan-review", public_id=plan.public_id)
    if plan.status != PlanStatus.UNDER_REVIEW:
        return render(
            request, "brokerage/reviews/start.html", {"plan": plan, "can_start": plan.status == PlanStatus.ACTIVE}
        )
    lines = [*plan.lines.filter(stopped_on__isnull=True), *selectors.plan_continuing_lines(plan)]
    form = ReviewForm(posted(request), outcomes=list(plan.outcomes.all()), lines=lines)
    if request.method == "POST" and form.is_valid():
        try:
            _, successor = services.review_complete(
                plan=plan,
                actor=request.user,
                on=today,
                scores=form.scores(),
                stops=form.stops(),
                summary=form.cleaned_data["summary"],
                new_version=form.cleaned_data["new_version"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if successor is not None:
                messages.success(
                    request, f"Review recorded. Add the changed and new support to version {successor.version}"
                )
                return redirect("brokerage:plan", public_id=successor.public_id)
            messages.success(request, "Review recorded. The next review is scheduled")
            return redirect("brokerage:plan", public_id=plan.public_id)
    return render(request, "brokerage/reviews/review.html", {"plan": plan, "form": form})
