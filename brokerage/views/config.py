"""A council's budget settings, for its council administrators, at /budgets/settings/.

Every page acts within ``request.council`` (set by ``role_required``): settings are reached only through
council-scoped selectors, so another council's answer 404, and other roles get 403.
"""

from collections.abc import Iterable
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from accounts.exports import csv_filename, csv_response
from accounts.form_errors import add_service_errors, posted
from accounts.permissions import role_required
from accounts.roles import Role
from brokerage.forms.config import (
    BrokeragePolicyForm,
    DelegatedAuthorityForm,
    FundingStreamForm,
    LocalityFundForm,
    YearForm,
)
from brokerage.models import DelegatedAuthority
from brokerage.selectors import config as selectors
from brokerage.services import config as services

admin_required = role_required(Role.COUNCIL_ADMIN)


def year_checked(year: int) -> int:
    if not 2000 <= year <= 2100:
        raise Http404("No such financial year")
    return year


def year_context(year: int) -> dict[str, object]:
    return {"year": year, "year_label": f"April {year} to March {year + 1}"}


def with_role_labels(limits: Iterable[DelegatedAuthority]) -> list[DelegatedAuthority]:
    """Limits with ``role_label``, the role as people read it (the field stores the role's code)."""
    labels = dict(Role.choices)
    limits = list(limits)
    for limit in limits:
        limit.role_label = labels.get(limit.role, limit.role)  # type: ignore[attr-defined]
    return limits


def money_text(value: object) -> str:
    return "" if value is None else str(value)


# --- The settings home ------------------------------------------------------------------------------


@admin_required
def settings_home(request: HttpRequest) -> HttpResponse:
    years = selectors.financial_years_for(request.council)
    form = YearForm(request.GET or None, years=years)
    year = form.cleaned_data["year"] if form.is_valid() else selectors.financial_year_current()
    context = {
        **year_context(year),
        "form": form,
        "streams": selectors.streams_for(council=request.council, financial_year=year),
        "policy": selectors.policy_for_year(council=request.council, financial_year=year),
        "limits": with_role_labels(selectors.delegated_limits_for(council=request.council, financial_year=year)),
        "funds": selectors.locality_funds_for(council=request.council, financial_year=year),
        "questionnaires": selectors.questionnaires_for(council=request.council, financial_year=year),
    }
    return render(request, "brokerage/config/settings_home.html", context)


# --- Funding streams --------------------------------------------------------------------------------


@admin_required
def stream_list(request: HttpRequest, year: int) -> HttpResponse:
    year = year_checked(year)
    streams = selectors.streams_for(council=request.council, financial_year=year)
    return render(request, "brokerage/config/stream_list.html", {**year_context(year), "streams": streams})


@admin_required
def stream_list_csv(request: HttpRequest, year: int) -> HttpResponse:
    year = year_checked(year)
    header = [
        "Financial year",
        "Name",
        "Code",
        "Finance code",
        "Direct payment allowed",
        "RAS price point",
        "May not pay for",
        "May not pay for by direct payment",
        "Why",
        "Carries over",
        "Surplus weeks",
    ]
    rows = (
        [
            year,
            s.name,
            s.code,
            s.finance_code,
            "yes" if s.direct_payment_allowed else "no",
            money_text(s.price_per_point),
            "; ".join(t.name for t in s.excluded_categories.all()),
            "; ".join(t.name for t in s.excluded_by_direct_payment.all()),
            s.restriction_note,
            "yes" if s.carries_over else "no",
            s.surplus_weeks,
        ]
        for s in selectors.streams_for(council=request.council, financial_year=year)
    )
    return csv_response(csv_filename(request.council, f"funding-streams-{year}"), header, rows)


@admin_required
def stream_create(request: HttpRequest, year: int) -> HttpResponse:
    year = year_checked(year)
    form = FundingStreamForm(posted(request), council=request.council)
    if request.method == "POST" and form.is_valid():
        try:
            stream = services.funding_stream_create(
                actor=request.user, council=request.council, financial_year=year, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"You have added {stream.name}")
            return redirect("brokerage:settings-streams", year=year)
    return render(request, "brokerage/config/stream_form.html", {**year_context(year), "form": form})


