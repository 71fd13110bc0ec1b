"""The individual service fund pages: the provider sends a monthly statement, the council reconciles it (the
list and its CSV show the flagged lines) and accepts or queries it, the family reads it in plain English on
their budget statement; another provider's or council's fund answers 404, other roles 403."""

import datetime
from decimal import Decimal as D

import pytest
from django.urls import reverse

from accounts.models import Notification
from accounts.roles import Role
from accounts.tests.factories import user_with_role
from brokerage.models import StatementStatus
from brokerage.services.service_funds import LineInput, isf_instalment_pay, isf_statement_submit
from brokerage.tests.service_fund_factories import isf_fund

pytestmark = pytest.mark.django_db
MAY = datetime.date(2026, 5, 1)


@pytest.fixture
def fund(time_machine):  # type: ignore[no-untyped-def]
    """Tom's fund, in June 2026: April's and May's statements can be sent."""
    time_machine.move_to(datetime.datetime(2026, 6, 15, 10, 0, tzinfo=datetime.UTC), tick=False)
    return isf_fund()


def _statement(fund, hours: str = "15"):  # type: ignore[no-untyped-def]
    lines = [LineInput(fund.line, fund.line.description, D(hours), D("20.00"))]
    return isf_statement_submit(allocation=fund.allocation, actor=fund.pat, month=MAY, lines=lines)


def test_the_provider_sends_a_statement_of_hours_and_other_spending(client, fund):
    client.force_login(fund.pat)
    url = reverse("marketplace:isf-statement-add", args=[fund.allocation.public_id])
    assert "Send a monthly statement" in client.get(url).content.decode()

    response = client.post(
        url,
        {
            "month": "2026-05-01",
            f"quantity_{fund.line.pk}": "13",
            f"rate_{fund.line.pk}": "20.00",
            "other_description_0": "Swimming entry",
            "other_amount_0": "4.50",
        },
    )

    statement = fund.allocation.isf_statements.get()
    assert response.status_code == 302
    assert [(line.description, line.total) for line in statement.lines.all()] == [
        ("Support worker after school", D("260.00")),
        ("Swimming entry", D("4.50")),
    ]


def test_a_statement_with_other_spending_but_no_description_is_shown_again_with_an_error_summary(client, fund):
    client.force_login(fund.pat)
    url = reverse("marketplace:isf-statement-add", args=[fund.allocation.public_id])

    response = client.post(url, {"month": "2026-05-01", f"rate_{fund.line.pk}": "20.00", "other_amount_0": "4.50"})

    page = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: " in page
    assert "Say what the money was spent on" in page
    assert not fund.allocation.isf_statements.exists()


def test_the_council_sees_flagged_lines_and_accepts_the_statement(client, fund):
    isf_instalment_pay(instalment=fund.allocation.isf_schedule.instalments.first(), actor=None, key="paid-1")
    isf_instalment_pay(instalment=fund.allocation.isf_schedule.instalments.all()[1], actor=None, key="paid-2")
    statement = _statement(fund, hours="15")
    client.force_login(fund.fiona)

    listing = client.get(reverse("marketplace:isf-reconciliation") + "?flagged=yes").content.decode()
    export = client.get(reverse("marketplace:isf-reconciliation-export")).content.decode()
    page = client.get(reverse("marketplace:isf-statement", args=[statement.public_id])).content.decode()
    client.post(reverse("marketplace:isf-accept", args=[statement.public_id]))

    assert "1 line" in listing
    assert "Support worker after school,yes,13.00,260.00,15.00,300.00,40.00,13.00,yes" in export
    assert "Beyond the £13.00 tolerance" in page
    statement.refresh_from_db()
    assert statement.status == StatementStatus.ACCEPTED


def test_a_query_without_a_reason_is_shown_again_with_an_error_summary(client, fund):
    statement = _statement(fund)
    client.force_login(fund.fiona)

    response = client.post(reverse("marketplace:isf-query", args=[statement.public_id]), {"reason": ""})

    assert "<title>Error: " in response.content.decode()
    statement.refresh_from_db()
    assert statement.status == StatementStatus.SUBMITTED


def test_the_family_reads_the_statement_in_plain_english_on_their_budget_statement(client, fund):
    _statement(fund, hours="15")
    client.force_login(fund.alice)

    page = client.get(reverse("brokerage:budget-statement", args=[fund.allocation.budget.public_id])).content.decode()

    assert "Money held for Tom by Sunrise Care" in page
    assert "15 hours delivered, costing £300.00. The plan expected about 13 hours, costing £260.00." in page
    assert "The council is checking this statement." in page


