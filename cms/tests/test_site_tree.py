import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/for-families/",
        "/for-providers/",
        "/for-professionals/",
        "/accessibility-statement/",
        "/privacy-notice/",
        "/cookies/",
    ],
)
def test_every_page_the_site_links_to_exists_after_migrating(client, path):
    response = client.get(path)

    assert response.status_code == 200


def test_home_page_offers_a_search_box_and_a_way_in_for_each_group(client):
    html = client.get("/").content.decode()

    assert 'role="search"' in html
    for heading in [
        "Families and young people",
        "Providers and personal assistants",
        "Professionals and council staff",
    ]:
        assert heading in html


def test_cookies_page_lists_every_cookie_the_service_sets(client, settings):
    html = client.get("/cookies/").content.decode()

    assert settings.SESSION_COOKIE_NAME in html
    assert settings.CSRF_COOKIE_NAME in html


def test_site_search_finds_published_pages(client):
    response = client.get("/site-search/", {"q": "cookies"})

    assert response.status_code == 200
    assert "Cookies" in response.content.decode()
