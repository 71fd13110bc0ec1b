"""Every open API response, for every parameter, validates against the Open Referral UK schemas in
../shared (with format checking: ids are UUIDs), and finds what the parameter asks for."""

import pytest

from providers.models import Taxonomy, TaxonomyTerm
from search.tests.oruk import assert_valid, assert_valid_page, directory

pytestmark = pytest.mark.django_db


@pytest.fixture
def listed():  # type: ignore[no-untyped-def]
    return directory()


def services_page(client, **params):  # type: ignore[no-untyped-def]
    response = client.get("/api/oruk/services", params)
    assert response.status_code == 200, response.content
    body = response.json()
    assert_valid_page(body, "compiled/service_list.json")
    return body


def locations_page(client, **params):  # type: ignore[no-untyped-def]
    response = client.get("/api/oruk/service_at_locations", params)
    assert response.status_code == 200, response.content
    body = response.json()
    assert_valid_page(body, "compiled/service_at_location_list.json")
    return body


def ids(body):  # type: ignore[no-untyped-def]
    return [item["id"] for item in body["contents"]]


def names(body):  # type: ignore[no-untyped-def]
    return [item["name"] for item in body["contents"]]


def venue_services(body):  # type: ignore[no-untyped-def]
    return [item["service"]["name"] for item in body["contents"]]


def term_id(code: str) -> str:
    return str(TaxonomyTerm.objects.get(code=code).public_id)


def test_services_lists_active_and_defunct_services_by_name(client, listed):
    body = services_page(client)

    assert names(body) == ["Music tuition", "Old club", "Swimming lessons"]
    statuses = {item["name"]: item["status"] for item in body["contents"]}
    assert statuses == {"Music tuition": "active", "Old club": "defunct", "Swimming lessons": "active"}
    assert (body["total_items"], body["total_pages"], body["page_number"], body["size"]) == (3, 1, 1, 3)
    assert (body["first_page"], body["last_page"], body["empty"]) == (True, True, False)


def test_services_pages(client, listed):
    first = services_page(client, per_page=2)
    second = services_page(client, per_page=2, page=2)
    beyond = services_page(client, per_page=2, page=3)

    assert names(first) == ["Music tuition", "Old club"]
    assert names(second) == ["Swimming lessons"]
    assert (first["total_pages"], first["last_page"], second["first_page"], second["last_page"]) == (
        2,
        False,
        False,
        True,
    )
    assert (beyond["contents"], beyond["empty"], beyond["size"]) == ([], True, 0)


def test_services_search_finds_words_with_a_typo(client, listed):
    assert names(services_page(client, search="swiming")) == ["Swimming lessons"]
    assert names(services_page(client, search="guitar")) == ["Music tuition"]
    assert names(services_page(client, search="trampoline")) == []


def test_services_by_taxonomy_term_include_the_terms_children(client, listed):
    assert names(services_page(client, taxonomy_term_id=term_id("respite-at-home"))) == ["Swimming lessons"]
    assert names(services_page(client, taxonomy_term_id=term_id("short-breaks"))) == ["Old club", "Swimming lessons"]
    assert names(services_page(client, taxonomy_term_id=term_id("autism"))) == ["Old club", "Swimming lessons"]


def test_services_by_taxonomy(client, listed):
    needs = Taxonomy.objects.get(kind=Taxonomy.Kind.NEED).public_id
    categories = Taxonomy.objects.get(kind=Taxonomy.Kind.SERVICE_CATEGORY).public_id

    assert names(services_page(client, taxonomy_id=needs)) == ["Old club", "Swimming lessons"]
    assert names(services_page(client, taxonomy_id=categories)) == ["Music tuition", "Old club", "Swimming lessons"]


def test_services_by_age(client, listed):
    # Swimming 5-12, Music 11-18, Old club 8-16.
    assert names(services_page(client, minimum_age=13)) == ["Music tuition", "Old club"]
    assert names(services_page(client, maximum_age=7)) == ["Swimming lessons"]
    assert names(services_page(client, minimum_age=17, maximum_age=18)) == ["Music tuition"]


def test_services_by_day_and_times(client, listed):
    assert names(services_page(client, day="MO")) == ["Music tuition"]
    assert names(services_page(client, day="saturday")) == ["Old club", "Swimming lessons"]
    assert names(services_page(client, start_time="12:00")) == ["Music tuition"]
    assert names(services_page(client, end_time="15:00")) == ["Old club", "Swimming lessons"]
    assert names(services_page(client, day="SA", start_time="10:00", end_time="15:00")) == [
        "Old club",
        "Swimming lessons",
    ]
    assert names(services_page(client, day="SA", start_time="16:00")) == []


def test_a_service_in_full(client, listed):
    response = client.get(f"/api/oruk/services/{listed.swimming.public_id}")

    assert response.status_code == 200
    service = response.json()
    assert_valid(service, "compiled/service.json")
    assert service["status"] == "active"
    assert service["assured_date"] == "2026-02-01"
    assert service["assurer_email"] == "quality@coventry.example.org"
    assert service["organization"]["website"] == "https://swim.example.org"
    assert [(s["byday"], s["opens_at"], s["closes_at"]) for s in service["schedules"]] == [("SA", "10:00", "15:00")]
    assert [(c["amount"], c["option"]) for c in service["cost_options"]] == [(18.5, "Weekdays")]
    assert [area["extent"] for area in service["service_areas"]] == ["CV1"]
    assert sorted(language["code"] for language in service["languages"]) == ["en", "pa"]
    assert sorted(a["taxonomy_term"]["term"] for a in service["attributes"]) == ["autism", "respite-at-home"]
    venue = service["service_at_locations"][0]
    assert venue["location"]["addresses"][0]["postal_code"] == "CV1 2GT"
    assert venue["location"]["accessibility"][0]["description"] == "Step-free entrance and a hoist"


