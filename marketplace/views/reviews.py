"""The review pages, under /reviews/: a family reviews support that was delivered, the provider reads the
reviews of its services and replies once, and the council's commissioners and quality officers check
each review before it is published (or hide it, with a reason), with a CSV of their queue.

Every page works without JavaScript. Who may see a review is decided in ``marketplace.review_selectors``
(another family's, another provider's or another council's answers 404); what each may do is decided by
``marketplace.services.reviews``, whose refusals are shown on the form that was sent.
"""

from uuid import UUID

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.exports import csv_filename, csv_response
from accounts.permissions import role_required
from accounts.roles import FAMILY_ROLES, PROVIDER_ROLES
from marketplace import review_selectors as selectors
from marketplace.forms_reviews import HideForm, ReplyForm, ReviewFilterForm, ReviewForm
from marketplace.models import Review, ReviewStatus
from marketplace.order_selectors import order_get_for
from marketplace.services import reviews as services
from marketplace.services.orders import is_provider_user
from marketplace.views.paging import paged
from marketplace.views.steps import button_step, form_step, posted

TEMPLATES = "marketplace/reviews/"

family_required = role_required(*FAMILY_ROLES)
provider_required = role_required(*PROVIDER_ROLES)
moderator_required = role_required(*services.MODERATOR_ROLES)
any_party_required = role_required(*FAMILY_ROLES, *PROVIDER_ROLES, *services.MODERATOR_ROLES)


def review_url(review: Review) -> str:
    return reverse("marketplace:review", args=[review.public_id])


def moderate_url(review: Review) -> str:
    return reverse("marketplace:review-moderate", args=[review.public_id])


# --- The family ------------------------------------------------------------------------------------


@family_required
@require_http_methods(["GET", "POST"])
def review_submit(request: HttpRequest, order_public_id: UUID) -> HttpResponse:
    order = order_get_for(user=request.user, public_id=order_public_id)
    order_url = reverse("marketplace:order", args=[order.public_id])
    refusal = services.review_refusal(user=request.user, order=order)
    if request.method == "GET" and refusal:
        messages.error(request, refusal)
        return redirect(order_url)
    form = ReviewForm(posted(request))
    return form_step(
        request,
        form,
        act=lambda data: services.review_submit(order=order, author=request.user, **data),
        done="Thank you for your review. The council checks every review before it is published.",
        then=review_url,
        page=lambda: render(request, TEMPLATES + "submit.html", {"form": form, "order": order, "back_url": order_url}),
    )


@any_party_required
@require_GET
def review_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    review = selectors.review_get_for(user=request.user, public_id=public_id)
    is_provider = is_provider_user(user=request.user, order=review.order)
    return render(
        request,
        TEMPLATES + "detail.html",
        {
            "review": review,
            "reply": getattr(review, "reply", None),
            "may_reply": not services.reply_refusal(user=request.user, review=review),
            "may_moderate": services.is_review_moderator(user=request.user, review=review),
            "shows_reason": not is_provider,
        },
    )


# --- The provider ----------------------------------------------------------------------------------


@provider_required
@require_GET
def provider_reviews(request: HttpRequest) -> HttpResponse:
    reviews = paged(request, selectors.reviews_for_provider(request.user))
    return render(request, TEMPLATES + "provider_list.html", {"reviews": reviews})


@provider_required
@require_http_methods(["GET", "POST"])
def reply_submit(request: HttpRequest, public_id: UUID) -> HttpResponse:
    review = selectors.review_get_for_provider(user=request.user, public_id=public_id)
    refusal = services.reply_refusal(user=request.user, review=review)
    if request.method == "GET" and refusal:
        messages.error(request, refusal)
        return redirect(review_url(review))
    form = ReplyForm(posted(request))
    return form_step(
        request,
        form,
        act=lambda data: services.reply_submit(review=review, author=request.user, **data),
        done="Your reply is published under the review",
        then=review_url(review),
        page=lambda: render(
            request, TEMPLATES + "reply.html", {"form": form, "review": review, "back_url": review_url(review)}
        ),
    )


# --- The council -----------------------------------------------------------------------------------


def _queue_status(request: HttpRequest) -> tuple[ReviewFilterForm, str]:
    data = request.GET if "status" in request.GET else {"status": ReviewStatus.SUBMITTED}
    form = ReviewFilterForm(data)
    return form, form.cleaned_data["status"] if form.is_valid() else ReviewStatus.SUBMITTED


@moderator_required
@require_GET
def moderation_queue(request: HttpRequest) -> HttpResponse:
    form, status = _queue_status(request)
    reviews = selectors.reviews_for_council(council=request.council, status=status)
    return render(
        request,
        TEMPLATES + "queue.html",
        {
            "filter_form": form,
            "status": status,
            "reviews": paged(request, reviews),
            "export_query": f"status={status}",
        },
    )


@moderator_required
@require_GET
def moderation_export(request: HttpRequest) -> HttpResponse:
    _, status = _queue_status(request)
    header = ["Reference", "Submitted", "Service", "Provider", "Rating", "Review", "Status", "Checked by", "Reason"]
    rows = [
        [
            review.reference,
            timezone.localdate(review.submitted_at).isoformat(),
            str(review.offer),
            review.order.provider_name,
            review.rating,
            review.text,
            review.get_status_display(),
            review.moderated_by.get_full_name() if review.moderated_by else "",
            review.hidden_reason,
        ]
        for review in selectors.reviews_for_council(council=request.council, status=status).select_related(
            "order__provider_organisation__provider_profile", "order__personal_assistant"
        )
    ]
    return csv_response(csv_filename(request.council, "reviews"), header, rows)


def _moderate_page(request: HttpRequest, review: Review, hide_form: HideForm) -> HttpResponse:
    return render(
        request,
        TEMPLATES + "moderate.html",
        {
            "review": review,
            "reply": getattr(review, "reply", None),
            "hide_form": hide_form,
            "may_publish": services.review_may_become(review, ReviewStatus.PUBLISHED),
            "may_hide": services.review_may_become(review, ReviewStatus.HIDDEN),
        },
    )


@moderator_required
@require_GET
def review_moderate(request: HttpRequest, public_id: UUID) -> HttpResponse:
    review = selectors.review_get_for_council(council=request.council, public_id=public_id)
    return _moderate_page(request, review, HideForm())


@moderator_required
@require_POST
def review_publish(request: HttpRequest, public_id: UUID) -> HttpResponse:
    review = selectors.review_get_for_council(council=request.council, public_id=public_id)
    return button_step(
        request,
        act=lambda: services.review_publish(review=review, actor=request.user),
        done="The review is published, and the family and the provider have been told",
        then=moderate_url(review),
    )


@moderator_required
@require_POST
def review_hide(request: HttpRequest, public_id: UUID) -> HttpResponse:
    review = selectors.review_get_for_council(council=request.council, public_id=public_id)
    form = HideForm(request.POST)
    return form_step(
        request,
        form,
        act=lambda data: services.review_hide(review=review, actor=request.user, **data),
        done="The review is hidden, and the family has been told why",
        then=moderate_url(review),
        page=lambda: _moderate_page(request, review, form),
    )
