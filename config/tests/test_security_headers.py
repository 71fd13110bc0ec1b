import pytest

pytestmark = pytest.mark.django_db


def test_pages_carry_a_strict_content_security_policy_with_a_nonce(client):
    response = client.get("/")

    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "'nonce-" in policy
    assert "unsafe-inline" not in policy
    nonce = policy.split("'nonce-")[1].split("'")[0]
    assert f'nonce="{nonce}"' in response.content.decode()


def test_pages_forbid_framing_and_sniffing_and_limit_referrers(client):
    response = client.get("/")

    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_only_strictly_necessary_cookies_are_set(client):
    from accounts.tests.factories import PASSWORD, UserFactory

    UserFactory(email="alice@example.org")
    client.get("/account/sign-in/")
    client.post("/account/sign-in/", {"username": "alice@example.org", "password": PASSWORD})

    assert set(client.cookies.keys()) <= {"sessionid", "csrftoken"}


def test_answers_over_https_tell_browsers_to_keep_to_https(client):
    response = client.get("/", secure=True)

    assert response["Strict-Transport-Security"].startswith("max-age=31536000")


@pytest.mark.parametrize("path", ["/", "/search/", "/api/schema/", "/account/sign-in/"])
def test_only_the_open_api_lets_other_sites_read_its_answers(client, path):
    """CORS is for the Open Referral UK API alone (search/oruk/cors.py); every other answer stays same-origin."""
    response = client.get(path, headers={"Origin": "https://elsewhere.example"})

    assert "Access-Control-Allow-Origin" not in response
    assert (
        client.get("/api/oruk/services", headers={"Origin": "https://elsewhere.example"})["Access-Control-Allow-Origin"]
        == "*"
    )
