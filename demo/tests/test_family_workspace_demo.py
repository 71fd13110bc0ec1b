"""The family workspace demo builder: Claire has asked Tom's lead professional for help and had an answer, and
has asked the council's brokers, which is still open; a second run creates nothing."""

from collections.abc import Iterator

import pytest

from demo import runner
from demo.builders import accounts, brokerage
from demo.builders import family_workspace as family_workspace_builder
from demo.context import DemoContext
from demo.tests.helpers import coventry_demo
from marketplace.models import HelpRequest

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def built(django_db_setup, django_db_blocker) -> Iterator[DemoContext]:  # type: ignore[no-untyped-def]
    with coventry_demo(django_db_blocker, family_workspace_builder.build) as ctx:
        yield ctx


def test_requests_for_help_are_built_after_the_people_they_are_for():
    order = [builder.build for builder in runner.BUILDERS]

    assert order.index(family_workspace_builder.build) > order.index(brokerage.build)


def test_claire_has_one_answered_request_and_one_open_to_the_council(built):
    requests = HelpRequest.objects.filter(from_user__email=family_workspace_builder.FAMILY_EMAIL)

    assert sorted((request.to_user is None, request.is_open) for request in requests) == [(False, False), (True, True)]


def test_a_second_run_creates_nothing(built):
    ctx = DemoContext()
    accounts.build(ctx)

    family_workspace_builder.build(ctx)

    assert HelpRequest.objects.count() == 2
    assert ctx.tally.counts["Requests for help"].created == 0
