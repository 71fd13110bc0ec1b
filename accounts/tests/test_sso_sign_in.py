"""Signing in through a council's identity provider, against a real local OpenID provider
(accounts/tests/sso_provider.py): every check on the ID token is made on a token the provider really
signed and sent over HTTP."""

import time
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from django.test import override_settings
from django.urls import reverse
from joserfc.jwk import RSAKey

from accounts.models import AuditEvent, CouncilSignOn, User
from accounts.roles import Role
from accounts.tests.factories import PASSWORD, CouncilFactory, MembershipFactory, user_with_role
from accounts.tests.sso_provider import CLIENT_SECRET, LocalProvider

pytestmark = pytest.mark.django_db

SSO_SIGN_IN = "/account/sign-in/council/"
CALLBACK = "/account/sign-in/council/return/"


@pytest.fixture
def council():
    return CouncilFactory(name="Coventry City Council", slug="coventry", email="it@coventry.gov.uk")


@pytest.fixture
def config(council, provider):
    return CouncilSignOn.objects.create(
        council=council,
        issuer_url=provider.issuer,
        client_id=provider.client_id,
        client_secret=CLIENT_SECRET,
        client_secret_hint="•••• 0042",
        allowed_email_domains=["coventry.gov.uk"],
        is_enabled=True,
    )


@pytest.fixture
def staff(council):
    return user_with_role(Role.LEAD_PROFESSIONAL, council, email="staff@coventry.gov.uk")


def start(client, email="staff@coventry.gov.uk", **extra):
    response = client.post(SSO_SIGN_IN, {"email": email, **extra})
    assert response.status_code == 302, response.content.decode()[:2000]
    return response["Location"]


def sign_in_through(client, provider, email="staff@coventry.gov.uk", **extra):
    callback = provider.sign_in_at_provider(start(client, email, **extra))
    return client.get(callback)


def signed_in_user(client):
    user_id = client.session.get("_auth_user_id")
    return User.objects.get(pk=user_id) if user_id else None


def refusals():
    return list(AuditEvent.objects.filter(action="sso.refused").values_list("data__reason", flat=True))


# --- The round trip -------------------------------------------------------------------------------


def test_staff_member_signs_in_through_their_councils_provider(client, provider, config, staff):
    authorize_url = start(client)

    query = parse_qs(urlsplit(authorize_url).query)
    assert authorize_url.startswith(f"{provider.issuer}/authorize?")
    assert query["code_challenge_method"] == ["S256"]
    assert query["client_id"] == [provider.client_id]
    assert query["login_hint"] == ["staff@coventry.gov.uk"]
    assert query["state"][0] and query["nonce"][0] and query["code_challenge"][0]
    assert "openid" in query["scope"][0].split()

    response = client.get(provider.sign_in_at_provider(authorize_url))

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:dashboard")
    assert signed_in_user(client) == staff
    assert client.session["mfa_satisfied_by"] == "oidc:coventry"
    event = AuditEvent.objects.get(action="sso.signed_in")
    assert event.actor == staff and event.council == config.council


@override_settings(MFA_REQUIRED=True)
def test_the_providers_sign_in_counts_as_two_step_verification(client, provider, config, staff):
    sign_in_through(client, provider)

    assert client.get(reverse("accounts:dashboard")).status_code == 200


def test_a_password_sign_in_of_the_same_staff_member_still_needs_two_step_verification(client, config, staff):
    client.post(reverse("accounts:sign-in"), {"username": staff.email, "password": PASSWORD})

    assert "mfa_satisfied_by" not in client.session


def test_the_page_asked_for_is_where_the_sign_in_ends(client, provider, config, staff):
    response = sign_in_through(client, provider, next="/account/notifications/")

    assert response["Location"] == "/account/notifications/"


def test_another_sites_address_is_never_where_the_sign_in_ends(client, provider, config, staff):
    response = sign_in_through(client, provider, next="https://evil.example/")

    assert response["Location"] == reverse("accounts:dashboard")


def test_choosing_the_council_instead_of_typing_an_email(client, provider, config, staff):
    response = client.post(SSO_SIGN_IN, {"council": "coventry"})
    callback = provider.sign_in_at_provider(response["Location"])

    assert client.get(callback).status_code == 302
    assert signed_in_user(client) == staff


