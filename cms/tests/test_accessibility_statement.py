"""The accessibility statement lists what is known not to meet WCAG 2.2 AA (issue #15's accessibility sweep).

The text is put in by migration 0006, which publishes it as a revision; see docs/testing.md
"Accessibility crawl" for how the problem was found.
"""

import importlib

import pytest
from django.apps import apps

from cms.models import StandardPage

pytestmark = pytest.mark.django_db

migration = importlib.import_module("cms.migrations.0006_accessibility_known_problems")


def _statement() -> StandardPage:
    return StandardPage.objects.get(slug="accessibility-statement")


def test_the_published_statement_lists_the_small_overlapping_map_pins(client):
    html = client.get("/accessibility-statement/").content.decode()

    assert "Parts of this service that are not fully accessible" in html
    assert "smaller than 24 by 24 CSS pixels" in html
    assert "2.5.8 (target size, minimum)" in html
    # The exception the criterion allows, said in plain words: the same offers are results on the page.
    assert "Every offer shown by a pin is also a result on the same page" in html
    # Before the way to report a problem that is not listed.
    assert html.index("not fully accessible") < html.index("Reporting accessibility problems")


def test_the_known_problems_are_a_published_revision():
    page = _statement()

    assert page.live and not page.has_unpublished_changes
    assert page.live_revision is not None and page.live_revision == page.latest_revision
    assert "24 by 24 CSS pixels" in str(page.live_revision.content["body"])
    assert "24 by 24 CSS pixels" in str(page.live_revision.as_object().body.raw_data)


def test_the_migration_reverses_and_runs_again_without_repeating_the_section(client):
    migration.remove_known_problems(apps, None)
    assert "24 by 24" not in client.get("/accessibility-statement/").content.decode()

    migration.add_known_problems(apps, None)
    migration.add_known_problems(apps, None)
    html = client.get("/accessibility-statement/").content.decode()
    assert html.count("24 by 24 CSS pixels") == 1
    assert _statement().revisions.count() == 3