@admin_required
def stream_edit(request: HttpRequest, public_id: UUID) -> HttpResponse:
    stream = selectors.stream_get(council=request.council, public_id=public_id)
    form = FundingStreamForm(posted(request), council=request.council, stream=stream)
    if request.method == "POST" and form.is_valid():
        try:
            services.funding_stream_update(
                actor=request.user, council=request.council, stream=stream, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Your changes to {stream.name} have been saved")
            return redirect("brokerage:settings-streams", year=stream.financial_year)
    context = {**year_context(stream.financial_year), "form": form, "stream": stream}
    return render(request, "brokerage/config/stream_form.html", context)


# --- The brokerage policy ---------------------------------------------------------------------------


@admin_required
def policy_edit(request: HttpRequest, year: int) -> HttpResponse:
    year = year_checked(year)
    policy = selectors.policy_for_year(council=request.council, financial_year=year)
    form = BrokeragePolicyForm(posted(request), policy=policy)
    if request.method == "POST" and form.is_valid():
        try:
            services.brokerage_policy_save(
                actor=request.user, council=request.council, financial_year=year, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"The budget rules for April {year} to March {year + 1} have been saved")
            return redirect(f"{reverse('brokerage:settings')}?year={year}")
    context = {**year_context(year), "form": form, "is_saved": policy.pk is not None}
    return render(request, "brokerage/config/policy_form.html", context)


# --- Delegated authority ----------------------------------------------------------------------------


@admin_required
def limit_list(request: HttpRequest, year: int) -> HttpResponse:
    year = year_checked(year)
    limits = with_role_labels(selectors.delegated_limits_for(council=request.council, financial_year=year))
    return render(request, "brokerage/config/limit_list.html", {**year_context(year), "limits": limits})


@admin_required
def limit_list_csv(request: HttpRequest, year: int) -> HttpResponse:
    year = year_checked(year)
    rows = (
        [year, limit.role_label, str(limit.limit_per_person)]
        for limit in with_role_labels(selectors.delegated_limits_for(council=request.council, financial_year=year))
    )
    header = ["Financial year", "Role", "Limit per person"]
    return csv_response(csv_filename(request.council, f"delegated-authority-{year}"), header, rows)


@admin_required
def limit_create(request: HttpRequest, year: int) -> HttpResponse:
    year = year_checked(year)
    form = DelegatedAuthorityForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.delegated_authority_create(
                actor=request.user, council=request.council, financial_year=year, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "You have set the limit")
            return redirect("brokerage:settings-limits", year=year)
    return render(request, "brokerage/config/limit_form.html", {**year_context(year), "form": form})


@admin_required
def limit_edit(request: HttpRequest, pk: int) -> HttpResponse:
    limit = selectors.delegated_limit_get(council=request.council, pk=pk)
    form = DelegatedAuthorityForm(posted(request), limit=limit)
    if request.method == "POST" and form.is_valid():
        try:
            services.delegated_authority_update(
                actor=request.user, council=request.council, limit=limit, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Your changes to the limit have been saved")
            return redirect("brokerage:settings-limits", year=limit.financial_year)
    context = {**year_context(limit.financial_year), "form": form, "limit": limit}
    return render(request, "brokerage/config/limit_form.html", context)


# --- Locality funds ---------------------------------------------------------------------------------


@admin_required
def fund_list(request: HttpRequest, year: int) -> HttpResponse:
    year = year_checked(year)
    funds = selectors.locality_funds_for(council=request.council, financial_year=year)
    return render(request, "brokerage/config/fund_list.html", {**year_context(year), "funds": funds})


@admin_required
def fund_list_csv(request: HttpRequest, year: int) -> HttpResponse:
    year = year_checked(year)
    rows = (
        [
            year,
            fund.name,
            fund.stream.name,
            fund.stream.finance_code,
            "; ".join(f"{m.get_full_name()} <{m.email}>" for m in fund.managers.all()),
        ]
        for fund in selectors.locality_funds_for(council=request.council, financial_year=year)
    )
    header = ["Financial year", "Fund", "Funding stream", "Finance code", "Budget-holding managers"]
    return csv_response(csv_filename(request.council, f"locality-funds-{year}"), header, rows)


@admin_required
def fund_create(request: HttpRequest, year: int) -> HttpResponse:
    year = year_checked(year)
    form = LocalityFundForm(posted(request), council=request.council, financial_year=year)
    if request.method == "POST" and form.is_valid():
        try:
            fund = services.locality_fund_create(
                actor=request.user, council=request.council, financial_year=year, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"You have added {fund.name}")
            return redirect("brokerage:settings-funds", year=year)
    return render(request, "brokerage/config/fund_form.html", {**year_context(year), "form": form})


@admin_required
def fund_edit(request: HttpRequest, public_id: UUID) -> HttpResponse:
    fund = selectors.locality_fund_get(council=request.council, public_id=public_id)
    form = LocalityFundForm(posted(request), council=request.council, financial_year=fund.financial_year, fund=fund)
    if request.method == "POST" and form.is_valid():
        try:
            services.locality_fund_update(actor=request.user, council=request.council, fund=fund, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Your changes to {fund.name} have been saved")
            return redirect("brokerage:settings-funds", year=fund.financial_year)
    context = {**year_context(fund.financial_year), "form": form, "fund": fund}
    return render(request, "brokerage/config/fund_form.html", context)
