"""Role-aware navigation.

Each app registers the pages it offers from its AppConfig.ready(); the header shows a signed-in
user only the items their roles can use, so that nobody is shown a link that answers 403.
"""

from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse

from accounts.roles import Role


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: frozenset[str] = frozenset()  # empty: every signed-in user
    staff_only: bool = False
    order: int = 100

    def visible_to(self, request: HttpRequest) -> bool:
        if not request.user.is_authenticated:
            return False
        if self.staff_only:
            return request.user.is_staff
        if not self.roles:
            return True
        return any(m.role in self.roles for m in request.memberships)  # type: ignore[attr-defined]


_registry: dict[str, NavItem] = {}


def register(item: NavItem) -> None:
    _registry[item.url_name] = item


def items_for(request: HttpRequest) -> list[dict[str, object]]:
    current = request.path
    visible = sorted((i for i in _registry.values() if i.visible_to(request)), key=lambda i: (i.order, i.label))
    result = []
    for item in visible:
        href = reverse(item.url_name)
        result.append(
            {
                "label": item.label,
                "href": href,
                "current": current == href,
                "active": href != "/" and current.startswith(href),
            }
        )
    return result


class ContentNavItem(NavItem):
    """Site staff and the council editors and moderators that Wagtail lets into its admin."""

    def visible_to(self, request: HttpRequest) -> bool:
        user = request.user
        return user.is_authenticated and (user.is_staff or user.has_perm("wagtailadmin.access_admin"))


def register_accounts_items() -> None:
    register(NavItem("Your account", "accounts:dashboard", order=10))
    register(NavItem("Notifications", "accounts:notifications", order=90))
    register(ContentNavItem("Content", "wagtailadmin_home", order=80))
    register(NavItem("Records", "admin:index", staff_only=True, order=81))
    council_admin = frozenset({Role.COUNCIL_ADMIN})
    register(NavItem("Organisations", "accounts:manage-organisations", roles=council_admin, order=70))
    register(NavItem("Users", "accounts:manage-users", roles=council_admin, order=71))
