"""Two-step verification before any other page.

A signed-in user whose session has not passed the second step is sent, from any page, to:

- the security code step, when they have an authenticator app (anyone who turned it on);
- setting up an app, when their role requires one (``MFA_REQUIRED`` and ``policy.MFA_REQUIRED_ROLES``,
  platform staff included, so the Wagtail admin and the Django admin are covered too).

Only the pages of that step and signing out stay open. A session that single sign-on marked with
``mfa_satisfied_by`` has passed (docs/sign-in.md).
"""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import Resolver404, resolve, reverse
from django.utils.http import urlencode

from accounts.mfa import policy

# Pages open before the code step, by URL name in the accounts namespace.
_OPEN_FOR_CODE = frozenset({"mfa-verify", "mfa-verify-recovery", "sign-out"})
_OPEN_FOR_SETUP = frozenset({"mfa-setup", "sign-out"})


class TwoStepVerificationMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated and not policy.session_is_verified(request):
            redirect_to = self._step_needed(request)
            if redirect_to is not None:
                return redirect_to
        return self.get_response(request)

    def _step_needed(self, request: HttpRequest) -> HttpResponse | None:
        if policy.mfa_is_on(request.user):
            return self._send_to("mfa-verify", _OPEN_FOR_CODE, request)
        if policy.mfa_required_for(request.user, request.memberships):  # type: ignore[attr-defined]
            return self._send_to("mfa-setup", _OPEN_FOR_SETUP, request)
        return None

    @staticmethod
    def _send_to(url_name: str, open_names: frozenset[str], request: HttpRequest) -> HttpResponse | None:
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return None  # a 404 page gives nothing away
        if match.namespace == "accounts" and match.url_name in open_names:
            return None
        target = reverse(f"accounts:{url_name}")
        # Come back to the page asked for, if it was a page (a form posted before the step is lost).
        if request.method == "GET":
            target = f"{target}?{urlencode({'next': request.get_full_path()})}"
        return HttpResponseRedirect(target)
