import pytest

from accounts.roles import Role
from accounts.tests.factories import UserFactory, user_with_role

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/cms-admin/", "/admin/", "/admin/accounts/user/", "/cms-admin/pages/"])
def test_platform_staff_manage_content_and_records(client, url):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    assert client.get(url).status_code == 200


@pytest.mark.parametrize("url", ["/cms-admin/", "/admin/"])
def test_council_roles_without_staff_status_are_kept_out_of_the_admin(client, url):
    client.force_login(user_with_role(Role.COUNCIL_ADMIN))

    response = client.get(url)

    assert response.status_code == 302
    assert "login" in response["Location"]


def test_admin_user_list_can_be_searched_by_email(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    UserFactory(email="findme@example.org")

    response = client.get("/admin/accounts/user/", {"q": "findme"})

    assert "findme@example.org" in response.content.decode()


def test_openapi_document_is_public_and_covers_only_our_api(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")

    assert response.status_code == 200
    document = response.json()
    assert document["info"]["title"] == "Support Exchange API"
    assert not [path for path in document.get("paths", {}) if not path.startswith("/api/")]
