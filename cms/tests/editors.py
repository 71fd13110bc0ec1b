"""Editors and moderators as the site sets them up: Wagtail's groups for the whole site, and each
council's own groups for its section."""

from django.contrib.auth.models import Group

from accounts.models import User
from accounts.tests.factories import UserFactory


def site_editor(**fields: str) -> User:
    """May write pages anywhere and submit them for review, but not publish."""
    user = UserFactory(**fields)
    user.groups.add(Group.objects.get(name="Editors"))
    return user


def site_moderator(**fields: str) -> User:
    """Approves pages in the site-wide "Council review"."""
    user = UserFactory(**fields)
    user.groups.add(Group.objects.get(name="Moderators"))
    return user
