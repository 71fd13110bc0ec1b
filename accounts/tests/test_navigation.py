import pytest

from accounts.roles import Role
from accounts.tests.factories import UserFactory, user_with_role

pytestmark = pytest.mark.django_db


def _nav_labels(client, user):
    client.force_login(user)
    return [item["label"] for item in client.get("/account/").context["nav_items"]]


def test_anonymous_visitors_see_sign_in_and_no_account_links(client):
    html = client.get("/").content.decode()

    assert "Sign in" in html
    assert "Your account" not in html


def test_every_signed_in_user_sees_their_account_and_notifications(client):
    labels = _nav_labels(client, user_with_role(Role.FAMILY_MEMBER))

    assert "Your account" in labels
    assert "Notifications" in labels
    assert "Content" not in labels
    assert "Records" not in labels


def test_staff_see_the_content_and_records_admin_links(client):
    labels = _nav_labels(client, UserFactory(is_staff=True))

    assert {"Content", "Records"} <= set(labels)


@pytest.mark.parametrize("role", list(Role))
def test_every_navigation_link_a_role_sees_opens_for_that_role(client, role):
    user = user_with_role(role)
    client.force_login(user)

    for item in client.get("/account/").context["nav_items"]:
        response = client.get(item["href"])
        assert response.status_code == 200, f"{role} sees {item['label']} but gets {response.status_code}"


def test_a_council_editor_who_is_not_staff_sees_the_content_link(client):
    from django.contrib.auth.models import Group, Permission

    editors = Group.objects.create(name="Somewhere editors")
    editors.permissions.add(Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"))
    editor = user_with_role(Role.COMMISSIONER)
    editor.groups.add(editors)

    assert "Content" in _nav_labels(client, editor)
