"""The complaint pages: making a complaint (from an order, an offer or a provider's page), the family's
complaints with accepting a response or asking the council to look at it, the provider's complaints and
response form, the council's lists, CSV and decision form, and the commissioner's complaint figures.

Every page works without JavaScript. Who may see what is decided in ``marketplace.complaint_selectors``;
a complaint the user may not see answers 404, a page their role may not use 403.
"""

from collections.abc import Callable
from datetime import timedelta
from uuid import UUID

from django.core.paginator import Paginator
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.exports import csv_filename, csv_response, query_string_without_page
from accounts.form_errors import posted
from accounts.permissions import role_required
from accounts.roles import FAMILY_ROLES, PROVIDER_ROLES
from marketplace import complaint_selectors as selectors
from marketplace.complaint_selectors import COUNCIL_ROLES, FIGURES_ROLES
from marketplace.forms_complaints import ComplaintForm, CouncilFilterForm, DecideForm, EscalateForm, ResponseForm
from marketplace.models import Complaint
from marketplace.services import complaints as services
from marketplace.services.complaints import Subject
from marketplace.views.steps import button_step, form_step

TEMPLATES = "marketplace/complaints/"
PAGE_SIZE = 25
FIGURES_DAYS = 365

family_required = role_required(*FAMILY_ROLES)
provider_required = role_required(*PROVIDER_ROLES)
council_required = role_required(*COUNCIL_ROLES)
figures_required = role_required(*FIGURES_ROLES)


# --- Making a complaint --------------------------------------------------------------------------------


@family_required
@require_http_methods(["GET", "POST"])
def complaint_start(request: HttpRequest) -> HttpResponse:
    """Make a complaint about ``?order=``, ``?offer=`` or ``?organisation=`` (public ids)."""
    subject, offers, people = _what_the_complaint_is_about(request)
    form = ComplaintForm(posted(request), people=people, offers=offers)

    def act(data: dict) -> Complaint:
        chosen = Subject(offer=form.chosen_offer(), provider_organisation=subject.provider_organisation)
        return services.complaint_make(
            made_by=request.user,  # type: ignore[arg-type]
            membership=request.acting,  # type: ignore[attr-defined]
            person=form.chosen_person(),  # type: ignore[arg-type]
            subject=chosen if offers else subject,
            what_happened=data["what_happened"],
            what_they_want=data["what_they_want"],
        )

    def page() -> HttpResponse:
        context = {
            "form": form,
            "subject": subject,
            "people": people,
            "concern_query": _concern_query(subject),
            "due_on": services.response_due_on(timezone.localdate()),
        }
        return render(request, TEMPLATES + "start.html", context)

    if not people:
        return page()
    return form_step(
        request,
        form,
        act=act,
        done="Your complaint has been sent to the provider. We will email you when they respond.",
        then=_family_url,
        page=page,
    )


def _what_the_complaint_is_about(request: HttpRequest) -> tuple[Subject, list, list]:
    people = list(selectors.people_user_may_complain_for(request.user))  # type: ignore[arg-type]
    try:
        if order_id := request.GET.get("order"):
            order = selectors.order_for_complaint(user=request.user, public_id=UUID(order_id))  # type: ignore[arg-type]
            return Subject.of_order(order), [], [order.person]
        if offer_id := request.GET.get("offer"):
            return Subject(offer=selectors.offer_to_complain_about(UUID(offer_id))), [], people
        if organisation_id := request.GET.get("organisation"):
            organisation, offers = selectors.provider_to_complain_about(UUID(organisation_id))
            return Subject(provider_organisation=organisation), offers, people
    except ValueError as error:
        raise Http404("No provider or service has this address") from error
    raise Http404("Say which provider or service the complaint is about")


def _concern_query(subject: Subject) -> str:
    """The "Report a concern" form's query for the same provider, so that it opens already filled in."""
    if subject.offer is not None and subject.offer.personal_assistant_id:
        return f"pa={subject.offer.personal_assistant.public_id}"
    organisation = subject.organisation
    return f"organisation={organisation.public_id}" if organisation else ""


# --- The family's complaints ---------------------------------------------------------------------------


@family_required
@require_GET
def complaint_list(request: HttpRequest) -> HttpResponse:
    page_obj = Paginator(selectors.complaints_of_family(request.user), PAGE_SIZE).get_page(request.GET.get("page"))  # type: ignore[arg-type]
    return render(request, TEMPLATES + "family_list.html", {"page_obj": page_obj})


