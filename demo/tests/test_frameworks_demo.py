"""The frameworks demo builder: what it makes, and that running it again changes nothing."""

import datetime

import pytest

from demo.builders import accounts, frameworks
from demo.context import DemoContext
from providers.frameworks import framework_badges
from providers.models import (
    Concern,
    ConcernStatus,
    FrameworkContract,
    FrameworkLot,
    FrameworkMembership,
    FrameworkMembershipChange,
    MembershipStatus,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def built() -> DemoContext:
    ctx = DemoContext()
    accounts.build(ctx)
    frameworks.build(ctx)
    return ctx


def counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (FrameworkContract, FrameworkLot, FrameworkMembership, FrameworkMembershipChange, Concern)
    }


def test_coventry_has_its_short_breaks_framework_with_three_lots(built):
    framework = FrameworkContract.objects.get(council__slug="coventry")

    assert framework.name == "Short Breaks Framework"
    assert list(framework.lots.values_list("number", "name")) == [
        (1, "Short breaks at home"),
        (2, "Community short breaks"),
        (3, "PA agencies"),
    ]
    assert all(lot.categories.exists() for lot in framework.lots.all())


def test_memberships_are_in_every_state_with_their_history(built):
    statuses = set(FrameworkMembership.objects.values_list("status", flat=True))
    assert statuses == set(MembershipStatus.values)

    ended = FrameworkMembership.objects.get(status=MembershipStatus.ENDED)
    assert ended.ended_on == datetime.date(2026, 9, 30)
    assert list(ended.changes.order_by("created_at").values_list("old_status", "new_status")) == [
        ("", "admitted"),
        ("admitted", "ended"),
    ]


def test_a_provider_shows_both_councils_framework_flags(built):
    spires = built.organisations["spires-short-breaks"]

    badges = framework_badges(spires, datetime.date(2026, 11, 1))

    assert badges == [
        "On Coventry Short Breaks Framework 2026–2030, Lot 1",
        "On Coventry Short Breaks Framework 2026–2030, Lot 2",
        "On Gloucestershire Short Breaks and Personal Assistance Framework 2025–2029, Lot 1",
    ]


def test_the_demo_concern_is_received_about_a_coventry_provider_with_a_shared_note(built):
    concern = Concern.objects.get()

    assert concern.status == ConcernStatus.RECEIVED
    assert concern.council.slug == "coventry"
    assert concern.reporter.email == "family@coventry.demo"
    assert concern.notes.get().shared_with_reporter


def test_running_the_builder_again_creates_nothing(built):
    before = counts()

    again = DemoContext()
    accounts.build(again)
    frameworks.build(again)

    assert counts() == before
    assert again.tally.counts["Framework memberships"].created == 0
    assert again.tally.counts["Concerns"].existing == 1
