"""The package builder demo: Marcus built Grace's weekly package (two providers and Chloe, each at weekly
times) with Claire's consent and sent it to her, so Claire sees a plan to agree; a second run creates nothing."""

import pytest
from django.urls import reverse

from accounts.models import Notification
from brokerage.models import AccessGrant, PersonSupported, PlanLineSlot, PlanStatus, SupportPlan
from demo import runner
from demo.builders import brokerage, order_requests
from demo.builders import packages as packages_builder
from demo.tests.helpers import coventry_demo
from marketplace.family_selectors import journey_for

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    with coventry_demo(django_db_blocker, packages_builder.build) as ctx:
        yield ctx


def _plan() -> SupportPlan:
    return SupportPlan.objects.get(person__first_name=packages_builder.FIRST_NAME)


def test_the_package_is_built_after_the_families_and_the_directory():
    order = [builder.build for builder in runner.BUILDERS]

    assert order.index(packages_builder.build) > max(order.index(brokerage.build), order.index(order_requests.build))


def test_marcus_built_a_weekly_package_from_two_providers_and_chloe(demo):
    plan = _plan()
    lines = list(plan.lines.select_related("offer__personal_assistant__user"))

    assert len({line.offer.organisation_id for line in lines if line.offer.organisation_id}) == 2
    assert [line.offer.personal_assistant.user.email for line in lines if line.offer.personal_assistant_id] == [
        packages_builder.PA_EMAIL
    ]
    assert PlanLineSlot.objects.filter(line__plan=plan).count() == 3
    assert AccessGrant.objects.get(person=plan.person, grantee__email=packages_builder.BROKER_EMAIL).scope == "act"


def test_claire_is_asked_to_agree_the_plan(demo):
    plan = _plan()

    assert plan.status == PlanStatus.DRAFT and plan.sent_to_family_at is not None
    assert plan.sent_to_family_by.email == packages_builder.BROKER_EMAIL
    assert journey_for(plan.person).current_step.number == 4
    notice = Notification.objects.get(
        recipient__email=packages_builder.FAMILY_EMAIL, subject__contains=packages_builder.FIRST_NAME
    )
    assert notice.link == reverse("brokerage:plan-agree", args=[plan.public_id])


def test_a_second_run_creates_nothing(demo):
    people, slots = PersonSupported.objects.count(), PlanLineSlot.objects.count()

    packages_builder.build(demo)

    assert (PersonSupported.objects.count(), PlanLineSlot.objects.count()) == (people, slots)