@family_required
@require_GET
def complaint_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    complaint = selectors.complaint_get_for_family(user=request.user, public_id=public_id)  # type: ignore[arg-type]
    return _family_page(request, complaint, EscalateForm())


def _family_url(complaint: Complaint) -> str:
    return reverse("marketplace:complaint", args=[complaint.public_id])


def _family_page(request: HttpRequest, complaint: Complaint, form: EscalateForm) -> HttpResponse:
    return _complaint_page(request, "family_detail.html", complaint, form)


def _complaint_page(request: HttpRequest, template: str, complaint: Complaint, form: Form) -> HttpResponse:
    """One side's page of a complaint: the complaint, its timeline, and that side's form."""
    context = {"complaint": complaint, "form": form, "events": complaint.events.select_related("actor")}
    return render(request, TEMPLATES + template, context)


def _complaint_form_step(
    request: HttpRequest,
    complaint: Complaint,
    form: Form,
    *,
    template: str,
    act: Callable[[dict], object],
    done: str,
) -> HttpResponse:
    """The provider's response or the council's decision: back to the same page when it is recorded, or the
    page again with the form's errors."""
    return form_step(
        request,
        form,
        act=act,
        done=done,
        then=request.path,
        page=lambda: _complaint_page(request, template, complaint, form),
    )


@family_required
@require_POST
def complaint_accept(request: HttpRequest, public_id: UUID) -> HttpResponse:
    complaint = selectors.complaint_get_for_family(user=request.user, public_id=public_id)  # type: ignore[arg-type]
    return button_step(
        request,
        act=lambda: services.complaint_accept(complaint=complaint, actor=request.user),  # type: ignore[arg-type]
        done="You have accepted the provider's response. Your complaint is resolved.",
        then=_family_url(complaint),
    )


@family_required
@require_POST
def complaint_escalate(request: HttpRequest, public_id: UUID) -> HttpResponse:
    complaint = selectors.complaint_get_for_family(user=request.user, public_id=public_id)  # type: ignore[arg-type]
    form = EscalateForm(request.POST)
    return form_step(
        request,
        form,
        act=lambda data: services.complaint_escalate(complaint=complaint, actor=request.user, reason=data["reason"]),  # type: ignore[arg-type]
        done="Your complaint has gone to the council. We will email you when it has decided.",
        then=_family_url(complaint),
        page=lambda: _family_page(request, complaint, form),
    )


# --- The provider's complaints -------------------------------------------------------------------------


@provider_required
@require_GET
def received_list(request: HttpRequest) -> HttpResponse:
    complaints = selectors.complaints_of_provider(request.user)  # type: ignore[arg-type]
    page_obj = Paginator(complaints, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, TEMPLATES + "provider_list.html", {"page_obj": page_obj, "today": timezone.localdate()})


@provider_required
@require_http_methods(["GET", "POST"])
def received_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    complaint = selectors.complaint_get_for_provider(user=request.user, public_id=public_id)  # type: ignore[arg-type]
    return _complaint_form_step(
        request,
        complaint,
        ResponseForm(posted(request)),
        template="provider_detail.html",
        act=lambda data: services.complaint_respond(
            complaint=complaint,
            responder=request.user,  # type: ignore[arg-type]
            response=data["response"],
        ),
        done="Your response has been sent to the family",
    )


# --- The council ---------------------------------------------------------------------------------------


def _council_filters(request: HttpRequest) -> tuple[CouncilFilterForm, selectors.CouncilFilters]:
    form = CouncilFilterForm(request.GET)
    if not form.is_valid():
        return form, selectors.CouncilFilters()
    return form, selectors.CouncilFilters(**form.cleaned_data)


@council_required
@require_GET
def council_list(request: HttpRequest) -> HttpResponse:
    council = request.council  # type: ignore[attr-defined]
    form, filters = _council_filters(request)
    complaints = selectors.complaints_of_council(council, filters)
    context = {
        "council": council,
        "form": form,
        "escalated": selectors.complaints_escalated(council),
        "page_obj": Paginator(complaints, PAGE_SIZE).get_page(request.GET.get("page")),
        "query_string": query_string_without_page(request),
    }
    return render(request, TEMPLATES + "council_list.html", context)


