"""Provider self-service: registration, the dashboard, the profile and offers.

Every page but registration is for provider staff and personal assistants only
(``provider_required``); records are looked up through the acting provider, so another provider's
offer answers 404.
"""

from uuid import UUID

from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from accounts.form_errors import posted
from accounts.models import User
from providers import forms
from providers.exceptions import ProvidersError
from providers.models import Offer, OfferStatus, ProfileStatus, VersionState
from providers.permissions import ProviderContext, provider_required
from providers.selectors.own import (
    own_attention_items,
    own_offer_get,
    own_offer_groups,
    profile_returned_reason,
    provider_council,
    version_summary,
)
from providers.services.offers import OFFER_TRANSITIONS, offer_create, offer_edit, offer_set_status, offer_submit
from providers.services.profiles import profile_submit, profile_update
from providers.services.registration import (
    personal_assistant_register,
    provider_organisation_register,
    provider_profile_create,
)

TEMPLATES = "providers/self_service/"
LANGUAGE_NAMES = dict(forms.LANGUAGE_CHOICES)
REGISTRATION_FORMS = {
    "organisation": (forms.OrganisationRegistrationForm, provider_organisation_register),
    "personal_assistant": (forms.PersonalAssistantRegistrationForm, personal_assistant_register),
}

# --- Registration ---------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def register_start(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return _already_registered(request)
    form = forms.RegistrationKindForm(posted(request))
    if request.method == "POST" and form.is_valid():
        return redirect("providers:register-" + form.cleaned_data["kind"].replace("_", "-"))
    return render(request, TEMPLATES + "register_start.html", {"form": form, "errors": forms.error_summary(form)})


@require_http_methods(["GET", "POST"])
def register_organisation(request: HttpRequest) -> HttpResponse:
    return _register(request, "organisation")


@require_http_methods(["GET", "POST"])
def register_personal_assistant(request: HttpRequest) -> HttpResponse:
    return _register(request, "personal_assistant")


