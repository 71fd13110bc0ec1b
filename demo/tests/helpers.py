"""What the demo_data tests share: running the command, counting and snapshotting rows, signing in."""

import re
from io import StringIO

from django.core.management import call_command
from django.test import Client

from accounts.models import Membership, Organisation, User

SIGN_IN = "/account/sign-in/"


def run_demo_data(*args: str) -> str:
    stdout, stderr = StringIO(), StringIO()
    call_command("demo_data", *args, stdout=stdout, stderr=stderr)
    assert stderr.getvalue() == "", "the progress bar must stay off when output is not a terminal"
    return stdout.getvalue()


def row_counts() -> dict[str, int]:
    return {
        "organisations": Organisation.objects.count(),
        "users": User.objects.count(),
        "memberships": Membership.objects.count(),
    }


def snapshot() -> dict[str, set[tuple]]:
    """Every field that matters of every row, to show that nothing changed or that two runs agree."""
    return {
        "organisations": set(
            Organisation.objects.values_list("public_id", "slug", "name", "kind", "council__slug", "ons_code", "phone")
        ),
        "users": set(User.objects.values_list("public_id", "email", "first_name", "last_name", "password", "is_staff")),
        "memberships": set(
            Membership.objects.values_list("public_id", "user__email", "organisation__slug", "role", "is_active")
        ),
    }


def tally_row(output: str, label: str) -> tuple[int, int]:
    """(created, already there) from the summary line for ``label``."""
    found = re.search(rf"^\s+{re.escape(label)}\s+(\d+)\s+(\d+)$", output, flags=re.MULTILINE)
    assert found, f"no summary line for {label}"
    return int(found[1]), int(found[2])


def sign_in(email: str, password: str) -> Client:
    client = Client()
    response = client.post(SIGN_IN, {"username": email, "password": password})
    assert response.status_code == 302, f"{email} could not sign in"
    return client
