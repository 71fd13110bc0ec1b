"""The demo's search index builder: indexes the published demo offers, and leaves a matching index alone."""

import pytest

from demo.builders import search
from demo.context import DemoContext
from search.models import OfferDocument
from search.tests.factories import listing

pytestmark = pytest.mark.django_db


def test_the_builder_indexes_every_published_offer_and_counts_them_once():
    offers = [listing(name=f"Club {n}") for n in range(3)]
    first, second = DemoContext(), DemoContext()

    search.build(first)
    search.build(second)

    assert set(OfferDocument.objects.values_list("offer_id", flat=True)) == {offer.pk for offer in offers}
    counted = [(count.created, count.existing) for count in first.tally.counts.values()]
    recounted = [(count.created, count.existing) for count in second.tally.counts.values()]
    assert counted == [(3, 0)]
    assert recounted == [(0, 3)]
