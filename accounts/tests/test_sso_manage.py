"""The council administrator's single sign-on page: set up, change, test the connection; the secret
encrypted at rest and never shown; 403 for other roles and 404 across councils."""

import pytest
from django.db import connection
from django.urls import reverse

from accounts import crypto
from accounts.models import AuditEvent, CouncilSignOn
from accounts.roles import Role
from accounts.tests.factories import CouncilFactory, user_with_role
from accounts.tests.sso_provider import CLIENT_SECRET

pytestmark = pytest.mark.django_db

MANAGE = "/account/manage/single-sign-on/"


@pytest.fixture
def council():
    return CouncilFactory(name="Coventry City Council", slug="coventry")


@pytest.fixture
def admin_client(client, council):
    client.force_login(user_with_role(Role.COUNCIL_ADMIN, council))
    return client


def _post_data(provider, **changes):
    data = {
        "issuer_url": provider.issuer,
        "client_id": provider.client_id,
        "client_secret": CLIENT_SECRET,
        "allowed_email_domains": "Coventry.gov.uk, @coventry.nhs.uk",
        "password_sign_in_allowed": "on",
        "is_enabled": "on",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def _config(council, issuer="https://login.example.org/coventry"):
    return CouncilSignOn.objects.create(
        council=council,
        issuer_url=issuer,
        client_id="client-1",
        client_secret=CLIENT_SECRET,
        client_secret_hint=crypto.mask(CLIENT_SECRET),
        allowed_email_domains=["coventry.gov.uk"],
    )


def test_administrator_sets_up_single_sign_on(admin_client, council, provider):
    assert "Set up single sign-on" in admin_client.get(MANAGE).content.decode()

    response = admin_client.post(reverse("accounts:manage-sso-create"), _post_data(provider))

    assert response.status_code == 302
    config = CouncilSignOn.objects.get(council=council)
    assert config.issuer_url == provider.issuer
    assert config.client_secret == CLIENT_SECRET
    assert config.allowed_email_domains == ["coventry.gov.uk", "coventry.nhs.uk"]
    assert config.is_enabled and config.password_sign_in_allowed
    assert AuditEvent.objects.get(action="sso.set_up").council == council


def test_the_secret_is_encrypted_at_rest(admin_client, council, provider):
    admin_client.post(reverse("accounts:manage-sso-create"), _post_data(provider))

    with connection.cursor() as cursor:
        cursor.execute("SELECT client_secret FROM accounts_councilsignon")
        (stored,) = cursor.fetchone()
    assert CLIENT_SECRET not in stored
    assert crypto.decrypt(stored) == CLIENT_SECRET


def test_the_secret_is_never_shown_back(admin_client, council, provider):
    config = _config(council)

    pages = [
        admin_client.get(MANAGE).content.decode(),
        admin_client.get(reverse("accounts:manage-sso-edit", args=[config.public_id])).content.decode(),
    ]

    for html in pages:
        assert CLIENT_SECRET not in html
        assert "•••• 0042" in html
    assert not AuditEvent.objects.filter(data__icontains=CLIENT_SECRET).exists()


def test_changing_without_a_new_secret_keeps_the_stored_one(admin_client, council, provider):
    config = _config(council, issuer=provider.issuer)

    response = admin_client.post(
        reverse("accounts:manage-sso-edit", args=[config.public_id]),
        _post_data(provider, client_secret="", client_id="new-client", password_sign_in_allowed=None),
    )

    assert response.status_code == 302
    config.refresh_from_db()
    assert config.client_secret == CLIENT_SECRET
    assert config.client_id == "new-client"
    assert config.password_sign_in_allowed is False
    event = AuditEvent.objects.get(action="sso.changed")
    assert "client_secret" not in event.data["changed"]
    assert "client_id" in event.data["changed"]


def test_a_new_secret_replaces_the_old_and_is_audited_without_its_value(admin_client, council, provider):
    config = _config(council, issuer=provider.issuer)

    admin_client.post(
        reverse("accounts:manage-sso-edit", args=[config.public_id]),
        _post_data(provider, client_secret="a-brand-new-secret-9876"),
    )

    config.refresh_from_db()
    assert config.client_secret == "a-brand-new-secret-9876"
    assert config.client_secret_hint == "•••• 9876"
    event = AuditEvent.objects.get(action="sso.changed")
    assert "client_secret" in event.data["changed"]
    assert "a-brand-new-secret-9876" not in str(event.data)


def test_it_cannot_be_turned_on_while_the_provider_cannot_be_reached(admin_client, council, provider):
    provider.discovery_status = 503

    response = admin_client.post(reverse("accounts:manage-sso-create"), _post_data(provider))

    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in html
    assert "cannot be turned on until the connection works" in html
    assert not CouncilSignOn.objects.exists()


def test_it_can_be_saved_off_while_the_provider_is_not_ready(admin_client, council, provider):
    provider.discovery_status = 503

    response = admin_client.post(reverse("accounts:manage-sso-create"), _post_data(provider, is_enabled=None))

    assert response.status_code == 302
    assert CouncilSignOn.objects.get(council=council).is_enabled is False


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"issuer_url": ""}, "Enter the issuer URL"),
        ({"issuer_url": "http://login.example.org"}, "Enter the issuer URL as an https address"),
        ({"client_secret": ""}, "Enter the client secret"),
        ({"allowed_email_domains": "not a domain!"}, "is not an email domain"),
        ({"allowed_email_domains": ""}, "Enter at least one email domain"),
    ],
)
def test_mistakes_redisplay_the_form_with_an_error_summary(admin_client, settings, provider, changes, message):
    settings.SSO_ALLOW_HTTP = False

    response = admin_client.post(reverse("accounts:manage-sso-create"), _post_data(provider, **changes))

    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in html
    assert message in html
    assert "<title>Error:" in html


