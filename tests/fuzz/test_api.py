"""Schemathesis against the project's API (drf-spectacular, served at /api/schema/) and against the Open
Referral UK profile's own OpenAPI document, which the open API publishes at /api/oruk/openapi.json.

Every operation gets generated requests, valid and not, against a small directory with a service in every
state; half of the ids asked for are ids that exist, so that whole records are checked as well as 404s.
Checks: no 500s, and every response conforms to the document (status codes, content types, bodies,
headers). The requests go through Django's WSGI handler in the test's thread and transaction: no server.

The documents are built the way their views build them (so that collecting the tests needs no database);
``test_the_served_documents_are_the_ones_fuzzed`` holds the views to the same documents.
"""

import json

import pytest
import schemathesis
from django.conf import settings
from drf_spectacular.generators import SchemaGenerator
from hypothesis import strategies as st
from schemathesis.specs.openapi.checks import (
    negative_data_rejection,
    positive_data_acceptance,
    status_code_conformance,
)

from search.oruk.filters import TIME_OF_DAY
from search.oruk.views import openapi_document
from search.tests.oruk import SCHEMA_FOLDER, directory
from tests.fuzz.conftest import InTransactionWSGIApp

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def _project_document() -> dict:
    # Through JSON, as the view serves it (the generator's dict holds lazy strings and tuples).
    return json.loads(json.dumps(SchemaGenerator().get_schema(request=None, public=True), default=str))


def _schema(document: dict):  # type: ignore[no-untyped-def]
    schema = schemathesis.openapi.from_dict(document)
    schema.app = InTransactionWSGIApp()
    return schema


PROFILE_SCHEMAS = "https://raw.githubusercontent.com/openreferral/uk-profile/main/schema/"


def _profile_document() -> dict:
    """The profile's document as served, read offline and with its slips mended.

    Its responses point at the profile's entity schemas on GitHub: they are read from the copy in
    ../shared instead (the network may be closed, and the tests must not depend on it). Its
    ``start_time`` and ``end_time`` have ``"type": "time"``, which is no JSON Schema type: they are
    strings of hours and minutes (search.oruk.filters.TIME_OF_DAY). And its ``/service_at_locations/{id}``
    answers with the schema of a service where the profile's schema of a service at a location is meant
    (the one search/tests/test_oruk_schema.py holds that answer to).
    """
    text = json.dumps(openapi_document(settings.SITE_URL)).replace(PROFILE_SCHEMAS, SCHEMA_FOLDER.as_uri() + "/")
    document = json.loads(text)
    for name in ("start_time", "end_time"):
        document["components"]["parameters"][name]["schema"] = {"type": "string", "pattern": TIME_OF_DAY}
    venue = document["paths"]["/service_at_locations/{id}"]["get"]["responses"]["200"]["content"]
    reference = venue["application/json"]["schema"]["$ref"]
    venue["application/json"]["schema"]["$ref"] = reference.replace("/service.json", "/service_at_location.json")
    return document


project_api = _schema(_project_document())
oruk_profile_api = _schema(_profile_document())
KNOWN_IDS: dict[str, list[str]] = {}


def _collection(path: str) -> str | None:
    parts = path.strip("/").split("/")
    return parts[-2] if len(parts) >= 2 and parts[-1] == "{id}" else None


for _schema_under_test in (project_api, oruk_profile_api):

    @_schema_under_test.hook
    def flatmap_path_parameters(context, path_parameters):  # type: ignore[no-untyped-def]
        """Half the time, an id the directory has (the other half, what the document allows)."""
        ids = KNOWN_IDS.get(_collection(context.operation.path) or "")
        if not ids or "id" not in path_parameters:
            return st.just(path_parameters)
        known = st.sampled_from(ids).map(lambda id_: {**path_parameters, "id": id_})
        return st.one_of(st.just(path_parameters), known)


@pytest.fixture(autouse=True)
def listed_directory(db):  # type: ignore[no-untyped-def]
    """A directory with a service in every state, and the ids the open API lists."""
    from providers.models import Taxonomy, TaxonomyTerm
    from search.oruk import selectors

    directory()
    KNOWN_IDS.clear()
    KNOWN_IDS.update(
        services=[str(i) for i in selectors.services().values_list("public_id", flat=True)],
        service_at_locations=[str(i) for i in selectors.service_at_locations().values_list("public_id", flat=True)],
        taxonomies=[str(i) for i in Taxonomy.objects.values_list("public_id", flat=True)],
        taxonomy_terms=[str(i) for i in TaxonomyTerm.objects.values_list("public_id", flat=True)],
    )
    assert all(KNOWN_IDS.values()), KNOWN_IDS
    yield
    KNOWN_IDS.clear()


def _sent_empty(value) -> bool:  # type: ignore[no-untyped-def]
    """Whether the value the server reads (the last, when a parameter is repeated) is empty."""
    if isinstance(value, list):
        return not value or _sent_empty(value[-1])
    return value in ("", None, {})


def _rules_the_document_cannot_state(case) -> list:  # type: ignore[no-untyped-def]
    """Checks that do not apply to this request, because of a rule OpenAPI has no words for.

    - An empty parameter is a parameter not given (as from an HTML form), whatever its type: ``per_page=``
      is the default page size, not a wrong type.
    - ``proximity`` without a ``postcode`` is a 400: a rule between two parameters
      (search.oruk.filters.ServiceAtLocationForm).
    - ``postcode`` must be a postcode the gazetteer knows, else a 400 that says so: no pattern can say that.
    """
    query = case.query or {}
    excluded = []
    if any(_sent_empty(value) for value in query.values()):
        excluded.append(negative_data_rejection)
    if not _sent_empty(query.get("postcode")) or not _sent_empty(query.get("proximity")):
        excluded.append(positive_data_acceptance)
    return excluded


@project_api.parametrize()
def test_project_api(case):  # type: ignore[no-untyped-def]
    case.call_and_validate(excluded_checks=_rules_the_document_cannot_state(case))


@oruk_profile_api.parametrize()
def test_open_referral_uk_profile(case):  # type: ignore[no-untyped-def]
    # The profile's document declares only the 200s and no bounds (to it a page of 0 is valid): the
    # errors this server gives and the bounds it keeps are in the project's document, checked above.
    excluded = [status_code_conformance, positive_data_acceptance, *_rules_the_document_cannot_state(case)]
    case.call_and_validate(excluded_checks=excluded)


def test_the_served_documents_are_the_ones_fuzzed(client):  # type: ignore[no-untyped-def]
    served = client.get("/api/schema/", {"format": "json"})
    assert served.status_code == 200
    assert served.json()["paths"] == _project_document()["paths"]
    assert client.get("/api/oruk/openapi.json").json() == openapi_document(settings.SITE_URL)


def test_every_operation_is_open():  # type: ignore[no-untyped-def]
    """No operation needs a sign-in, so the fuzzing needs no users; an operation that did would need them."""
    document = _project_document()
    assert not document.get("components", {}).get("securitySchemes")
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            assert operation.get("security") in (None, [{}]), f"{method.upper()} {path} needs a signed-in user"
