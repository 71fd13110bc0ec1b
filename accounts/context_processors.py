from django.http import HttpRequest

from accounts import navigation as nav


def navigation(request: HttpRequest) -> dict[str, object]:
    unread = 0
    if request.user.is_authenticated:
        unread = request.user.notifications.unread().count()
    return {
        "service_name": "Support Exchange",
        "nav_items": nav.items_for(request) if hasattr(request, "memberships") else [],
        "unread_notifications": unread,
    }
