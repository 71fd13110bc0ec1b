"""The PA recruitment demo: the employer's guide pages the checklist links to are published, and Claire's advert
for Tom was sent to Chloe, who replied; a second run creates nothing."""

import pytest
from wagtail.models import Page

from demo.builders import cms
from demo.builders import pa_adverts as pa_adverts_builder
from demo.tests.helpers import coventry_demo
from marketplace.models import AdvertStatus, PAAdvert
from marketplace.pa_advert_selectors import guidance_links

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    with coventry_demo(django_db_blocker, cms.build, pa_adverts_builder.build) as ctx:
        yield ctx


def test_every_checklist_guide_link_is_a_published_page(demo):
    live_paths = {page.url for page in Page.objects.live().specific()}

    assert set(guidance_links().values()) <= live_paths


def test_claires_advert_was_sent_to_chloe_who_replied(demo):
    advert = PAAdvert.objects.get(created_by__email="family@coventry.demo")

    assert advert.status == AdvertStatus.OPEN
    assert list(advert.recipients.values_list("pa__user__email", flat=True)) == ["pa@coventry.demo"]
    assert list(advert.replies.values_list("pa__user__email", flat=True)) == ["pa@coventry.demo"]


def test_a_second_run_creates_nothing(demo):
    adverts, pages = PAAdvert.objects.count(), Page.objects.count()

    pa_adverts_builder.build(demo)

    assert (PAAdvert.objects.count(), Page.objects.count()) == (adverts, pages)
