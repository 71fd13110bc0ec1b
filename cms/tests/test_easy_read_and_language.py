"""Easy-read versions link both ways, and a page in another language says so for screen readers."""

import pytest
from django.core.exceptions import ValidationError

from cms.models import GuidePage
from cms.tests.pages import guide, home, publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def guides():  # type: ignore[no-untyped-def]
    easy_read = publish(
        home(), guide("Personal budgets: easy read", slug="personal-budgets-easy-read", is_easy_read=True)
    )
    standard = publish(home(), guide("Personal budgets", slug="personal-budgets", easy_read_version=easy_read))
    return standard, easy_read


def test_a_guide_links_to_its_easy_read_version(client, guides):
    standard, easy_read = guides

    html = client.get(standard.url).content.decode()

    assert f'href="{easy_read.url}"' in html and "Read the easy-read version of this guide" in html


def test_an_easy_read_guide_links_back_to_the_full_guide(client, guides):
    standard, easy_read = guides

    html = client.get(easy_read.url).content.decode()

    assert GuidePage.objects.get(pk=easy_read.pk).standard_version == standard
    assert f'href="{standard.url}"' in html and "Read the full version of this guide" in html
    assert "Easy read" in html


def test_an_unpublished_easy_read_version_is_not_linked(client, guides):
    standard, easy_read = guides
    easy_read.unpublish()

    html = client.get(standard.url).content.decode()

    assert "easy-read version" not in html


def test_the_easy_read_version_must_be_marked_easy_read(guides):
    standard, _ = guides
    other = publish(home(), guide("Direct payments"))
    standard.easy_read_version = other

    with pytest.raises(ValidationError) as error:
        standard.full_clean()

    assert "easy_read_version" in error.value.message_dict


def test_an_easy_read_guide_cannot_have_an_easy_read_version(guides):
    _, easy_read = guides
    easy_read.easy_read_version = publish(home(), guide("Another easy read", is_easy_read=True))

    with pytest.raises(ValidationError):
        easy_read.full_clean()


def test_pages_are_english_unless_the_editor_says_otherwise(client):
    html = client.get("/").content.decode()

    assert '<html lang="en-GB"' in html
    assert '<header class="govuk-generic-header" data-module="govuk-header">' in html  # no lang of its own


def test_a_translated_guide_sets_the_page_language_and_keeps_the_header_and_footer_english(client):
    welsh = publish(home(), guide("Taliadau uniongyrchol", slug="taliadau-uniongyrchol", language="cy"))

    html = client.get(welsh.url).content.decode()

    assert '<html lang="cy"' in html
    assert 'data-module="govuk-header" lang="en-GB" dir="ltr"' in html
    assert '<footer class="govuk-footer" lang="en-GB" dir="ltr"' in html


def test_a_guide_in_a_right_to_left_language_is_marked_right_to_left(client):
    urdu = publish(home(), guide("براہ راست ادائیگیاں", slug="direct-payments-urdu", language="ur"))

    html = client.get(urdu.url).content.decode()

    assert '<html lang="ur"' in html
    assert 'id="main-content" role="main" dir="rtl"' in html
