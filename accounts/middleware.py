from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.functional import SimpleLazyObject

from accounts.permissions import memberships_for


class ActingMembershipMiddleware:
    """Attach the signed-in user's active memberships, loaded once and only when used."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.memberships = SimpleLazyObject(lambda: memberships_for(request.user))  # type: ignore[attr-defined]
        return self.get_response(request)


class AdminContentSecurityPolicyMiddleware:
    """Loosen the content security policy for the Wagtail and Django admin only.

    Both admin interfaces use inline scripts and styles that a nonce cannot cover; the public site
    and the service pages keep the strict policy from settings.
    """

    ADMIN_POLICY = {
        "script-src": ["'self'", "'unsafe-inline'", "'unsafe-eval'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
    }

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.path.startswith(settings.ADMIN_URL_PREFIXES):
            response._csp_replace = self.ADMIN_POLICY  # type: ignore[attr-defined]
        return response
