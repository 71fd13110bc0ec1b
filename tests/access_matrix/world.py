"""The world the access matrix runs in: the demo, built once, seen by "our" users and by "theirs".

``demo_data`` builds Coventry's whole story (families, budgets, plans, orders, invoices, payment runs,
service funds, complaints, adverts...), so every object URL has a real object to point at. Each role has
two users:

- **ours**: the demo login for the role (``demo.logins``), who is connected to the objects the table
  points at (Tom's mother, his school nurse, the counselling charity's staff, Coventry's officers...);
- **theirs**: a user with the same role on the other side: a council role in Gloucestershire (another
  council), staff of a Gloucestershire provider (another provider), a broker of Gloucestershire's broker
  organisation (another broker), and a family member, young person and personal assistant registered
  with Gloucestershire (another family, another PA).

The objects are the same for both sides: what changes is whose they are. Anonymous visitors and platform
staff (the demo's superuser, with no membership) are one column each.

Each object is found by a query (``OBJECTS``); the table (``table.py``) names them by key. An object the
demo does not make is ``MISSING``: its URLs get a random id, and every role must answer 404 (or 302/403
before the lookup) for it, which the table records.
"""

import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from io import StringIO
from typing import Any

from django.core.management import call_command
from django.db import transaction

from accounts.models import Notification, Organisation, User
from accounts.roles import OrganisationKind, Role
from accounts.tests.factories import user_with_role
from demo.logins import COVENTRY_LOGIN_BY_ROLE

ANONYMOUS = "anonymous"
STAFF = "platform_staff"
# Every column of the matrix, in the order the table writes them.
ROLES: tuple[str, ...] = (ANONYMOUS, *(role.value for role in Role), STAFF)
SIDED_ROLES: tuple[str, ...] = tuple(role.value for role in Role)
SIDES = ("ours", "theirs")

OURS_EMAILS: dict[str, str] = dict(COVENTRY_LOGIN_BY_ROLE)
STAFF_EMAIL = "staff@support-exchange.demo"
OUR_COUNCIL = "coventry"
THEIR_COUNCIL = "gloucestershire"

# A well-formed id that no object has: what a URL gets when the demo has no object for it.
MISSING = uuid.UUID("00000000-0000-4000-8000-00000000dead")


@dataclass
class World:
    users: dict[tuple[str, str], User] = field(default_factory=dict)  # (role, side) -> user
    staff: User | None = None
    values: dict[str, Any] = field(default_factory=dict)  # object key -> URL kwarg value
    missing: set[str] = field(default_factory=set)

    def user(self, role: str, side: str) -> User | None:
        if role == ANONYMOUS:
            return None
        if role == STAFF:
            return self.staff
        return self.users[(role, side)]

    def kwargs(self, spec: dict[str, str]) -> dict[str, Any]:
        """URL kwargs from ``{"kwarg": "key"}``; ``"key.1"`` takes part 1 of a key that finds a tuple."""
        found: dict[str, Any] = {}
        for name, key in spec.items():
            base, _, part = key.partition(".")
            value = self.values[base]
            if part:
                value = MISSING if value is MISSING else value[int(part)]
            found[name] = value
        return found


def _their_users() -> dict[str, User]:
    council = Organisation.objects.get(slug=THEIR_COUNCIL)
    partners = Organisation.objects.filter(council=council)
    provider = partners.filter(kind=OrganisationKind.PROVIDER).order_by("slug").first()
    broker = partners.filter(kind=OrganisationKind.BROKER).order_by("slug").first()
    nhs = partners.filter(kind=OrganisationKind.NHS).order_by("slug").first()
    assert provider and broker and nhs, "the demo must give Gloucestershire a provider, a broker and an NHS body"
    organisation_for = {Role.PROVIDER_STAFF: provider, Role.BROKER: broker, Role.LEAD_PROFESSIONAL: nhs}
    return {
        role.value: user_with_role(role, organisation_for.get(role, council), email=f"theirs.{role.value}@example.org")
        for role in Role
    }


def build_world(*, build_demo: bool = True) -> World:
    if build_demo:
        call_command("demo_data", stdout=StringIO(), stderr=StringIO())
    world = World()
    for role, email in OURS_EMAILS.items():
        world.users[(role.value, "ours")] = User.objects.get(email=email)
    for role, user in _their_users().items():
        world.users[(role, "theirs")] = user
    world.staff = User.objects.get(email=STAFF_EMAIL)
    # Our family member needs a notification of her own to open.
    Notification.objects.create(
        recipient=world.users[(Role.FAMILY_MEMBER.value, "ours")], subject="Matrix", body="A notification to open."
    )
    # What the demo does not make (a file in an enquiry, a shared shortlist...), made as our users would.
    from tests.access_matrix.extras import build_extras

    build_extras(world)
    from tests.access_matrix.objects import OBJECTS

    for key, find in OBJECTS.items():
        value = find(world)
        if value is None:
            world.missing.add(key)
            value = MISSING
        world.values[key] = value
    return world


def world_fixture(django_db_setup, django_db_blocker) -> Iterator[World]:  # type: ignore[no-untyped-def]
    """Build the world in a transaction that outlives the module's tests and is rolled back after them."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)


Finder = Callable[[World], Any]