def test_testing_the_connection_shows_what_was_found(admin_client, council, provider):
    config = _config(council, issuer=provider.issuer)

    response = admin_client.post(reverse("accounts:manage-sso-test", args=[config.public_id]))

    html = response.content.decode()
    assert response.status_code == 200
    assert "The connection works" in html
    assert f"{provider.issuer}/authorize" in html
    assert f"{provider.issuer}/token" in html
    assert "RS256" in html
    config.refresh_from_db()
    assert config.last_test_succeeded is True
    assert AuditEvent.objects.get(action="sso.tested").data["succeeded"] is True


def test_a_failing_connection_test_says_why(admin_client, council, provider):
    config = _config(council, issuer=provider.issuer)
    provider.discovery_override = {"issuer": "https://someone-else.example"}

    response = admin_client.post(reverse("accounts:manage-sso-test", args=[config.public_id]))

    html = response.content.decode()
    assert "The connection does not work" in html
    assert "someone-else.example" in html
    config.refresh_from_db()
    assert config.last_test_succeeded is False


@pytest.mark.parametrize("role", [Role.LEAD_PROFESSIONAL, Role.COMMISSIONER, Role.FINANCE_OFFICER, Role.FAMILY_MEMBER])
def test_other_roles_get_403(client, council, role):
    config = _config(council)
    client.force_login(user_with_role(role, council))

    assert client.get(MANAGE).status_code == 403
    assert client.get(reverse("accounts:manage-sso-create")).status_code == 403
    assert client.get(reverse("accounts:manage-sso-edit", args=[config.public_id])).status_code == 403
    assert client.post(reverse("accounts:manage-sso-test", args=[config.public_id])).status_code == 403


def test_signed_out_people_are_sent_to_sign_in(client):
    response = client.get(MANAGE)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:sign-in"))


def test_another_councils_settings_answer_404(admin_client, council, provider):
    other = _config(CouncilFactory(name="Warwickshire County Council", slug="warwickshire"))

    assert admin_client.get(reverse("accounts:manage-sso-edit", args=[other.public_id])).status_code == 404
    assert (
        admin_client.post(reverse("accounts:manage-sso-edit", args=[other.public_id]), _post_data(provider)).status_code
        == 404
    )
    assert admin_client.post(reverse("accounts:manage-sso-test", args=[other.public_id])).status_code == 404
    assert "Warwickshire" not in admin_client.get(MANAGE).content.decode()
    other.refresh_from_db()
    assert other.client_id == "client-1"
