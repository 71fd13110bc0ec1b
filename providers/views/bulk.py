"""Bulk pages: CSV export and import of offers (a provider's own, or a council's directory), and a
council's own taxonomy terms.

Providers act on their own offers (``provider_required``); council administrators on the providers
registered with their council (``request.council``). Another council's records are never reached.
"""

from collections.abc import Iterable, Sequence
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.exports import csv_response
from accounts.form_errors import add_service_errors
from accounts.models import Organisation
from accounts.permissions import role_required, user_councils
from accounts.roles import Role
from providers import csv_format
from providers.exceptions import ImportFailed
from providers.forms_bulk import CsvUploadForm, TaxonomyTermForm
from providers.permissions import ProviderContext, provider_required
from providers.selectors import directory as directory_selectors
from providers.selectors import taxonomy as taxonomy_selectors
from providers.services import exports, imports
from providers.services.taxonomy import taxonomy_term_add as term_add
from providers.services.taxonomy import taxonomy_term_set_active

PAGE_SIZE = 25
PROBLEMS_SHOWN = 200
admin_required = role_required(Role.COUNCIL_ADMIN)


# --- A provider's own offers ------------------------------------------------------------------------------


@provider_required
def offers_export(request: HttpRequest) -> HttpResponse:
    provider: ProviderContext = request.provider  # type: ignore[attr-defined]
    header, rows = exports.provider_offers_export(**_owner(provider))
    return _csv_download(f"{_provider_slug(provider)}-offers", header, rows)


@provider_required
def offers_import(request: HttpRequest) -> HttpResponse:
    provider: ProviderContext = request.provider  # type: ignore[attr-defined]
    form = _upload_form(request)
    problems: list[tuple[int, str]] = []
    if request.method == "POST" and form.is_valid():
        try:
            result = imports.offers_import(actor=request.user, lines=form.lines(), **_owner(provider))
        except ImportFailed as failure:
            problems = failure.errors
        else:
            messages.success(
                request,
                f"Your file is imported: {result.summary}. New offers and changes are drafts until you send "
                "them for checking.",
            )
            return redirect(_after_provider_import())
    return _import_page(request, "providers/bulk/offers_import.html", form, problems)


def _owner(provider: ProviderContext) -> dict[str, object]:
    if provider.personal_assistant is not None:
        return {"personal_assistant": provider.personal_assistant}
    return {"organisation": provider.organisation}


def _provider_slug(provider: ProviderContext) -> str:
    if provider.personal_assistant is not None:
        return "your"
    return provider.organisation.slug  # type: ignore[union-attr]


def _after_provider_import() -> str:
    # The provider dashboard lists drafts to send for checking; without it, back to this page.
    try:
        return reverse("providers:dashboard")
    except NoReverseMatch:
        return reverse("providers:bulk-offers-import")


# --- A council's directory ----------------------------------------------------------------------------------


@admin_required
def council_directory(request: HttpRequest) -> HttpResponse:
    council: Organisation = request.council  # type: ignore[attr-defined]
    showing_assistants = request.GET.get("show") == "assistants"
    if showing_assistants:
        records = directory_selectors.council_personal_assistants(council)
    else:
        records = directory_selectors.council_provider_organisations(council)
    return render(
        request,
        "providers/bulk/council_directory.html",
        {
            "showing_assistants": showing_assistants,
            "page_obj": Paginator(records, PAGE_SIZE).get_page(request.GET.get("page")),
            "query_string": "show=assistants" if showing_assistants else "",
        },
    )


@admin_required
def council_directory_list_csv(request: HttpRequest) -> HttpResponse:
    council: Organisation = request.council  # type: ignore[attr-defined]
    header, rows = exports.council_directory_list(council=council)
    return _csv_download(f"{council.slug}-directory-list", header, rows)


@admin_required
def council_directory_export(request: HttpRequest) -> HttpResponse:
    council: Organisation = request.council  # type: ignore[attr-defined]
    header, rows = exports.council_directory_export(council=council)
    return _csv_download(f"{council.slug}-directory", header, rows)