def test_sign_in_page_lists_councils_with_single_sign_on_and_links_from_the_password_page(client, config):
    page = client.get(SSO_SIGN_IN).content.decode()
    password_page = client.get(reverse("accounts:sign-in")).content.decode()

    assert "Sign in with Coventry City Council’s account" in page
    assert reverse("accounts:sso-sign-in") in password_page


def test_an_address_no_council_signs_in_redisplays_the_form_with_an_error_summary(client, config):
    response = client.post(SSO_SIGN_IN, {"email": "someone@gmail.com"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in html
    assert "<title>Error:" in html
    assert "No council signs in addresses like this one" in html


def test_a_turned_off_council_is_not_offered(client, config):
    config.is_enabled = False
    config.save()

    response = client.post(SSO_SIGN_IN, {"email": "staff@coventry.gov.uk"})

    assert response.status_code == 200
    assert "No council signs in addresses like this one" in response.content.decode()
    assert "Coventry City Council’s account" not in response.content.decode()


# --- The ID token: every check is made ------------------------------------------------------------


def _refused_with_bad_token(client, provider):
    response = sign_in_through(client, provider)
    assert response.status_code == 400
    assert "We could not check who you are" in response.content.decode()
    assert signed_in_user(client) is None
    assert refusals() == ["bad_token"]
    return response


def test_wrong_audience_is_refused(client, provider, config, staff):
    provider.claims_override = {"aud": "another-client"}
    _refused_with_bad_token(client, provider)


def test_wrong_audience_is_refused_even_with_our_client_as_authorised_party(client, provider, config, staff):
    provider.claims_override = {"aud": "another-client", "azp": provider.client_id}
    _refused_with_bad_token(client, provider)


def test_wrong_issuer_is_refused(client, provider, config, staff):
    provider.claims_override = {"iss": "https://login.evil.example"}
    _refused_with_bad_token(client, provider)


def test_bad_signature_is_refused(client, provider, config, staff):
    provider.sign_with = RSAKey.generate_key(2048, parameters={"kid": "test-key-1"})
    _refused_with_bad_token(client, provider)


def test_expired_token_is_refused(client, provider, config, staff):
    now = int(time.time())
    provider.claims_override = {"exp": now - 600, "iat": now - 900}
    _refused_with_bad_token(client, provider)


def test_nonce_mismatch_is_refused(client, provider, config, staff):
    provider.claims_override = {"nonce": "not-the-nonce-we-sent"}
    _refused_with_bad_token(client, provider)


def test_missing_nonce_is_refused(client, provider, config, staff):
    provider.remove_claims = ["nonce"]
    _refused_with_bad_token(client, provider)


def test_state_mismatch_is_refused(client, provider, config, staff):
    callback = provider.sign_in_at_provider(start(client))
    parts = urlsplit(callback)
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    query["state"] = "forged-state"

    response = client.get(f"{CALLBACK}?{urlencode(query)}")

    assert response.status_code == 400
    assert "This sign-in has ended" in response.content.decode()
    assert "Sign in with your email address and password instead" in response.content.decode()
    assert signed_in_user(client) is None
    assert refusals() == ["state_mismatch"]


def test_a_return_answered_once_cannot_be_replayed(client, provider, config, staff):
    callback = provider.sign_in_at_provider(start(client))
    client.get(callback)
    client.post(reverse("accounts:sign-out"))

    response = client.get(callback)

    assert response.status_code == 400
    assert signed_in_user(client) is None


def test_a_return_from_another_browser_is_refused(client, provider, config, staff, django_user_model):
    from django.test import Client

    callback = provider.sign_in_at_provider(start(client))

    other_browser = Client()
    response = other_browser.get(callback)

    assert response.status_code == 400
    assert other_browser.session.get("_auth_user_id") is None


def test_a_sign_in_that_took_over_ten_minutes_is_refused(client, provider, config, staff):
    callback = provider.sign_in_at_provider(start(client))
    session = client.session
    pending = session["sso_pending"]
    pending[0]["started"] -= 11 * 60
    session["sso_pending"] = pending
    session.save()

    response = client.get(callback)

    assert response.status_code == 400
    assert "This sign-in has timed out" in response.content.decode()
    assert refusals() == ["expired"]


# --- Who may sign in ------------------------------------------------------------------------------


def test_an_email_without_a_staff_account_is_refused_and_nothing_is_created(client, provider, config, staff):
    provider.email = "newstarter@coventry.gov.uk"
    users_before = User.objects.count()

    response = sign_in_through(client, provider, email="newstarter@coventry.gov.uk")

    html = response.content.decode()
    assert response.status_code == 403
    assert "there is no council staff account for that address" in html
    assert "it@coventry.gov.uk" in html
    assert User.objects.count() == users_before
    assert signed_in_user(client) is None
    assert refusals() == ["no_account"]


def test_a_family_members_email_is_refused(client, provider, config, council):
    user_with_role(Role.FAMILY_MEMBER, council, email="parent@coventry.gov.uk")
    provider.email = "parent@coventry.gov.uk"

    response = sign_in_through(client, provider, email="parent@coventry.gov.uk")

    assert response.status_code == 403
    assert "for council staff" in response.content.decode()
    assert signed_in_user(client) is None
    assert refusals() == ["family_member"]


def test_a_staff_member_who_is_also_a_family_member_is_refused(client, provider, config, council, staff):
    MembershipFactory(user=staff, organisation=council, role=Role.FAMILY_MEMBER)

    response = sign_in_through(client, provider)

    assert response.status_code == 403
    assert refusals() == ["family_member"]


def test_a_user_whose_staff_role_has_ended_is_refused(client, provider, config, staff):
    staff.memberships.update(is_active=False)

    response = sign_in_through(client, provider)

    assert response.status_code == 403
    assert refusals() == ["not_council_staff"]


def test_a_provider_worker_with_a_council_address_is_refused(client, provider, config, council):
    user_with_role(Role.PROVIDER_STAFF, email="carer@coventry.gov.uk")
    provider.email = "carer@coventry.gov.uk"

    response = sign_in_through(client, provider, email="carer@coventry.gov.uk")

    assert response.status_code == 403
    assert refusals() == ["not_council_staff"]


def test_platform_staff_are_refused(client, provider, config, staff):
    staff.is_staff = True
    staff.save()

    response = sign_in_through(client, provider)

    assert response.status_code == 403
    assert refusals() == ["platform_staff"]


def test_an_address_outside_the_councils_domains_is_refused(client, provider, config, council):
    user_with_role(Role.COMMISSIONER, council, email="contractor@gmail.com")
    provider.email = "contractor@gmail.com"

    response = sign_in_through(client, provider)

    assert response.status_code == 403
    assert refusals() == ["domain_not_allowed"]


def test_an_address_the_provider_has_not_verified_is_refused(client, provider, config, staff):
    provider.extra_claims = {"email_verified": False}

    response = sign_in_through(client, provider)

    assert response.status_code == 403
    assert refusals() == ["email_not_verified"]


def test_the_work_address_may_come_as_preferred_username(client, provider, config, staff):
    provider.remove_claims = ["email", "email_verified"]
    provider.extra_claims = {"preferred_username": "Staff@Coventry.gov.uk"}

    sign_in_through(client, provider)

    assert signed_in_user(client) == staff


def test_another_councils_provider_cannot_sign_in_this_councils_staff(client, provider, config, staff):
    """Warwickshire's provider (or whoever controls it) vouches for Coventry's staff member: refused,
    because single sign-on only ever signs in staff of the council whose provider it is."""
    with LocalProvider() as other_provider:
        warwickshire = CouncilFactory(name="Warwickshire County Council", slug="warwickshire")
        CouncilSignOn.objects.create(
            council=warwickshire,
            issuer_url=other_provider.issuer,
            client_id=other_provider.client_id,
            client_secret=CLIENT_SECRET,
            allowed_email_domains=["warwickshire.gov.uk", "coventry.gov.uk"],
            is_enabled=True,
        )
        other_provider.email = "staff@coventry.gov.uk"
        response = client.post(SSO_SIGN_IN, {"council": "warwickshire"})
        callback = other_provider.sign_in_at_provider(response["Location"])

        response = client.get(callback)

    assert response.status_code == 403
    assert signed_in_user(client) is None
    assert refusals() == ["not_council_staff"]
    assert AuditEvent.objects.get(action="sso.refused").council == warwickshire


def test_a_token_from_another_councils_provider_is_refused(client, provider, config, staff):
    """The other council's provider signs a token for our client ID with its own key: the issuer and
    the key set do not match this council's provider."""
    with LocalProvider() as other_provider:
        provider.sign_with = other_provider.key
        provider.claims_override = {"iss": other_provider.issuer}
        _refused_with_bad_token(client, provider)


# --- When things go wrong there is a page, never a 500 --------------------------------------------


def test_provider_down_shows_a_page_with_the_password_route(client, provider, config, staff):
    provider.discovery_status = 503

    response = client.post(SSO_SIGN_IN, {"email": "staff@coventry.gov.uk"})

    html = response.content.decode()
    assert response.status_code == 502
    assert "is not answering" in html
    assert "Sign in with your email address and password instead" in html
    assert refusals() == ["provider_unavailable"]


def test_provider_unreachable_shows_a_page(client, config, staff):
    config.issuer_url = "http://127.0.0.1:9"  # the discard port: nothing listens
    config.save()

    response = client.post(SSO_SIGN_IN, {"email": "staff@coventry.gov.uk"})

    assert response.status_code == 502
    assert "is not answering" in response.content.decode()


def test_bad_discovery_shows_a_page(client, provider, config, staff):
    provider.discovery_override = {"issuer": "https://someone-else.example"}

    response = client.post(SSO_SIGN_IN, {"email": "staff@coventry.gov.uk"})

    assert response.status_code == 502
    assert "is not set up correctly" in response.content.decode()
    assert refusals() == ["bad_discovery"]


def test_discovery_that_is_not_json_shows_a_page(client, provider, config, staff):
    provider.discovery_status = 404

    response = client.post(SSO_SIGN_IN, {"email": "staff@coventry.gov.uk"})

    assert response.status_code == 502
    assert refusals() == ["bad_discovery"]


def test_a_wrong_client_secret_shows_a_page(client, provider, config, staff):
    provider.client_secret = "the-provider-has-a-new-secret"

    response = sign_in_through(client, provider)

    assert response.status_code == 502
    assert "We could not finish signing you in" in response.content.decode()
    assert refusals() == ["token_exchange_failed"]


def test_token_endpoint_failing_shows_a_page(client, provider, config, staff):
    provider.token_status = 500

    response = sign_in_through(client, provider)

    assert response.status_code == 502
    assert signed_in_user(client) is None


def test_the_provider_refusing_shows_a_page(client, provider, config, staff):
    authorize_url = start(client)
    state = parse_qs(urlsplit(authorize_url).query)["state"][0]

    response = client.get(f"{CALLBACK}?{urlencode({'state': state, 'error': 'access_denied'})}")

    assert response.status_code == 400
    assert "did not sign you in" in response.content.decode()
    assert refusals() == ["refused_by_provider"]


def test_the_password_route_is_hidden_when_the_council_turned_passwords_off(client, provider, config, staff):
    config.password_sign_in_allowed = False
    config.save()
    provider.discovery_status = 503

    response = client.post(SSO_SIGN_IN, {"email": "staff@coventry.gov.uk"})

    assert response.status_code == 502
    assert "Sign in with your email address and password instead" not in response.content.decode()


def test_a_return_without_any_sign_in_started_shows_a_page(client):
    response = client.get(f"{CALLBACK}?code=abc&state=xyz")

    assert response.status_code == 400


# --- Password sign-in where the council turned it off ---------------------------------------------


def test_staff_cannot_use_a_password_when_their_council_turned_passwords_off(client, config, staff):
    config.password_sign_in_allowed = False
    config.save()

    response = client.post(reverse("accounts:sign-in"), {"username": staff.email, "password": PASSWORD})

    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in html
    assert "Coventry City Council asks its staff to sign in with their council account" in html
    assert signed_in_user(client) is None


def test_a_wrong_password_does_not_reveal_the_councils_rule(client, config, staff):
    config.password_sign_in_allowed = False
    config.save()

    response = client.post(reverse("accounts:sign-in"), {"username": staff.email, "password": "wrong"})

    assert "asks its staff" not in response.content.decode()


def test_families_of_that_council_still_sign_in_with_a_password(client, config, council):
    parent = user_with_role(Role.FAMILY_MEMBER, council, email="parent@example.org")
    config.password_sign_in_allowed = False
    config.save()

    response = client.post(reverse("accounts:sign-in"), {"username": parent.email, "password": PASSWORD})

    assert response.status_code == 302
    assert signed_in_user(client) == parent


def test_staff_may_use_a_password_while_single_sign_on_is_off(client, config, staff):
    config.password_sign_in_allowed = False
    config.is_enabled = False
    config.save()

    response = client.post(reverse("accounts:sign-in"), {"username": staff.email, "password": PASSWORD})

    assert response.status_code == 302
