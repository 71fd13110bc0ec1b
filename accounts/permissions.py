"""Who may use a page, and which records they may see.

Two answers, never mixed up: a page the user's role may not use answers 403; a record outside the
user's organisation and relationships answers 404, so its existence is not revealed.
"""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from accounts.models import Membership, Organisation, User

SESSION_KEY = "acting_membership"


def memberships_for(user: User) -> list[Membership]:
    if not user.is_authenticated:
        return []
    return list(Membership.objects.active().filter(user=user).select_related("organisation", "organisation__council"))


def acting_membership(request: HttpRequest, *roles: str) -> Membership | None:
    """The membership the user is acting in: the one chosen in this session if it has one of
    ``roles`` (any role when none is given), else the first that does."""
    memberships = request.memberships  # type: ignore[attr-defined]
    candidates = [m for m in memberships if not roles or m.role in roles]
    chosen_id = request.session.get(SESSION_KEY)
    for membership in candidates:
        if membership.pk == chosen_id:
            return membership
    return candidates[0] if candidates else None


def role_required(*roles: str) -> Callable:
    """Let only users with an active membership in one of ``roles`` use the view.

    Anonymous users are sent to sign in; signed-in users without the role get 403. The view finds
    the membership it acts in as ``request.acting``, and its council as ``request.council``.
    """

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            membership = acting_membership(request, *roles)
            if membership is None:
                raise PermissionDenied("Your role does not give you access to this page")
            request.acting = membership  # type: ignore[attr-defined]
            request.council = membership.council  # type: ignore[attr-defined]
            return view(request, *args, **kwargs)

        wrapped.required_roles = roles  # type: ignore[attr-defined]
        return wrapped

    return decorator


def user_councils(user: User, *roles: str) -> list[Organisation]:
    councils = {m.council for m in memberships_for(user) if not roles or m.role in roles}
    return sorted((c for c in councils if c is not None), key=lambda c: c.name)
