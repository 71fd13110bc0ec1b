"""The site's name, navigation and footer come from the settings editors keep in the CMS."""

import pytest
from wagtail.models import Site

from cms.models import SiteSettings, StandardPage

pytestmark = pytest.mark.django_db


def _settings() -> SiteSettings:
    return SiteSettings.for_site(Site.objects.get(is_default_site=True))


def test_the_header_shows_the_site_name_editors_chose(client):
    settings = _settings()
    settings.site_name = "Coventry Support Finder"
    settings.save()

    html = client.get("/").content.decode()

    assert 'app-header__service-name">Coventry Support Finder</a>' in html


def test_the_navigation_shows_the_editors_links_and_marks_the_current_one(client):
    html = client.get("/for-families/").content.decode()

    assert 'href="/news/"' in html and 'href="/events/"' in html
    assert 'href="/for-families/" aria-current="page"' in html


def test_the_footer_links_to_the_accessibility_statement_privacy_notice_and_cookies(client):
    html = client.get("/news/").content.decode()
    footer = html[html.index('<footer class="govuk-footer"') :]

    for path in ("/accessibility-statement/", "/privacy-notice/", "/cookies/"):
        assert f'href="{path}"' in footer


def test_the_footer_follows_a_page_when_an_editor_moves_it(client):
    cookies = StandardPage.objects.get(slug="cookies")
    cookies.slug = "cookies-on-this-site"
    cookies.save_revision().publish()

    html = client.get("/").content.decode()

    assert 'href="/cookies-on-this-site/"' in html


def test_the_footer_keeps_the_statutory_links_when_no_footer_links_are_set(client):
    settings = _settings()
    settings.footer_links = []
    settings.save()

    html = client.get("/").content.decode()

    assert 'href="/accessibility-statement/"' in html and 'href="/cookies/"' in html
