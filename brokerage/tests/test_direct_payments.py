"""Direct payments: the schedule adds up exactly, paying an instalment twice changes nothing, the family
records spending with a receipt, and every page answers 404 outside consent and council, 403 to other roles."""

import datetime
import io
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image

from accounts.models import Notification
from accounts.roles import Role
from accounts.tests.factories import user_with_role
from brokerage import ledger
from brokerage.models import FamilySpend, LedgerTransaction, TransactionKind
from brokerage.services.direct_payments import (
    dp_instalment_pay,
    dp_schedule_set_frequency,
    family_account_balance,
    instalment_amounts,
)
from brokerage.services.plans import allocation_add, budget_create
from brokerage.tests.factories import FundingStreamFactory
from brokerage.tests.test_views_people import case  # noqa: F401  (the fixture)


@given(
    total=st.integers(min_value=1, max_value=10_000_000).map(lambda p: D(p) / 100),
    count=st.integers(min_value=1, max_value=12),
)
def test_instalments_add_up_exactly_and_the_last_takes_the_remainder(total, count):
    parts = instalment_amounts(total, count)
    assert sum(parts) == total
    assert all(part > 0 and part == part.quantize(D("0.01")) for part in parts)
    assert all(part == parts[0] for part in parts[:-1])
    assert parts[-1] >= parts[0]


@pytest.fixture
def dp(case):  # noqa: F811
    """Tom's mother receives £1,000.00 a year as a direct payment."""
    stream = FundingStreamFactory(council=case.council)
    ledger.stream_fund(stream=stream, amount=D("50000.00"), key="fund")
    budget = budget_create(
        person=case.person,
        actor=case.alice,
        financial_year=2026,
        starts_on=datetime.date(2026, 4, 1),
        ends_on=datetime.date(2027, 3, 31),
    )
    case.allocation = allocation_add(
        budget=budget, actor=case.alice, stream=stream, held_as="direct_payment", amount=D("1000.00")
    )
    case.budget, case.stream = budget, stream
    case.finance = user_with_role(Role.FINANCE_OFFICER, case.council)
    return case


@pytest.mark.django_db
def test_a_direct_payment_is_paid_quarterly_by_default(dp):
    instalments = list(dp.allocation.dp_schedule.instalments.all())
    assert [i.due_on for i in instalments] == [
        datetime.date(2026, 4, 1),
        datetime.date(2026, 7, 1),
        datetime.date(2026, 10, 1),
        datetime.date(2027, 1, 1),
    ]
    assert [i.amount for i in instalments] == [D("250.00")] * 4


@pytest.mark.django_db
def test_monthly_instalments_put_the_remainder_pence_on_the_last(dp):
    schedule = dp_schedule_set_frequency(schedule=dp.allocation.dp_schedule, actor=dp.alice, frequency="monthly")
    amounts = [i.amount for i in schedule.instalments.all()]
    assert amounts == [D("83.33")] * 11 + [D("83.37")]


@pytest.mark.django_db
def test_paying_an_instalment_twice_changes_nothing(dp):
    instalment = dp.allocation.dp_schedule.instalments.first()
    first = dp_instalment_pay(instalment=instalment, actor=dp.finance)
    second = dp_instalment_pay(instalment=instalment, actor=dp.finance)
    assert first == second
    assert family_account_balance(dp.allocation) == D("250.00")
    assert LedgerTransaction.objects.filter(kind=TransactionKind.DP_INSTALMENT).count() == 1
    assert Notification.objects.filter(recipient=dp.mother).count() == 1


@pytest.mark.django_db
def test_the_schedule_cannot_change_once_an_instalment_is_paid(dp):
    dp_instalment_pay(instalment=dp.allocation.dp_schedule.instalments.first(), actor=dp.finance)
    with pytest.raises(ValidationError):
        dp_schedule_set_frequency(schedule=dp.allocation.dp_schedule, actor=dp.alice, frequency="monthly")


@pytest.mark.django_db
def test_finance_marks_an_instalment_paid_on_screen_and_the_family_sees_it(client, dp):
    instalment = dp.allocation.dp_schedule.instalments.first()
    client.force_login(dp.finance)
    response = client.post(reverse("brokerage:dp-instalment-pay", args=[instalment.public_id]))
    assert response.status_code == 302
    client.force_login(dp.mother)
    page = client.get(reverse("brokerage:direct-payments", args=[dp.budget.public_id])).content.decode()
    assert "£250.00" in page and "Paid" in page


