"""One rule for changing a plan (``brokerage.selectors.plans.may_change_plans_of``): read-only access means read
only on the plan page and the package builder alike; a grant to act, or being the person's named lead
professional while the family's consent stands, lets a worker change the plan."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from brokerage.models import AccessGrant
from brokerage.selectors.packages import may_change_package
from brokerage.selectors.plans import may_change_plan, may_change_plans_of
from brokerage.services.consent import access_grant
from brokerage.tests.test_package_builder import _add, built  # noqa: F401  (the fixture)
from brokerage.tests.test_views_people import case  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 23)


def _may(user, role: str, built) -> bool:  # type: ignore[no-untyped-def]  # noqa: F811
    return may_change_plans_of(user=user, role=role, person=built.plan.person, day=TODAY)


def test_a_grant_to_act_lets_a_broker_change_the_plan_and_a_read_only_grant_does_not(built):  # noqa: F811
    assert _may(built.bea, Role.BROKER, built)
    assert not _may(built.rob, Role.BROKER, built)
    assert not _may(built.ned, Role.BROKER, built)


def test_the_named_lead_professional_changes_the_plan_while_any_grant_from_the_family_stands(built):  # noqa: F811
    lead = built.case.alice
    AccessGrant.objects.filter(grantee=lead).update(scope=AccessGrant.Scope.READ)
    assert _may(lead, Role.LEAD_PROFESSIONAL, built)
    AccessGrant.objects.filter(grantee=lead).update(revoked_at=timezone.now())
    assert not _may(lead, Role.LEAD_PROFESSIONAL, built)


def test_an_expired_or_revoked_grant_to_act_no_longer_lets_anyone_change_the_plan(built):  # noqa: F811
    grant = AccessGrant.objects.get(grantee=built.bea)
    AccessGrant.objects.filter(pk=grant.pk).update(until=TODAY - datetime.timedelta(days=1))
    assert not _may(built.bea, Role.BROKER, built)
    AccessGrant.objects.filter(pk=grant.pk).update(until=TODAY, revoked_at=timezone.now())
    assert not _may(built.bea, Role.BROKER, built)


def test_the_family_and_other_roles_never_change_a_plan_through_this_rule(built):  # noqa: F811
    assert not _may(built.case.mother, Role.FAMILY_MEMBER, built)
    assert not _may(built.bea, Role.FAMILY_MEMBER, built)


def test_the_package_builder_and_the_plan_page_share_the_rule_and_only_a_draft_changes(built):  # noqa: F811
    plan = built.plan
    for user in (built.bea, built.rob):
        assert may_change_package(user=user, role=Role.BROKER, plan=plan, day=TODAY) == may_change_plan(
            user=user, role=Role.BROKER, plan=plan, day=TODAY
        )
    plan.status = "agreed"
    assert not may_change_plan(user=built.bea, role=Role.BROKER, plan=plan, day=TODAY)


def _line(built):  # type: ignore[no-untyped-def]  # noqa: F811
    line, _ = _add(built, built.club, "1", 10, [])
    return line


def test_a_read_only_grant_sees_the_plan_without_change_buttons_and_every_change_answers_403(
    client,
    built,  # noqa: F811
    access,
):
    line = _line(built)
    plan_url = reverse("brokerage:plan", args=[built.plan.public_id])
    client.force_login(built.rob)
    page = client.get(plan_url).content.decode()
    assert "Add a costed line" not in page and "Add an outcome" not in page and ">Remove<" not in page
    assert "See the package&#x27;s weekly timetable" in page or "See the package's weekly timetable" in page
    for name in ("brokerage:plan-outcome-add", "brokerage:plan-line-add", "brokerage:plan-submit"):
        access.forbidden(built.rob, reverse(name, args=[built.plan.public_id]))
    access.forbidden(built.rob, reverse("brokerage:plan-line-add", args=[built.plan.public_id]), method="post")
    access.forbidden(
        built.rob, reverse("brokerage:plan-line-remove", args=[built.plan.public_id, line.public_id]), method="post"
    )
    access.forbidden(built.rob, reverse("brokerage:plan-status", args=[built.plan.public_id]), method="post")
    access.forbidden(built.rob, reverse("brokerage:plan-add", args=[built.plan.budget.public_id]))
    assert built.plan.lines.filter(pk=line.pk).exists()


def test_a_grant_to_act_changes_the_plan_through_the_same_pages(client, built):  # noqa: F811
    line = _line(built)
    client.force_login(built.bea)
    page = client.get(reverse("brokerage:plan", args=[built.plan.public_id])).content.decode()
    assert "Add a costed line" in page and "Add an outcome" in page
    assert client.get(reverse("brokerage:plan-line-add", args=[built.plan.public_id])).status_code == 200
    response = client.post(reverse("brokerage:plan-line-remove", args=[built.plan.public_id, line.public_id]))
    assert response.status_code == 302 and not built.plan.lines.filter(pk=line.pk).exists()


def test_a_revoked_or_expired_grant_and_another_broker_get_404_on_the_plan_and_its_changes(built, access):  # noqa: F811
    change_url = reverse("brokerage:plan-line-add", args=[built.plan.public_id])
    plan_url = reverse("brokerage:plan", args=[built.plan.public_id])
    access.not_found(built.ned, plan_url)
    access.not_found(built.ned, change_url)
    grant = AccessGrant.objects.get(grantee=built.bea)
    AccessGrant.objects.filter(pk=grant.pk).update(until=timezone.localdate() - datetime.timedelta(days=1))
    access.not_found(built.bea, change_url)
    AccessGrant.objects.filter(pk=grant.pk).update(until=None, revoked_at=timezone.now())
    access.not_found(built.bea, plan_url)
    access.not_found(built.bea, change_url)


def test_a_worker_given_read_only_access_by_the_family_later_may_not_change_the_plan(built):  # noqa: F811
    reader = built.ned
    access_grant(
        person=built.plan.person,
        grantee=reader,
        consent_from=built.case.mother,
        recorded_by=built.case.mother,
        scope="read",
    )
    assert not _may(reader, Role.BROKER, built)