def test_a_defunct_service_in_full(client, listed):
    response = client.get(f"/api/oruk/services/{listed.withdrawn.public_id}")

    assert response.status_code == 200
    assert_valid(response.json(), "compiled/service.json")
    assert response.json()["status"] == "defunct"


def test_service_at_locations_lists_the_venues_of_published_services(client, listed):
    body = locations_page(client)

    assert venue_services(body) == ["Music tuition", "Old club", "Swimming lessons"]
    assert {item["location"]["name"] for item in body["contents"]} == {"Music room", "Old hall", "Leisure centre"}


def test_service_at_locations_take_the_service_parameters(client, listed):
    assert venue_services(locations_page(client, search="guitar")) == ["Music tuition"]
    assert venue_services(locations_page(client, taxonomy_term_id=term_id("tuition"))) == ["Music tuition"]
    needs = Taxonomy.objects.get(kind=Taxonomy.Kind.NEED).public_id
    assert venue_services(locations_page(client, taxonomy_id=needs)) == ["Old club", "Swimming lessons"]
    assert venue_services(locations_page(client, minimum_age=17)) == ["Music tuition"]
    assert venue_services(locations_page(client, maximum_age=7)) == ["Swimming lessons"]
    assert venue_services(locations_page(client, day="MO", start_time="16:00", end_time="18:00")) == ["Music tuition"]
    assert venue_services(locations_page(client, per_page=1, page=3)) == ["Swimming lessons"]


def test_service_at_locations_within_a_distance_of_a_postcode(client, listed):
    # The Coventry venues are about 1.6 miles (2,500 m) from CV3 5AB; Birmingham about 18 miles.
    near = locations_page(client, postcode="CV3 5AB", proximity=5000)
    wide = locations_page(client, postcode="CV3 5AB", proximity=40000)

    assert venue_services(near) == ["Old club", "Swimming lessons"]
    assert venue_services(wide) == ["Music tuition", "Old club", "Swimming lessons"]


def test_service_at_locations_for_a_postcode_its_service_area_covers(client, listed):
    # Music tuition covers all of Birmingham; the Coventry services are in Coventry's council area.
    assert venue_services(locations_page(client, postcode="B1 1AA")) == ["Music tuition"]
    assert venue_services(locations_page(client, postcode="CV1 2GT")) == ["Old club", "Swimming lessons"]
    assert venue_services(locations_page(client, postcode="LS1 4AP")) == []


def test_a_service_at_a_location_in_full(client, listed):
    location = listed.swimming.live_version.locations.get()

    response = client.get(f"/api/oruk/service_at_locations/{location.public_id}")

    assert response.status_code == 200
    body = response.json()
    assert_valid(body, "compiled/service_at_location.json")
    assert body["service"]["name"] == "Swimming lessons"
    assert body["location"]["addresses"][0]["city"] == "Coventry"


def test_taxonomies_and_their_pages(client, listed):
    response = client.get("/api/oruk/taxonomies", {"per_page": 1, "page": 2})

    assert response.status_code == 200
    body = response.json()
    assert_valid_page(body, "taxonomy.json")
    assert (body["total_items"], body["page_number"], body["size"]) == (2, 2, 1)


def test_a_taxonomy(client, listed):
    taxonomy = Taxonomy.objects.get(kind=Taxonomy.Kind.NEED)

    response = client.get(f"/api/oruk/taxonomies/{taxonomy.public_id}")

    assert response.status_code == 200
    assert_valid(response.json(), "taxonomy.json")
    assert response.json()["name"] == taxonomy.name


def test_taxonomy_terms_and_their_pages(client, listed):
    every = client.get("/api/oruk/taxonomy_terms", {"per_page": 500}).json()
    second = client.get("/api/oruk/taxonomy_terms", {"per_page": 5, "page": 2}).json()

    assert_valid_page(every, "taxonomy_term.json")
    assert_valid_page(second, "taxonomy_term.json")
    published = TaxonomyTerm.objects.filter(taxonomy__kind__in=["service_category", "need"], is_active=True)
    assert every["total_items"] == published.count()
    assert second["size"] == 5


def test_a_taxonomy_term_names_its_parent_and_taxonomy(client, listed):
    term = TaxonomyTerm.objects.get(code="respite-at-home")

    response = client.get(f"/api/oruk/taxonomy_terms/{term.public_id}")

    assert response.status_code == 200
    body = response.json()
    assert_valid(body, "taxonomy_term.json")
    assert body["parent_id"] == str(term.parent.public_id)
    assert body["taxonomy_id"] == str(term.taxonomy.public_id)


def test_the_schema_check_would_catch_an_id_that_is_not_a_uuid():
    with pytest.raises(AssertionError, match="uuid"):
        assert_valid({"id": "offer-1", "name": "Club", "status": "active"}, "compiled/service_list.json")
