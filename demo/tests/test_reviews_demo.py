"""The reviews demo builder: Coventry's delivered orders reviewed through the services, one published with
the provider's reply, one published without, one waiting for the council; a second run creates nothing."""

from collections.abc import Iterator

import pytest

from demo import runner
from demo.builders import accounts, commissioning, reviews
from demo.context import DemoContext
from demo.tests.helpers import coventry_demo
from marketplace.models import ProviderReply, Review, ReviewStatus

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def built(django_db_setup, django_db_blocker) -> Iterator[DemoContext]:  # type: ignore[no-untyped-def]
    with coventry_demo(django_db_blocker, commissioning.build, reviews.build) as ctx:
        yield ctx


def test_reviews_are_built_after_the_orders_they_follow():
    order = [builder.build for builder in runner.BUILDERS]

    assert order.index(reviews.build) > order.index(commissioning.build)


def test_delivered_orders_are_reviewed_published_replied_to_and_one_left_to_check(built):
    statuses = sorted(Review.objects.values_list("status", flat=True))

    assert statuses == [ReviewStatus.PUBLISHED, ReviewStatus.PUBLISHED, ReviewStatus.SUBMITTED]
    assert ProviderReply.objects.count() == 1
    for review in Review.objects.filter(status=ReviewStatus.PUBLISHED).select_related("offer"):
        assert review.offer.rating_count >= 1 and review.offer.rating_average is not None


def test_a_second_run_creates_nothing(built):
    ctx = DemoContext()
    accounts.build(ctx)

    reviews.build(ctx)

    assert Review.objects.count() == 3
    assert ctx.tally.counts["Reviews of delivered support"].created == 0
