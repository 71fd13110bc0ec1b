"""Quality assurance pages, at /quality/.

Officer pages (``officer_required``) work on any council's listings, since providers are shared, and
record the officer's council on every decision; a council's own policy and its log of revealed
certificate numbers are reached only by that council's officers (others 404). Provider pages under
/quality/my-checks/ (``submitter_required``) show a provider, PA or broker organisation only its own
checks.

A DBS certificate number appears in exactly one response: the answer to the status-check page's
"Show the full number" POST, which is logged and never cached.
"""

from collections.abc import Callable
from functools import wraps
from uuid import UUID

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.form_errors import add_service_errors
from accounts.models import Organisation
from accounts.permissions import acting_membership, role_required
from accounts.roles import OrganisationKind, Role
from providers import forms_qa
from providers.exceptions import ProvidersError
from providers.models import (
    DBSCheck,
    InsurancePolicy,
    PersonalAssistantProfile,
    ProfileStatus,
    SaferRecruitmentDeclaration,
    Upload,
    Verification,
    VersionState,
)
from providers.permissions import ProviderContext, provider_context_for
from providers.selectors import qa as selectors
from providers.services import qa as services

TEMPLATES = "providers/qa/"
QUEUE_PAGE_SIZE = 50
officer_required = role_required(Role.QA_OFFICER)