def _receipt() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(buffer, format="PNG")
    return SimpleUploadedFile("receipt.png", buffer.getvalue(), content_type="image/png")


@pytest.mark.django_db
def test_the_family_records_spending_with_a_receipt_that_only_people_who_see_the_budget_open(client, dp, access):
    dp_instalment_pay(instalment=dp.allocation.dp_schedule.instalments.first(), actor=dp.finance)
    client.force_login(dp.mother)
    response = client.post(
        reverse("brokerage:dp-spend-add", args=[dp.budget.public_id]),
        {
            "allocation": dp.allocation.pk,
            "amount": "26.00",
            "spent_on": "20/4/2026",
            "description": "Bus fares to the parents' group",
            "category": "other",
            "receipt": _receipt(),
        },
    )
    assert response.status_code == 302, response.content.decode()
    spend = FamilySpend.objects.get()
    assert family_account_balance(dp.allocation) == D("224.00")
    url = reverse("brokerage:dp-spend-receipt", args=[spend.public_id])
    access.ok(dp.mother, url)
    access.ok(dp.finance, url)
    access.not_found(dp.bob, url)
    access.not_found(user_with_role(Role.FINANCE_OFFICER), url)
    access.forbidden(dp.commissioner, url)


@pytest.mark.django_db
def test_spending_more_than_the_account_holds_is_refused_with_an_error_summary(client, dp):
    client.force_login(dp.mother)
    response = client.post(
        reverse("brokerage:dp-spend-add", args=[dp.budget.public_id]),
        {
            "allocation": dp.allocation.pk,
            "amount": "26.00",
            "spent_on": "20/4/2026",
            "description": "Bus fares",
            "category": "other",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: " in page and "govuk-error-summary" in page
    assert not FamilySpend.objects.exists()


@pytest.mark.django_db
def test_the_spending_downloads_as_csv_for_the_council(client, dp):
    client.force_login(dp.finance)
    response = client.get(reverse("brokerage:dp-spend-export", args=[dp.budget.public_id]))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")


@pytest.mark.django_db
def test_direct_payment_pages_answer_404_outside_consent_and_council_and_403_to_other_roles(dp, access):
    pages = [
        reverse("brokerage:direct-payments", args=[dp.budget.public_id]),
        reverse("brokerage:dp-spend-export", args=[dp.budget.public_id]),
    ]
    for url in pages:
        access.ok(dp.mother, url)
        access.ok(dp.alice, url)
        access.ok(dp.finance, url)
        access.not_found(dp.bob, url)
        access.not_found(dp.carol, url)
        access.not_found(user_with_role(Role.FINANCE_OFFICER), url)
        access.forbidden(dp.commissioner, url)
        access.sign_in_required(url)
    spend_add = reverse("brokerage:dp-spend-add", args=[dp.budget.public_id])
    access.ok(dp.mother, spend_add)
    access.not_found(user_with_role(Role.FAMILY_MEMBER, dp.council), spend_add)
    access.forbidden(dp.alice, spend_add)
    access.forbidden(dp.finance, spend_add)
    instalment = dp.allocation.dp_schedule.instalments.first()
    pay = reverse("brokerage:dp-instalment-pay", args=[instalment.public_id])
    access.ok(dp.finance, pay)
    access.not_found(user_with_role(Role.FINANCE_OFFICER), pay)
    access.forbidden(dp.mother, pay)
    access.forbidden(dp.alice, pay)
    frequency = reverse("brokerage:dp-schedule-frequency", args=[dp.allocation.dp_schedule.public_id])
    access.ok(dp.alice, frequency)
    access.not_found(dp.bob, frequency)
    access.forbidden(dp.mother, frequency)


@pytest.mark.django_db
def test_contingency_release_page_answers_404_outside_consent_and_council_and_403_to_other_roles(dp, access):
    url = reverse("brokerage:contingency-release", args=[dp.budget.public_id])
    manager = user_with_role(Role.BUDGET_HOLDING_MANAGER, dp.council)
    access.ok(manager, url)
    access.ok(dp.alice, url)
    access.not_found(user_with_role(Role.BUDGET_HOLDING_MANAGER), url)
    access.not_found(dp.bob, url)
    access.forbidden(dp.mother, url)
    access.forbidden(dp.finance, url)
