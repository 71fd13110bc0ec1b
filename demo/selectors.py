"""Reads for the demo app."""

from accounts.models import User
from demo.logins import DemoLogin


def demo_logins_missing(logins: tuple[DemoLogin, ...]) -> list[DemoLogin]:
    """The demo sign-ins that have no account yet (demo_data has not been run on this database)."""
    existing = set(User.objects.filter(email__in=[login.email for login in logins]).values_list("email", flat=True))
    return [login for login in logins if login.email not in existing]