def submitter_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Provider staff, personal assistants and brokers (others 403); sets ``request.provider``.

    A broker acts for their broker organisation, whose checks (its declaration and its brokers' DBS
    checks) are held like a provider organisation's.
    """

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        context = provider_context_for(request)
        if context is None:
            broker = acting_membership(request, Role.BROKER)
            context = ProviderContext(organisation=broker.organisation) if broker else None
        if context is None:
            raise PermissionDenied("Only providers, personal assistants and brokers can use this page")
        request.provider = context  # type: ignore[attr-defined]
        return view(request, *args, **kwargs)

    wrapped.required_roles = (Role.PROVIDER_STAFF, Role.PERSONAL_ASSISTANT, Role.BROKER)  # type: ignore[attr-defined]
    return wrapped


# --- The queue and the council's own pages ----------------------------------------------------------


@require_GET
@officer_required
def queue(request: HttpRequest) -> HttpResponse:
    items = selectors.qa_queue()
    page = Paginator(items, QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    rows = [(item, item.days_waiting(today)) for item in page]
    return _render(request, "queue.html", {"page_obj": page, "rows": rows, "total": len(items)})


@require_GET
@officer_required
def policy_own(request: HttpRequest) -> HttpResponse:
    return redirect("providers:qa-policy", slug=request.council.slug)


@require_http_methods(["GET", "POST"])
@officer_required
def policy_edit(request: HttpRequest, slug: str) -> HttpResponse:
    council = selectors.council_for_officer(user=request.user, slug=slug)
    policy = selectors.qa_policy_read(council)
    initial = {
        "dbs_recheck_months": policy.dbs_recheck_months,
        "update_service_check_months": policy.update_service_check_months,
        "framework_needs_own_verification": policy.framework_needs_own_verification,
    }
    form = forms_qa.PolicyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.qa_policy_update(council=council, actor=request.user, **form.cleaned_data)
        messages.success(request, f"The quality-assurance policy of {council} has been saved")
        return redirect("providers:qa-policy", slug=council.slug)
    return _render(request, "policy.html", {"form": form, "council": council, "policy": policy})


@require_GET
@officer_required
def reveal_log(request: HttpRequest, slug: str) -> HttpResponse:
    council = selectors.council_for_officer(user=request.user, slug=slug)
    reveals = Paginator(selectors.number_reveals_for_council(council), QUEUE_PAGE_SIZE)
    return _render(
        request,
        "reveal_log.html",
        {"council": council, "page_obj": reveals.get_page(request.GET.get("page"))},
    )


# --- Profiles and offers ----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@officer_required
def profile_review(request: HttpRequest, public_id: UUID) -> HttpResponse:
    profile = selectors.profile_for_review(public_id)
    form = forms_qa.DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        approve = form.cleaned_data["decision"] == "approve"
        decided = _run(
            form,
            services.listing_profile_decide,
            profile=profile,
            officer=request.user,
            council=request.council,
            approve=approve,
            reason=form.cleaned_data["reason"],
        )
        if decided:
            messages.success(request, f"{profile.display_name}: {'approved' if approve else 'returned'}")
            return redirect("providers:qa-queue")
    is_pa = isinstance(profile, PersonalAssistantProfile)
    return _render(
        request,
        "profile_review.html",
        {
            "profile": profile,
            "is_pa": is_pa,
            "is_waiting": profile.status == ProfileStatus.PENDING
            or bool(profile.pending_submitted_at and profile.pending_changes),
            "is_new": profile.status == ProfileStatus.PENDING,
            "changes": selectors.profile_diff(profile),
            "history": selectors.profile_history(profile),
            "form": form,
        },
    )


@require_http_methods(["GET", "POST"])
@officer_required
def offer_review(request: HttpRequest, public_id: UUID) -> HttpResponse:
    offer = selectors.offer_for_review(public_id)
    form = forms_qa.DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        approve = form.cleaned_data["decision"] == "approve"
        decided = _run(
            form,
            services.listing_offer_decide,
            offer=offer,
            officer=request.user,
            council=request.council,
            approve=approve,
            reason=form.cleaned_data["reason"],
        )
        if decided:
            messages.success(request, f"{offer}: {'approved' if approve else 'returned'}")
            return redirect("providers:qa-queue")
    waiting = offer.working_version
    return _render(
        request,
        "offer_review.html",
        {
            "offer": offer,
            "is_waiting": waiting is not None and waiting.state == VersionState.SUBMITTED,
            "is_new": offer.live_version_id is None,
            "changes": selectors.offer_diff(offer) if waiting is not None else [],
            "history": selectors.offer_history(offer),
            "versions": selectors.offer_versions(offer),
            "form": form,
        },
    )


# --- DBS checks -------------------------------------------------------------------------------------


@require_GET
@officer_required
def dbs_check(request: HttpRequest, public_id: UUID) -> HttpResponse:
    check = selectors.dbs_check_for_officer(public_id)
    return _dbs_check_page(request, check, forms_qa.DBSVerifyForm(), forms_qa.DBSRefuseForm())


@require_POST
@officer_required
def dbs_verify(request: HttpRequest, public_id: UUID) -> HttpResponse:
    check = selectors.dbs_check_for_officer(public_id)
    form = forms_qa.DBSVerifyForm(request.POST)
    if form.is_valid() and _run(
        form, services.dbs_check_verify, check=check, officer=request.user, council=request.council, **form.cleaned_data
    ):
        messages.success(request, f"{check.person_name}'s {check.scheme} check {check.masked_number} is verified")
        return redirect("providers:qa-dbs", public_id=check.public_id)
    return _dbs_check_page(request, check, form, forms_qa.DBSRefuseForm())


@require_POST
@officer_required
def dbs_refuse(request: HttpRequest, public_id: UUID) -> HttpResponse:
    check = selectors.dbs_check_for_officer(public_id)
    form = forms_qa.DBSRefuseForm(request.POST)
    if form.is_valid() and _run(
        form, services.dbs_check_refuse, check=check, officer=request.user, council=request.council, **form.cleaned_data
    ):
        messages.success(request, f"{check.person_name}'s {check.scheme} check {check.masked_number} was not accepted")
        return redirect("providers:qa-dbs", public_id=check.public_id)
    return _dbs_check_page(request, check, forms_qa.DBSVerifyForm(), form)


def _dbs_check_page(
    request: HttpRequest, check: DBSCheck, verify_form: forms.Form, refuse_form: forms.Form
) -> HttpResponse:
    return _render(
        request,
        "dbs_check.html",
        {
            "check": check,
            "verify_form": verify_form,
            "refuse_form": refuse_form,
            "history": selectors.check_history(check, council=request.council),
            "is_waiting": check.verification == Verification.SUBMITTED,
        },
    )


@require_http_methods(["GET", "POST"])
@officer_required
def dbs_status_check(request: HttpRequest, public_id: UUID) -> HttpResponse:
    check = _status_checkable(public_id)
    form = forms_qa.StatusCheckForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        run = _run(
            form,
            services.dbs_status_check_record,
            check=check,
            officer=request.user,
            council=request.council,
            **form.cleaned_data,
        )
        if run:
            messages.success(request, f"The status check of {check.masked_number} has been recorded")
            return redirect("providers:qa-dbs", public_id=check.public_id)
    return _status_check_page(request, check, form)


@require_POST
@never_cache
@sensitive_variables("number")
@officer_required
def dbs_reveal(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """Show the full number once, in this response only, for an Update Service status check."""
    check = _status_checkable(public_id)
    number = services.dbs_number_reveal(check=check, officer=request.user, council=request.council)
    return _status_check_page(request, check, forms_qa.StatusCheckForm(), revealed_number=number)


def _status_checkable(public_id: UUID) -> DBSCheck:
    # Only a check on the Update Service is ever status checked, so only its number is ever revealed.
    check = selectors.dbs_check_for_officer(public_id)
    if not check.update_service or check.verification != Verification.VERIFIED:
        raise Http404("This check cannot be status checked")
    return check


def _status_check_page(
    request: HttpRequest, check: DBSCheck, form: forms.Form, revealed_number: str = ""
) -> HttpResponse:
    response = _render(
        request,
        "dbs_status_check.html",
        {"check": check, "form": form, "revealed_number": revealed_number},
    )
    response["Cache-Control"] = "no-store"
    return response


# --- Declarations, insurance, references, registrations ---------------------------------------------


@require_http_methods(["GET", "POST"])
@officer_required
def declaration_review(request: HttpRequest, public_id: UUID) -> HttpResponse:
    declaration = selectors.declaration_for_officer(public_id)
    form = forms_qa.EvidenceDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        accept = form.cleaned_data["decision"] == "accept"
        decided = _run(
            form,
            services.declaration_decide,
            declaration=declaration,
            officer=request.user,
            council=request.council,
            accept=accept,
            reason=form.cleaned_data["reason"],
        )
        if decided:
            messages.success(request, f"The declaration of {declaration.organisation} has been decided")
            return redirect("providers:qa-organisation", public_id=declaration.organisation.public_id)
    return _render(
        request,
        "declaration_review.html",
        {"declaration": declaration, "form": form, "history": selectors.check_history(declaration)},
    )


@require_http_methods(["GET", "POST"])
@officer_required
def insurance_review(request: HttpRequest, public_id: UUID) -> HttpResponse:
    policy = selectors.insurance_for_officer(public_id)
    form = forms_qa.EvidenceDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        decided = _run(
            form,
            services.insurance_decide,
            policy=policy,
            officer=request.user,
            council=request.council,
            accept=form.cleaned_data["decision"] == "accept",
            reason=form.cleaned_data["reason"],
        )
        if decided:
            messages.success(request, f"The {policy.get_kind_display().lower()} insurance has been decided")
            return redirect("providers:qa-queue")
    return _render(
        request,
        "insurance_review.html",
        {"policy": policy, "form": form, "history": selectors.check_history(policy)},
    )


@require_http_methods(["GET", "POST"])
@officer_required
def reference_review(request: HttpRequest, public_id: UUID) -> HttpResponse:
    reference = selectors.reference_for_officer(public_id)
    form = forms_qa.ReferenceDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        decided = _run(
            form,
            services.reference_decide,
            reference=reference,
            officer=request.user,
            council=request.council,
            satisfactory=form.cleaned_data["satisfactory"] == "yes",
        )
        if decided:
            messages.success(request, f"The reference from {reference.referee_name} has been recorded")
            return redirect("providers:qa-personal-assistant", public_id=reference.pa_profile.public_id)
    return _render(request, "reference_review.html", {"reference": reference, "form": form})


@require_GET
@officer_required
def organisation_assurance(request: HttpRequest, public_id: UUID) -> HttpResponse:
    organisation = selectors.organisation_for_officer(public_id)
    profile = getattr(organisation, "provider_profile", None)
    return _render(
        request,
        "organisation.html",
        {
            "organisation": organisation,
            "profile": profile,
            "assurance": selectors.assurance_of(organisation=organisation),
        },
    )


@require_http_methods(["GET", "POST"])
@officer_required
def registration_add(request: HttpRequest, public_id: UUID) -> HttpResponse:
    organisation = selectors.organisation_for_officer(public_id)
    form = forms_qa.RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        recorded = _run(
            form,
            services.registration_record,
            officer=request.user,
            council=request.council,
            organisation=organisation,
            **form.cleaned_data,
        )
        if recorded:
            messages.success(request, f"The registration of {organisation} has been recorded")
            return redirect("providers:qa-organisation", public_id=organisation.public_id)
    return _render(request, "registration_form.html", {"organisation": organisation, "form": form})


@require_GET
@officer_required
def pa_assurance(request: HttpRequest, public_id: UUID) -> HttpResponse:
    pa_profile = selectors.pa_profile_for_officer(public_id)
    return _render(
        request,
        "personal_assistant.html",
        {"profile": pa_profile, "assurance": selectors.assurance_of(pa_profile=pa_profile)},
    )


@require_GET
@officer_required
def evidence(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """A declaration's evidence or an insurance certificate; no other upload is served here (404)."""
    upload = get_object_or_404(Upload, public_id=public_id, purpose=Upload.Purpose.DOCUMENT)
    is_evidence = (
        SaferRecruitmentDeclaration.objects.filter(evidence=upload).exists()
        or InsurancePolicy.objects.filter(certificate=upload).exists()
    )
    if not is_evidence:
        raise Http404("No such evidence")
    response = FileResponse(
        upload.file.open("rb"), content_type=upload.content_type, as_attachment=True, filename=upload.original_name
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


# --- A provider's own checks ------------------------------------------------------------------------


@require_GET
@submitter_required
def my_checks(request: HttpRequest) -> HttpResponse:
    provider: ProviderContext = request.provider  # type: ignore[attr-defined]
    return _render(
        request,
        "my_checks.html",
        {
            "provider": provider,
            "is_broker": _is_broker(provider),
            "assurance": selectors.assurance_of(
                organisation=provider.organisation, pa_profile=provider.personal_assistant
            ),
        },
    )


@require_http_methods(["GET", "POST"])
@sensitive_post_parameters("certificate_number")
@submitter_required
def my_dbs_new(request: HttpRequest) -> HttpResponse:
    provider: ProviderContext = request.provider  # type: ignore[attr-defined]
    initial = {"person_name": request.user.get_full_name()} if provider.is_personal_assistant else {}
    form = forms_qa.DBSCheckSubmitForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = {**form.cleaned_data, "update_service": form.cleaned_data["update_service"] == "yes"}
        check = _run(
            form,
            services.dbs_check_submit,
            actor=request.user,
            organisation=provider.organisation,
            pa_profile=provider.personal_assistant,
            **data,
        )
        if check:
            messages.success(request, f"Your {check.scheme} check {check.masked_number} has been sent for checking")
            return redirect("providers:qa-my-checks")
    return _render(request, "my_dbs_form.html", {"form": form, "provider": provider})


@require_GET
@submitter_required
def my_dbs_check(request: HttpRequest, public_id: UUID) -> HttpResponse:
    provider: ProviderContext = request.provider  # type: ignore[attr-defined]
    check = selectors.own_dbs_check(
        organisation=provider.organisation, pa_profile=provider.personal_assistant, public_id=public_id
    )
    return _render(request, "my_dbs_check.html", {"check": check})


@require_http_methods(["GET", "POST"])
@submitter_required
def my_declaration_new(request: HttpRequest) -> HttpResponse:
    provider: ProviderContext = request.provider  # type: ignore[attr-defined]
    if provider.organisation is None:
        raise PermissionDenied("Personal assistants do not make a safer-recruitment declaration")
    is_broker = _is_broker(provider)
    form = forms_qa.DeclarationForm(request.POST or None, request.FILES or None, is_broker=is_broker)
    if request.method == "POST" and form.is_valid():
        declared = _run(
            form,
            services.declaration_submit,
            actor=request.user,
            organisation=provider.organisation,
            staff_count=form.cleaned_data["staff_count"],
            evidence=form.cleaned_data["evidence"],
            code_of_conduct_accepted=form.cleaned_data.get("code_of_conduct_accepted", False),
        )
        if declared:
            messages.success(request, "Your safer-recruitment declaration has been sent for checking")
            return redirect("providers:qa-my-checks")
    return _render(request, "my_declaration_form.html", {"form": form, "is_broker": is_broker})


@require_http_methods(["GET", "POST"])
@submitter_required
def my_insurance_new(request: HttpRequest) -> HttpResponse:
    provider: ProviderContext = request.provider  # type: ignore[attr-defined]
    form = forms_qa.InsuranceForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        policy = _run(
            form,
            services.insurance_submit,
            actor=request.user,
            organisation=provider.organisation,
            pa_profile=provider.personal_assistant,
            **form.cleaned_data,
        )
        if policy:
            messages.success(request, f"Your {policy.get_kind_display().lower()} insurance has been sent for checking")
            return redirect("providers:qa-my-checks")
    return _render(request, "my_insurance_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
@submitter_required
def my_reference_new(request: HttpRequest) -> HttpResponse:
    provider: ProviderContext = request.provider  # type: ignore[attr-defined]
    if provider.personal_assistant is None:
        raise PermissionDenied("References are for personal assistants")
    form = forms_qa.ReferenceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        reference = _run(
            form,
            services.reference_add,
            actor=request.user,
            pa_profile=provider.personal_assistant,
            **form.cleaned_data,
        )
        if reference:
            messages.success(request, f"{reference.referee_name} has been added as a referee")
            return redirect("providers:qa-my-checks")
    return _render(request, "my_reference_form.html", {"form": form})


# --- Helpers ----------------------------------------------------------------------------------------


def _render(request: HttpRequest, template: str, context: dict) -> HttpResponse:
    # Whether a check has lapsed is worked out against today, when the page is drawn.
    return render(request, TEMPLATES + template, {**context, "today": timezone.localdate()})


def _run(form: forms.Form, service: Callable, **kwargs):  # type: ignore[no-untyped-def]
    """Call a service; show its refusal on the form and answer None, or answer what it returned."""
    try:
        return service(**kwargs) or True
    except ValidationError as error:
        add_service_errors(form, error)
    except ProvidersError as error:
        form.add_error(None, str(error))
    return None


def _is_broker(provider: ProviderContext) -> bool:
    organisation: Organisation | None = provider.organisation
    return organisation is not None and organisation.kind == OrganisationKind.BROKER
