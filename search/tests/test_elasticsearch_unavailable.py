"""When the Elasticsearch cluster cannot be reached: the find-support page says search is unavailable
(503, in plain English, not a server error), the open API's searches answer 503 and /healthz says so.

The cluster here is a real client pointed at a port nothing listens on, so the connection is refused
as it would be by a cluster that is down.
"""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from search.tests.factories import listing

pytestmark = pytest.mark.django_db

NOWHERE = "http://127.0.0.1:9"  # the discard port: nothing listens there


@pytest.fixture(autouse=True)
def cluster_down(settings) -> None:  # type: ignore[no-untyped-def]
    settings.SEARCH_BACKEND = "elasticsearch"
    settings.ELASTICSEARCH_URL = NOWHERE


def test_the_find_support_page_says_search_is_unavailable_with_a_503(client):
    response = client.get("/search/", {"text": "swimming"})

    assert response.status_code == 503
    page = response.content.decode()
    assert "Search is not working at the moment" in page
    assert "Try again in a few minutes" in page


def test_the_bare_find_support_page_says_so_too(client):
    response = client.get("/search/")

    assert response.status_code == 503
    assert "Search is not working at the moment" in response.content.decode()


def test_the_open_apis_word_search_answers_503_with_a_message_and_cors(client):
    listing(name="Swimming lessons")

    response = client.get("/api/oruk/services", {"search": "swimming"})

    assert response.status_code == 503
    assert response.json() == {"detail": "Search is not working at the moment. Try again in a few minutes."}
    assert response["Access-Control-Allow-Origin"] == "*"


def test_the_open_apis_lists_without_words_do_not_need_the_cluster(client):
    listing(name="Swimming lessons")

    response = client.get("/api/oruk/services")

    assert response.status_code == 200
    assert response.json()["total_items"] == 1


def test_healthz_answers_503_naming_search(client):
    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "ok", "search": "unavailable"}


def test_search_index_says_the_cluster_cannot_be_reached_instead_of_a_traceback():
    with pytest.raises(CommandError, match="the search cluster cannot be reached"):
        call_command("search_index", "--rebuild", "--no-progress", stdout=StringIO(), stderr=StringIO())
