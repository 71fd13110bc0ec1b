"""A signed-in user's own pages: their account, memberships and notifications."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accounts import selectors, services
from accounts.forms import ProfileForm
from accounts.navigation import items_for
from accounts.permissions import SESSION_KEY, acting_membership


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "accounts/dashboard.html",
        {
            "memberships": request.memberships,  # type: ignore[attr-defined]
            "acting": acting_membership(request),
            "tasks": [item for item in items_for(request) if item["href"] != request.path],
            "recent_notifications": selectors.notifications_for(request.user)[:3],
        },
    )


@login_required
@require_POST
def switch_membership(request: HttpRequest) -> HttpResponse:
    wanted = request.POST.get("membership", "")
    match = next((m for m in request.memberships if str(m.public_id) == wanted), None)  # type: ignore[attr-defined]
    if match is None:
        raise Http404("No such membership")
    request.session[SESSION_KEY] = match.pk
    messages.success(request, f"You are now acting as {match.get_role_display().lower()}, {match.organisation}")
    return redirect("accounts:dashboard")


@login_required
def profile_edit(request: HttpRequest) -> HttpResponse:
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        services.user_update_profile(user=request.user, **form.cleaned_data)
        messages.success(request, "Your details have been saved")
        return redirect("accounts:dashboard")
    return render(request, "accounts/profile_edit.html", {"form": form})


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.notifications_for(request.user), 25).get_page(request.GET.get("page"))
    return render(request, "accounts/notifications.html", {"page_obj": page})


@login_required
def notification_open(request: HttpRequest, public_id: str) -> HttpResponse:
    notification = selectors.notification_get(user=request.user, public_id=public_id)
    services.notification_mark_read(notification=notification)
    return redirect(notification.link or "accounts:notifications")


@login_required
@require_POST
def notifications_mark_all_read(request: HttpRequest) -> HttpResponse:
    count = services.notifications_mark_all_read(user=request.user)
    messages.success(request, f"{count} notification{'s' if count != 1 else ''} marked as read")
    return redirect("accounts:notifications")