@council_required
@require_GET
def council_export(request: HttpRequest) -> HttpResponse:
    council = request.council  # type: ignore[attr-defined]
    _, filters = _council_filters(request)
    header = [
        "Made on",
        "Provider",
        "About",
        "Status",
        "Response due",
        "Responded on",
        "Escalated on",
        "Outcome",
        "Decided on",
        "Reference",
    ]
    rows = (
        [
            _day(complaint.created_at),
            complaint.provider_name,
            complaint.about,
            complaint.get_status_display(),
            complaint.response_due_on.isoformat(),
            _day(complaint.responded_at),
            _day(complaint.escalated_at),
            complaint.get_outcome_display(),
            _day(complaint.decided_at),
            str(complaint.public_id),
        ]
        for complaint in selectors.complaints_of_council(council, filters)
    )
    return csv_response(csv_filename(council, "complaints"), header, rows)


def _day(moment) -> str:  # type: ignore[no-untyped-def]
    return timezone.localdate(moment).isoformat() if moment else ""


@council_required
@require_http_methods(["GET", "POST"])
def council_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    complaint = selectors.complaint_get_for_council(council=request.council, public_id=public_id)  # type: ignore[attr-defined]
    return _complaint_form_step(
        request,
        complaint,
        DecideForm(posted(request)),
        template="council_detail.html",
        act=lambda data: services.complaint_decide(
            complaint=complaint,
            officer=request.user,  # type: ignore[arg-type]
            outcome=data["outcome"],
            decision=data["decision"],
        ),
        done="Your decision has been recorded, and the family and the provider told",
    )


# --- The commissioner's figures ------------------------------------------------------------------------


def _figures(request: HttpRequest) -> list[selectors.ProviderComplaints]:
    since = timezone.localdate() - timedelta(days=FIGURES_DAYS)
    return selectors.complaint_figures(council=request.council, since=since)  # type: ignore[attr-defined]


@figures_required
@require_GET
def figures(request: HttpRequest) -> HttpResponse:
    rows = _figures(request)
    context = {"council": request.council, "rows": rows, "chart": complaints_chart(rows)}  # type: ignore[attr-defined]
    return render(request, TEMPLATES + "figures.html", context)


@figures_required
@require_GET
def figures_export(request: HttpRequest) -> HttpResponse:
    header = [
        "Provider",
        "Complaints",
        "Still being dealt with",
        "Resolved by the provider",
        "Upheld",
        "Partly upheld",
        "Not upheld",
        "Share upheld (%)",
    ]
    rows = [
        [
            row.provider,
            row.total,
            row.undecided,
            row.resolved,
            row.upheld,
            row.partly_upheld,
            row.not_upheld,
            "" if row.upheld_percent is None else row.upheld_percent,
        ]
        for row in _figures(request)
    ]
    return csv_response(csv_filename(request.council, "complaint-figures"), header, rows)  # type: ignore[attr-defined]


# The chart is SVG with its geometry in attributes, as the prompt-payment chart: the content security
# policy allows no inline styles, and an SVG needs no JavaScript. One horizontal bar per provider, split
# into how its complaints ended; the table beside it gives the same figures.
CHART_PROVIDERS = 10
ROW_HEIGHT = 32
BAR_HEIGHT = 20
LABEL_WIDTH = 180
BAR_AREA = 300
SEGMENTS = (
    ("upheld", "Upheld", "#d4351c"),
    ("partly_upheld", "Partly upheld", "#f47738"),
    ("not_upheld", "Not upheld", "#1d70b8"),
    ("resolved", "Resolved by the provider", "#00703c"),
    ("undecided", "Still being dealt with", "#505a5f"),
)


def complaints_chart(rows: list[selectors.ProviderComplaints]) -> dict[str, object]:
    shown = rows[:CHART_PROVIDERS]
    most = max((row.total for row in shown), default=0)
    bars = []
    for index, row in enumerate(shown):
        x = LABEL_WIDTH
        segments = []
        for field, label, colour in SEGMENTS:
            count = getattr(row, field)
            width = round(BAR_AREA * count / most) if most else 0
            if width:
                segments.append({"x": x, "width": width, "colour": colour, "label": label, "count": count})
            x += width
        y = index * ROW_HEIGHT
        bars.append({"row": row, "y": y, "bar_y": y + 4, "text_y": y + 20, "segments": segments, "end_x": x + 6})
    return {
        "bars": bars,
        "legend": [{"label": label, "colour": colour} for _, label, colour in SEGMENTS],
        "width": LABEL_WIDTH + BAR_AREA + 40,
        "height": max(len(shown), 1) * ROW_HEIGHT,
        "label_x": LABEL_WIDTH - 8,
        "bar_height": BAR_HEIGHT,
        "more": len(rows) - len(shown),
    }
