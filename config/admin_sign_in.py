"""The Wagtail admin's and the Django admin's sign-in pages send people to /account/sign-in/.

Each admin has a password form of its own, which would skip what /account/sign-in/ applies: a council's
"staff may still sign in with a password" rule, the sign-in throttle and two-step verification
(docs/sign-in.md). These views take the admins' login URLs (config/urls.py puts them before the admins'
own; WAGTAILADMIN_LOGIN_URL names the Wagtail one), so there is one way in:

- someone signed out is sent to /account/sign-in/ with ``next`` (a page of that admin, else its home);
- someone signed in who may use the admin is sent on to ``next``;
- someone signed in who may not is told so (403): sending them to the sign-in page would bounce them
  straight back (it sends the signed-in on to ``next``), round and round.

A POST is answered the same way: it never signs anyone in.
"""

from collections.abc import Callable

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods


def _admin_sign_in(index_name: str, may_use: Callable[[HttpRequest], bool]) -> Callable[..., HttpResponse]:
    @never_cache
    @require_http_methods(["GET", "HEAD", "POST"])
    def view(request: HttpRequest) -> HttpResponse:
        index = reverse(index_name)
        wanted = request.GET.get(REDIRECT_FIELD_NAME) or request.POST.get(REDIRECT_FIELD_NAME) or ""
        safe = wanted.startswith(index) and url_has_allowed_host_and_scheme(
            wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
        next_page = wanted if safe else index
        if not request.user.is_authenticated:
            return redirect_to_login(next_page, login_url=settings.LOGIN_URL)
        if may_use(request):
            return HttpResponseRedirect(next_page)
        raise PermissionDenied("Your account cannot use this admin")

    return view


django_admin_sign_in = _admin_sign_in("admin:index", admin.site.has_permission)
wagtail_admin_sign_in = _admin_sign_in(
    "wagtailadmin_home", lambda request: request.user.has_perms(["wagtailadmin.access_admin"])
)