def test_service_fund_pages_answer_404_to_other_providers_and_councils_and_403_to_other_roles(fund, access):
    statement = _statement(fund)
    other = isf_fund(provider_name="Hilltop Care")
    fund_url = reverse("marketplace:isf-fund", args=[fund.allocation.public_id])
    statement_url = reverse("marketplace:isf-statement", args=[statement.public_id])

    for url in (fund_url, statement_url, reverse("marketplace:isf-statement-add", args=[fund.allocation.public_id])):
        access.not_found(other.pat, url)
    for url in (fund_url, statement_url):
        access.not_found(other.fiona, url)
        access.ok(fund.pat, url)
        access.ok(fund.fiona, url)
    access.not_found(other.fiona, reverse("marketplace:isf-accept", args=[statement.public_id]), method="post")
    access.forbidden(fund.alice, fund_url)
    access.forbidden(fund.alice, reverse("marketplace:isf-funds"))
    access.forbidden(fund.pat, reverse("marketplace:isf-reconciliation"))
    access.forbidden(fund.pat, reverse("marketplace:isf-reconciliation-export"))
    access.forbidden(fund.pat, reverse("marketplace:isf-accept", args=[statement.public_id]), method="post")
    access.forbidden(user_with_role(Role.COMMISSIONER, fund.council), statement_url)
    access.sign_in_required(statement_url)


def test_a_finance_officer_sets_the_councils_tolerance_and_the_reconciliation_uses_it(client, fund):
    statement = _statement(fund, hours="15")  # £40.00 over the plan
    client.force_login(fund.fiona)

    response = client.post(
        reverse("marketplace:isf-policy"),
        {
            "surplus_action": "carry_forward",
            "carry_forward_weeks": "8",
            "tolerance_percent": "0",
            "tolerance_amount": "50.00",
        },
    )

    assert response.status_code == 302
    page = client.get(reverse("marketplace:isf-statement", args=[statement.public_id])).content.decode()
    assert "Beyond the" not in page
    assert "the larger of 0% of the planned amount and £50.00" in page


def test_a_policy_with_a_negative_tolerance_is_shown_again_with_an_error_summary(client, fund, access):
    client.force_login(fund.fiona)

    response = client.post(
        reverse("marketplace:isf-policy"),
        {"surplus_action": "return", "carry_forward_weeks": "10", "tolerance_percent": "-1", "tolerance_amount": "10"},
    )

    assert "<title>Error: " in response.content.decode()
    access.forbidden(fund.pat, reverse("marketplace:isf-policy"))


def test_after_the_period_a_finance_officer_closes_the_fund_once_and_the_provider_is_told(client, fund, time_machine):
    isf_instalment_pay(instalment=fund.allocation.isf_schedule.instalments.first(), actor=None, key="paid-1")
    time_machine.move_to(datetime.datetime(2027, 4, 2, 10, 0, tzinfo=datetime.UTC), tick=False)
    client.force_login(fund.fiona)
    close = reverse("marketplace:isf-close", args=[fund.allocation.public_id])

    assert (
        "Close the period"
        in client.get(reverse("marketplace:isf-fund", args=[fund.allocation.public_id])).content.decode()
    )
    client.post(close)
    client.post(close)

    period_end = fund.allocation.isf_period_end
    assert (period_end.unspent, period_end.returned) == (D("260.00"), D("260.00"))
    assert Notification.objects.filter(recipient=fund.pat, subject__contains="closed for the year").count() == 1


def test_a_finance_officer_changes_how_often_the_provider_is_paid_until_an_instalment_is_paid(client, fund, access):
    client.force_login(fund.fiona)
    url = reverse("marketplace:isf-frequency", args=[fund.allocation.public_id])

    client.post(url, {"frequency": "quarterly"})

    schedule = fund.allocation.isf_schedule
    schedule.refresh_from_db()
    assert (schedule.frequency, schedule.instalments.count()) == ("quarterly", 4)
    isf_instalment_pay(instalment=schedule.instalments.first(), actor=None, key="paid-1")
    client.post(url, {"frequency": "monthly"})
    schedule.refresh_from_db()
    assert schedule.frequency == "quarterly"
    access.forbidden(fund.pat, url, method="post")
    access.not_found(isf_fund(provider_name="Hilltop Care").fiona, url, method="post")


def test_the_provider_is_told_when_the_council_accepts_a_statement(client, fund):
    isf_instalment_pay(instalment=fund.allocation.isf_schedule.instalments.first(), actor=None, key="paid-1")
    statement = _statement(fund, hours="13")
    client.force_login(fund.fiona)

    client.post(reverse("marketplace:isf-accept", args=[statement.public_id]))

    assert Notification.objects.filter(recipient=fund.pat, subject__contains="accepted your statement").exists()
