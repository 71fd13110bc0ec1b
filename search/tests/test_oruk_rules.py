"""The open API's rules: open to anyone with CORS, only published services and never personal
assistants, 400 with a message for a bad parameter, 404 for an unknown id, its own OpenAPI document."""

import json
import uuid

import pytest

from accounts.tests.factories import UserFactory
from search.oruk.views import OPENAPI_FILE
from search.tests.oruk import SCHEMA_FOLDER, directory

pytestmark = pytest.mark.django_db

LISTS = ["/api/oruk/services", "/api/oruk/service_at_locations", "/api/oruk/taxonomies", "/api/oruk/taxonomy_terms"]
DETAILS = [
    "/api/oruk/services/",
    "/api/oruk/service_at_locations/",
    "/api/oruk/taxonomies/",
    "/api/oruk/taxonomy_terms/",
]


@pytest.fixture
def listed():  # type: ignore[no-untyped-def]
    return directory()


def test_the_root_says_which_version_and_profile_and_where_the_openapi_document_is(client):
    response = client.get("/api/oruk/")

    assert response.status_code == 200
    assert response.json() == {
        "version": "3.0",
        "profile": "https://github.com/openreferral/uk-profile",
        "openapi_url": "http://testserver/api/oruk/openapi.json",
    }


def test_the_openapi_document_is_the_uk_profiles_pointed_at_this_server(client):
    response = client.get("/api/oruk/openapi.json")

    assert response.status_code == 200
    document = response.json()
    assert document["servers"] == [{"url": "http://testserver/api/oruk", "description": "Support Exchange"}]
    profile = json.loads((SCHEMA_FOLDER / "openapi.json").read_text())
    assert {key: value for key, value in document.items() if key != "servers"} == profile


def test_the_kept_copy_of_the_profiles_openapi_document_matches_the_shared_one():
    assert json.loads(OPENAPI_FILE.read_text()) == json.loads((SCHEMA_FOLDER / "openapi.json").read_text())


@pytest.mark.parametrize("url", ["/api/oruk/", "/api/oruk/openapi.json", *LISTS])
def test_every_answer_allows_any_origin_without_signing_in(client, listed, url):
    response = client.get(url, HTTP_ORIGIN="https://directory.example.org")

    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"


def test_errors_allow_any_origin_too(client, listed):
    assert client.get("/api/oruk/services", {"page": "0"})["Access-Control-Allow-Origin"] == "*"
    assert client.get(f"/api/oruk/services/{uuid.uuid4()}")["Access-Control-Allow-Origin"] == "*"
    assert client.get("/api/oruk/organizations")["Access-Control-Allow-Origin"] == "*"


def test_a_signed_in_user_sees_the_same_open_answers(client, listed):
    client.force_login(UserFactory())

    response = client.get("/api/oruk/services")

    assert response.status_code == 200
    assert response.json()["total_items"] == 3


def test_the_open_api_does_not_accept_writes(client, listed):
    response = client.post("/api/oruk/services", {"name": "Mine"})

    assert response.status_code == 405


def test_drafts_suspended_offers_and_personal_assistants_never_appear(client, listed):
    published = {str(listed.swimming.public_id), str(listed.music.public_id), str(listed.withdrawn.public_id)}

    services = {item["id"] for item in client.get("/api/oruk/services").json()["contents"]}
    venues = {item["service_id"] for item in client.get("/api/oruk/service_at_locations").json()["contents"]}

    assert services == published
    assert venues == published
    for hidden in (listed.suspended, listed.draft, listed.personal_assistant):
        assert client.get(f"/api/oruk/services/{hidden.public_id}").status_code == 404


def test_a_personal_assistant_is_not_found_even_by_their_words(client, listed):
    assert client.get("/api/oruk/services", {"search": "personal assistant"}).json()["contents"] == []


def test_a_suspended_services_venue_is_not_found(client, listed):
    venue = listed.suspended.live_version.locations.get()

    assert client.get(f"/api/oruk/service_at_locations/{venue.public_id}").status_code == 404


@pytest.mark.parametrize("prefix", DETAILS)
def test_an_unknown_id_answers_404(client, listed, prefix):
    assert client.get(f"{prefix}{uuid.uuid4()}").status_code == 404
    assert client.get(f"{prefix}not-a-uuid").status_code == 404


@pytest.mark.parametrize(
    ("url", "params", "field"),
    [
        ("/api/oruk/services", {"page": "0"}, "page"),
        ("/api/oruk/services", {"page": "two"}, "page"),
        ("/api/oruk/services", {"per_page": "0"}, "per_page"),
        ("/api/oruk/services", {"per_page": "501"}, "per_page"),
        ("/api/oruk/services", {"taxonomy_term_id": "autism"}, "taxonomy_term_id"),
        ("/api/oruk/services", {"taxonomy_id": "12"}, "taxonomy_id"),
        ("/api/oruk/services", {"minimum_age": "-1"}, "minimum_age"),
        ("/api/oruk/services", {"minimum_age": "old"}, "minimum_age"),
        ("/api/oruk/services", {"maximum_age": "ten"}, "maximum_age"),
        ("/api/oruk/services", {"day": "XX"}, "day"),
        ("/api/oruk/services", {"start_time": "25:00"}, "start_time"),
        ("/api/oruk/services", {"end_time": "teatime"}, "end_time"),
        ("/api/oruk/service_at_locations", {"postcode": "ZZ9 9ZZ"}, "postcode"),
        ("/api/oruk/service_at_locations", {"postcode": "not a postcode"}, "postcode"),
        ("/api/oruk/service_at_locations", {"postcode": "CV1 2GT", "proximity": "-5"}, "proximity"),
        ("/api/oruk/service_at_locations", {"postcode": "CV1 2GT", "proximity": "far"}, "proximity"),
        ("/api/oruk/service_at_locations", {"proximity": "5000"}, "proximity"),
        ("/api/oruk/service_at_locations", {"day": "Funday"}, "day"),
        ("/api/oruk/taxonomies", {"page": "-1"}, "page"),
        ("/api/oruk/taxonomy_terms", {"per_page": "lots"}, "per_page"),
    ],
)
def test_an_invalid_parameter_answers_400_with_a_message(client, listed, url, params, field):
    response = client.get(url, params)

    assert response.status_code == 400
    body = response.json()
    assert field in body["errors"]
    assert body["message"].startswith("Some parameters are not valid.")
    assert field in body["message"]


def test_the_projects_openapi_document_includes_the_open_api(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")

    paths = response.json()["paths"]
    for path in [
        "/api/oruk/",
        "/api/oruk/services",
        "/api/oruk/services/{id}",
        "/api/oruk/service_at_locations",
        "/api/oruk/service_at_locations/{id}",
        "/api/oruk/taxonomies",
        "/api/oruk/taxonomies/{id}",
        "/api/oruk/taxonomy_terms",
        "/api/oruk/taxonomy_terms/{id}",
    ]:
        assert "get" in paths[path], path
    parameters = {parameter["name"] for parameter in paths["/api/oruk/service_at_locations"]["get"]["parameters"]}
    assert {"search", "page", "per_page", "taxonomy_term_id", "postcode", "proximity", "day"} <= parameters
