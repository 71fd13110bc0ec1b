"""The complaints demo builder: Coventry's orders complained about through the services, one resolved by the
provider's response, one partly upheld by the council, one waiting for the provider; a second run creates
nothing."""

from collections.abc import Iterator

import pytest

from demo import runner
from demo.builders import accounts, commissioning
from demo.builders import complaints as complaints_builder
from demo.context import DemoContext
from demo.tests.helpers import coventry_demo
from marketplace.models import Complaint, ComplaintOutcome, ComplaintStatus

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def built(django_db_setup, django_db_blocker) -> Iterator[DemoContext]:  # type: ignore[no-untyped-def]
    with coventry_demo(django_db_blocker, commissioning.build, complaints_builder.build) as ctx:
        yield ctx


def test_complaints_are_built_after_the_orders_they_are_about():
    order = [builder.build for builder in runner.BUILDERS]

    assert order.index(complaints_builder.build) > order.index(commissioning.build)


def test_one_complaint_is_resolved_one_decided_and_one_waiting(built):
    statuses = sorted(Complaint.objects.values_list("status", "outcome"))

    assert statuses == [
        (ComplaintStatus.CLOSED, ComplaintOutcome.PARTLY_UPHELD),
        (ComplaintStatus.OPEN, ""),
        (ComplaintStatus.RESOLVED, ""),
    ]


def test_a_second_run_creates_nothing(built):
    ctx = DemoContext()
    accounts.build(ctx)

    complaints_builder.build(ctx)

    assert Complaint.objects.count() == 3
    assert ctx.tally.counts["Complaints about support"].created == 0
