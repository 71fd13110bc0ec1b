"""Who is acting for which provider: a provider organisation's staff, or a personal assistant.

Every self-service page works on the acting provider's own records only; another provider's record
answers 404.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from accounts.models import Organisation
from accounts.permissions import acting_membership
from accounts.roles import Role
from providers.models import Offer, OfferQuerySet, PersonalAssistantProfile


@dataclass(frozen=True)
class ProviderContext:
    """The organisation or the personal assistant a user is acting for."""

    organisation: Organisation | None = None
    personal_assistant: PersonalAssistantProfile | None = None

    @property
    def is_personal_assistant(self) -> bool:
        return self.personal_assistant is not None

    def offers(self) -> OfferQuerySet:
        if self.personal_assistant is not None:
            return Offer.objects.of_personal_assistant(self.personal_assistant)
        return Offer.objects.of_organisation(self.organisation)

    @property
    def profile(self):  # type: ignore[no-untyped-def]
        if self.personal_assistant is not None:
            return self.personal_assistant
        return getattr(self.organisation, "provider_profile", None)


def provider_context_for(request: HttpRequest) -> ProviderContext | None:
    membership = acting_membership(request, Role.PROVIDER_STAFF, Role.PERSONAL_ASSISTANT)
    if membership is None:
        return None
    if membership.role == Role.PROVIDER_STAFF:
        return ProviderContext(organisation=membership.organisation)
    profile = PersonalAssistantProfile.objects.filter(user=request.user).first()
    return ProviderContext(personal_assistant=profile) if profile else None


def provider_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Provider staff and personal assistants only (others 403); sets ``request.provider``."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        context = provider_context_for(request)
        if context is None:
            raise PermissionDenied("Only providers and personal assistants can use this page")
        request.provider = context  # type: ignore[attr-defined]
        return view(request, *args, **kwargs)

    wrapped.required_roles = (Role.PROVIDER_STAFF, Role.PERSONAL_ASSISTANT)  # type: ignore[attr-defined]
    return wrapped