@admin_required
def council_directory_import(request: HttpRequest) -> HttpResponse:
    council: Organisation = request.council  # type: ignore[attr-defined]
    form = _upload_form(request)
    problems: list[tuple[int, str]] = []
    if request.method == "POST" and form.is_valid():
        try:
            result = imports.council_directory_import(actor=request.user, council=council, lines=form.lines())
        except ImportFailed as failure:
            problems = failure.errors
        else:
            messages.success(
                request,
                f"Your directory is imported: {result.summary}. New profiles and offers are drafts until "
                "they are checked.",
            )
            return redirect("providers:bulk-council")
    return _import_page(request, "providers/bulk/council_import.html", form, problems)


def _upload_form(request: HttpRequest) -> CsvUploadForm:
    # Bound on every POST, even one without a file, so that it says a file is needed.
    return CsvUploadForm(request.POST, request.FILES) if request.method == "POST" else CsvUploadForm()


def _import_page(
    request: HttpRequest, template: str, form: CsvUploadForm, problems: list[tuple[int, str]]
) -> HttpResponse:
    errors = [
        {"href": f"#{form['csv_file'].id_for_label}", "message": message} for message in form.errors.get("csv_file", [])
    ]
    if problems:
        count = len(problems)
        errors.append(
            {
                "href": "#problems",
                "message": f"Your file has {count} problem{'s' if count != 1 else ''}: nothing was imported",
            }
        )
    return render(
        request,
        template,
        {
            "form": form,
            "errors": errors,
            "problems": problems[:PROBLEMS_SHOWN],
            "problems_not_shown": max(0, len(problems) - PROBLEMS_SHOWN),
        },
    )


# --- The columns, for anyone preparing a file ---------------------------------------------------------------


def csv_columns(request: HttpRequest) -> HttpResponse:
    councils = user_councils(request.user) if request.user.is_authenticated else []
    return render(
        request,
        "providers/bulk/columns.html",
        {
            "provider_columns": csv_format.PROVIDER_COLUMNS,
            "offer_columns": csv_format.OFFER_COLUMNS,
            "cost_fields": csv_format.COST_FIELDS,
            "venue_fields": csv_format.VENUE_FIELDS,
            "vocabularies": taxonomy_selectors.active_terms_for(councils),
        },
    )


# --- A council's own taxonomy terms ------------------------------------------------------------------------


@admin_required
def taxonomy_terms(request: HttpRequest) -> HttpResponse:
    council: Organisation = request.council  # type: ignore[attr-defined]
    return render(
        request,
        "providers/bulk/taxonomy_terms.html",
        {"taxonomies": taxonomy_selectors.taxonomies_for_council(council)},
    )


@admin_required
def taxonomy_term_add(request: HttpRequest, kind: str) -> HttpResponse:
    council: Organisation = request.council  # type: ignore[attr-defined]
    taxonomy = taxonomy_selectors.taxonomy_get(kind=kind)
    form = TaxonomyTermForm(request.POST) if request.method == "POST" else TaxonomyTermForm()
    if request.method == "POST" and form.is_valid():
        try:
            term = term_add(actor=request.user, council=council, taxonomy=taxonomy, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{term.name} is added to {taxonomy.name}, with the code {term.code}")
            return redirect("providers:taxonomy-terms")
    return render(request, "providers/bulk/taxonomy_term_add.html", {"form": form, "taxonomy": taxonomy})


@admin_required
@require_POST
def taxonomy_term_deactivate(request: HttpRequest, public_id: UUID) -> HttpResponse:
    return _term_set_active(request, public_id, is_active=False)


@admin_required
@require_POST
def taxonomy_term_reactivate(request: HttpRequest, public_id: UUID) -> HttpResponse:
    return _term_set_active(request, public_id, is_active=True)


def _term_set_active(request: HttpRequest, public_id: UUID, *, is_active: bool) -> HttpResponse:
    council: Organisation = request.council  # type: ignore[attr-defined]
    term = taxonomy_selectors.own_term_get(council=council, public_id=public_id)
    taxonomy_term_set_active(actor=request.user, council=council, term=term, is_active=is_active)
    if is_active:
        messages.success(request, f"{term.name} can be chosen again")
    else:
        messages.success(request, f"{term.name} can no longer be chosen for new offers and imports")
    return redirect("providers:taxonomy-terms")


# --- Helpers ---------------------------------------------------------------------------------------------


def _csv_download(name: str, header: Sequence[str], rows: Iterable[Sequence[object]]) -> HttpResponse:
    # Rows come already made spreadsheet-safe by csv_format, so that an edited file imports back exactly.
    return csv_response(f"{name}-{timezone.localdate().isoformat()}.csv", header, rows)