def _register(request: HttpRequest, kind: str) -> HttpResponse:
    if request.user.is_authenticated:
        return _already_registered(request)
    form_class, register = REGISTRATION_FORMS[kind]
    form = form_class(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            user = register(**form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, "Your account has been created. Next, write your profile.")
            return redirect("providers:dashboard")
    template = "register_organisation.html" if kind == "organisation" else "register_personal_assistant.html"
    return render(request, TEMPLATES + template, {"form": form, "errors": forms.error_summary(form)})


def _already_registered(request: HttpRequest) -> HttpResponse:
    messages.info(request, "You are already signed in. Sign out first to register a new account.")
    return redirect("accounts:dashboard")


# --- Dashboard and profile ------------------------------------------------------------------------


@provider_required
def dashboard(request: HttpRequest) -> HttpResponse:
    provider: ProviderContext = request.provider  # type: ignore[attr-defined]
    groups = own_offer_groups(provider)
    return render(
        request,
        TEMPLATES + "dashboard.html",
        {
            "provider": provider,
            "profile": provider.profile,
            "offer_groups": groups,
            "has_offers": any(group.rows for group in groups),
            "attention": own_attention_items(provider, groups),
        },
    )


@provider_required
@require_http_methods(["GET", "POST"])
def profile_edit(request: HttpRequest) -> HttpResponse:
    provider: ProviderContext = request.provider  # type: ignore[attr-defined]
    profile = provider.profile
    form = _profile_form(provider, posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            profile = _profile_save(provider, request.user, form)
        except (ValidationError, ProvidersError) as error:
            _add_errors(form, error)
        else:
            held = profile.status in {ProfileStatus.PUBLISHED, ProfileStatus.SUSPENDED} and profile.has_pending_changes
            messages.success(
                request,
                "Your changes are saved. They will show once they have been checked."
                if held
                else "Your profile has been saved",
            )
            return redirect("providers:profile-edit")
    return render(
        request,
        TEMPLATES + ("profile_pa.html" if provider.is_personal_assistant else "profile_organisation.html"),
        {
            "form": form,
            "errors": forms.error_summary(form),
            "profile": profile,
            "returned_reason": profile_returned_reason(profile) if profile else "",
        },
    )


def _profile_form(provider: ProviderContext, data) -> forms.ProviderProfileForm | forms.PersonalAssistantProfileForm:  # type: ignore[no-untyped-def]
    if provider.is_personal_assistant:
        return forms.PersonalAssistantProfileForm(data, profile=provider.personal_assistant)
    profile = provider.profile
    if profile is None:
        return forms.ProviderProfileForm(data, initial={"legal_name": provider.organisation.name, "languages": ["en"]})
    return forms.ProviderProfileForm(data, profile=profile)


def _profile_save(provider: ProviderContext, actor: User, form):  # type: ignore[no-untyped-def]
    changes = form.profile_changes()
    if provider.profile is None:
        return provider_profile_create(organisation=provider.organisation, actor=actor, **changes)
    return profile_update(profile=provider.profile, actor=actor, changes=changes)


@provider_required
@require_http_methods(["GET", "POST"])
def profile_submit_confirm(request: HttpRequest) -> HttpResponse:
    """Confirm, then send the profile (or the changes to a published one) for checking."""
    provider: ProviderContext = request.provider  # type: ignore[attr-defined]
    profile = provider.profile
    if profile is None:
        messages.info(request, "Write your profile first")
        return redirect("providers:profile-edit")
    if request.method == "POST":
        try:
            profile_submit(profile=profile, actor=request.user)
        except ProvidersError as error:
            messages.error(request, str(error))
            return redirect("providers:profile-edit")
        messages.success(request, "Your profile has been sent for checking")
        return redirect("providers:dashboard")
    return render(request, TEMPLATES + "profile_submit.html", {"profile": profile})


# --- Offers ---------------------------------------------------------------------------------------


@provider_required
@require_http_methods(["GET", "POST"])
def offer_new(request: HttpRequest) -> HttpResponse:
    return _offer_page(request, offer=None)


@provider_required
@require_http_methods(["GET", "POST"])
def offer_change(request: HttpRequest, public_id: UUID) -> HttpResponse:
    offer = own_offer_get(provider=request.provider, public_id=public_id)  # type: ignore[attr-defined]
    return _offer_page(request, offer=offer)


def _offer_page(request: HttpRequest, offer: Offer | None) -> HttpResponse:
    provider: ProviderContext = request.provider  # type: ignore[attr-defined]
    council = provider_council(provider)
    version = (offer.working_version or offer.live_version) if offer else None
    known_areas = forms.known_council_areas(version)
    add_to = request.POST.get("add_row", "")
    if request.method != "POST":
        editor = forms.OfferEditor.for_version(version, council=council)
    elif add_to in forms.ROW_SETS:
        editor = forms.OfferEditor.with_row_added(request.POST, add_to, council=council, known_areas=known_areas)
    else:
        editor = forms.OfferEditor(council=council, data=request.POST, known_areas=known_areas)
        if editor.is_valid():
            try:
                offer = _offer_save(provider, request.user, offer, editor)
            except (ValidationError, ProvidersError) as error:
                _add_errors(editor.form, error)
            else:
                messages.success(request, "Your offer has been saved. Check it, then send it for checking.")
                return redirect("providers:offer-preview", public_id=offer.public_id)
    return render(
        request,
        TEMPLATES + "offer_form.html",
        {"editor": editor, "offer": offer, "errors": editor.error_summary(), "added": add_to},
    )


def _offer_save(provider: ProviderContext, actor: User, offer: Offer | None, editor: forms.OfferEditor) -> Offer:
    content = editor.content()
    if offer is None:
        return offer_create(
            actor=actor,
            content=content,
            organisation=provider.organisation,
            personal_assistant=provider.personal_assistant,
        )
    offer_edit(offer=offer, actor=actor, content=content)
    return offer


@provider_required
def offer_preview(request: HttpRequest, public_id: UUID) -> HttpResponse:
    offer = own_offer_get(provider=request.provider, public_id=public_id)  # type: ignore[attr-defined]
    return render(
        request,
        TEMPLATES + "offer_preview.html",
        {
            "offer": offer,
            "live": offer.live_version,
            "working": offer.working_version,
            "live_summary": version_summary(offer.live_version, LANGUAGE_NAMES),
            "working_summary": version_summary(offer.working_version, LANGUAGE_NAMES),
            "can_submit": _can_submit(offer),
            "can_withdraw": _can_withdraw(offer),
        },
    )


@provider_required
@require_http_methods(["GET", "POST"])
def offer_submit_confirm(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """Confirm, then send the offer (or the change to a published one) for checking."""
    offer = own_offer_get(provider=request.provider, public_id=public_id)  # type: ignore[attr-defined]
    if not _can_submit(offer):
        messages.info(request, "There are no changes to send for checking. Change the offer first.")
        return redirect("providers:offer-preview", public_id=offer.public_id)
    if request.method == "POST":
        try:
            offer_submit(offer=offer, actor=request.user)
        except ProvidersError as error:
            messages.error(request, str(error))
            return redirect("providers:offer-preview", public_id=offer.public_id)
        messages.success(request, f"{offer.working_version.name} has been sent for checking")
        return redirect("providers:dashboard")
    return render(request, TEMPLATES + "offer_submit.html", {"offer": offer, "working": offer.working_version})


@provider_required
@require_http_methods(["GET", "POST"])
def offer_withdraw(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """Confirm with a reason, then take a published or suspended offer out of the directory."""
    offer = own_offer_get(provider=request.provider, public_id=public_id)  # type: ignore[attr-defined]
    if not _can_withdraw(offer):
        messages.info(request, "Only a published or suspended offer can be withdrawn")
        return redirect("providers:offer-preview", public_id=offer.public_id)
    form = forms.ReasonForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            offer_set_status(
                offer=offer, new_status=OfferStatus.WITHDRAWN, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except ProvidersError as error:
            messages.error(request, str(error))
            return redirect("providers:offer-preview", public_id=offer.public_id)
        messages.success(request, f"{offer} has been withdrawn. Families can no longer find it.")
        return redirect("providers:dashboard")
    return render(
        request, TEMPLATES + "offer_withdraw.html", {"offer": offer, "form": form, "errors": forms.error_summary(form)}
    )


def _can_submit(offer: Offer) -> bool:
    working = offer.working_version
    return working is not None and working.state in {VersionState.DRAFT, VersionState.REJECTED}


def _can_withdraw(offer: Offer) -> bool:
    return OfferStatus.WITHDRAWN in OFFER_TRANSITIONS.get(offer.status, frozenset())


def _add_errors(form, error: ValidationError | ProvidersError) -> None:  # type: ignore[no-untyped-def]
    """A rule a service enforced, shown at the top of the form."""
    for message in error.messages if isinstance(error, ValidationError) else [str(error)]:
        form.add_error(None, message)
