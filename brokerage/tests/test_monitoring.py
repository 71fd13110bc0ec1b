"""Light-touch monitoring: flags raised from what the family records and by the daily command, once each;
the lead professional is told; the council resolves them with a note; 404 for another council, 403 for other roles."""

import datetime
from decimal import Decimal as D
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts.models import AuditEvent, Notification
from accounts.roles import Role
from accounts.tests.factories import user_with_role
from brokerage import ledger
from brokerage.models import MonitoringFlag
from brokerage.services.direct_payments import dp_instalment_pay, dp_spend_record
from brokerage.services.monitoring import monitoring_check_quiet
from brokerage.services.plans import allocation_add, budget_create, plan_create, plan_line_add
from brokerage.tests.factories import FundingStreamFactory
from brokerage.tests.test_views_people import case  # noqa: F401  (the fixture)
from providers.models import TaxonomyTerm

pytestmark = pytest.mark.django_db


@pytest.fixture
def dp(case):  # noqa: F811
    """£520 a year as a direct payment for bus fares: £10.00 a week in the plan; the first quarter paid."""
    stream = FundingStreamFactory(council=case.council)
    ledger.stream_fund(stream=stream, amount=D("50000.00"), key="fund")
    case.person.lead_professional = case.alice
    case.person.save(update_fields=["lead_professional"])
    budget = budget_create(
        person=case.person,
        actor=case.alice,
        financial_year=2026,
        starts_on=datetime.date(2026, 4, 1),
        ends_on=datetime.date(2027, 3, 31),
    )
    plan = plan_create(budget=budget, actor=case.alice)
    case.transport = TaxonomyTerm.objects.get(code="transport")
    plan_line_add(
        plan=plan,
        actor=case.alice,
        category=case.transport,
        description="Bus fares",
        stream=stream,
        quantity=D("2"),
        unit="trip",
        unit_cost=D("5.00"),
        frequency="weekly",
        periods=52,
        by_direct_payment=True,
    )
    case.allocation = allocation_add(
        budget=budget, actor=case.alice, stream=stream, held_as="direct_payment", amount=D("520.00")
    )
    case.finance = user_with_role(Role.FINANCE_OFFICER, case.council)
    dp_instalment_pay(instalment=case.allocation.dp_schedule.instalments.first(), actor=case.finance)
    case.budget = budget
    return case


def _spend(dp, amount: str, category, description: str = "Bus fares"):  # type: ignore[no-untyped-def]
    return dp_spend_record(
        allocation=dp.allocation,
        actor=dp.mother,
        amount=D(amount),
        spent_on=datetime.date(2026, 4, 20),
        description=description,
        category=category,
    )


def test_spending_within_the_plan_raises_no_flag(dp):
    _spend(dp, "10.00", dp.transport)
    assert not MonitoringFlag.objects.filter(kind__in=["outside_plan", "unusual_amount"]).exists()


def test_spending_on_something_not_in_the_plan_is_flagged_and_the_lead_professional_told(dp):
    _spend(dp, "12.00", None, "Cinema tickets")
    flag = MonitoringFlag.objects.get(kind=MonitoringFlag.Kind.OUTSIDE_PLAN)
    assert "Cinema tickets" in flag.detail
    assert Notification.objects.filter(recipient=dp.alice, subject__contains="flagged").exists()


def test_an_amount_above_three_weeks_of_the_plan_is_unusual(dp):
    _spend(dp, "30.00", dp.transport)
    assert not MonitoringFlag.objects.filter(kind=MonitoringFlag.Kind.UNUSUAL_AMOUNT).exists()
    _spend(dp, "30.01", dp.transport)
    assert MonitoringFlag.objects.filter(kind=MonitoringFlag.Kind.UNUSUAL_AMOUNT).count() == 1


def test_a_surplus_above_the_streams_weeks_of_spend_is_flagged_once(dp):
    # £130 paid in; ten weeks of £10.00 is £100.00.
    assert MonitoringFlag.objects.filter(kind=MonitoringFlag.Kind.SURPLUS).count() == 0
    call_command("monitoring_flags", "--quiet", stdout=StringIO())
    call_command("monitoring_flags", "--quiet", stdout=StringIO())
    assert MonitoringFlag.objects.filter(kind=MonitoringFlag.Kind.SURPLUS).count() == 1


def test_no_spending_for_the_policys_weeks_is_flagged_once_per_quiet_spell(dp):
    paid_on = dp.allocation.dp_schedule.instalments.first().transaction.occurred_on
    assert monitoring_check_quiet(allocation=dp.allocation, today=paid_on + datetime.timedelta(weeks=7)) is None
    flag = monitoring_check_quiet(allocation=dp.allocation, today=paid_on + datetime.timedelta(weeks=8))
    assert flag is not None and flag.kind == MonitoringFlag.Kind.NO_SPENDING
    assert monitoring_check_quiet(allocation=dp.allocation, today=paid_on + datetime.timedelta(weeks=9)) is None


def test_the_council_resolves_a_flag_with_a_note(client, dp):
    _spend(dp, "12.00", None, "Cinema tickets")
    flag = MonitoringFlag.objects.get(kind=MonitoringFlag.Kind.OUTSIDE_PLAN)
    client.force_login(dp.finance)
    url = reverse("brokerage:monitoring-flag", args=[flag.public_id])
    response = client.post(url, {"note": ""})
    assert "<title>Error: " in response.content.decode()
    response = client.post(url, {"note": "Agreed with the lead professional: a trip out with his group"})
    assert response.status_code == 302
    flag.refresh_from_db()
    assert flag.status == MonitoringFlag.Status.RESOLVED
    assert AuditEvent.objects.filter(action="direct_payment.flag_resolved").exists()
    queue = client.get(reverse("brokerage:monitoring")).content.decode()
    assert "Cinema tickets" not in queue
    export = client.get(reverse("brokerage:monitoring-export") + "?status=resolved")
    assert "Cinema tickets" in export.content.decode()


def test_monitoring_pages_answer_404_for_another_council_and_403_to_other_roles(dp, access):
    _spend(dp, "12.00", None, "Cinema tickets")
    flag = MonitoringFlag.objects.get(kind=MonitoringFlag.Kind.OUTSIDE_PLAN)
    detail = reverse("brokerage:monitoring-flag", args=[flag.public_id])
    manager = user_with_role(Role.BUDGET_HOLDING_MANAGER, dp.council)
    for url in [reverse("brokerage:monitoring"), reverse("brokerage:monitoring-export"), detail]:
        access.ok(dp.finance, url)
        access.ok(manager, url)
        access.forbidden(dp.alice, url)
        access.forbidden(dp.mother, url)
        access.forbidden(dp.commissioner, url)
        access.sign_in_required(url)
    access.not_found(user_with_role(Role.FINANCE_OFFICER), detail)
