"""Finance officers export their council's ledger postings with finance codes for a date range."""

import csv
import datetime
import io
from decimal import Decimal as D

import pytest
import time_machine
from django.urls import reverse

from accounts.roles import Role
from accounts.tests.factories import user_with_role
from brokerage import ledger
from brokerage.tests.factories import AllocationFactory

pytestmark = pytest.mark.django_db

URL = reverse("brokerage:finance-postings")


def _range(start: datetime.date, end: datetime.date) -> dict[str, int]:
    return {
        "starts_on_0": start.day,
        "starts_on_1": start.month,
        "starts_on_2": start.year,
        "ends_on_0": end.day,
        "ends_on_1": end.month,
        "ends_on_2": end.year,
    }


def _rows(response) -> list[dict[str, str]]:  # type: ignore[no-untyped-def]
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(content)))


@pytest.fixture
def coventry_allocation():  # type: ignore[no-untyped-def]
    allocation = AllocationFactory(stream__finance_code="EH-4410")
    ledger.stream_fund(stream=allocation.stream, amount=D("1000.00"), key="fund")
    with time_machine.travel(datetime.datetime(2026, 5, 4, 12, tzinfo=datetime.UTC), tick=False):
        ledger.allocate(allocation=allocation, amount=D("300.00"), key="tom-allocation")
    with time_machine.travel(datetime.datetime(2026, 9, 1, 12, tzinfo=datetime.UTC), tick=False):
        ledger.commit(allocation=allocation, amount=D("45.00"), key="tom-counselling", description="Counselling")
    return allocation


def test_the_officer_downloads_the_councils_postings_in_the_range_with_finance_codes(client, coventry_allocation):
    other = AllocationFactory()
    ledger.stream_fund(stream=other.stream, amount=D("50.00"), key="elsewhere")
    officer = user_with_role(Role.FINANCE_OFFICER, coventry_allocation.budget.council)
    client.force_login(officer)

    response = client.get(URL, _range(datetime.date(2026, 5, 1), datetime.date(2026, 5, 31)))

    assert response.streaming
    assert response["Content-Type"].startswith("text/csv")
    rows = _rows(response)
    assert [(row["Finance code"], row["Amount"], row["Account"]) for row in rows] == [
        ("EH-4410", "-300.00", "Stream pool not yet allocated"),
        ("EH-4410", "300.00", "Available to spend"),
    ]
    assert rows[0]["Date"] == "2026-05-04"
    assert rows[0]["Idempotency key"] == "tom-allocation"
    assert rows[0]["Transaction kind"] == "Allocated to a budget"
    assert rows[0]["Budget reference"] == str(coventry_allocation.budget.public_id)


def test_a_to_date_before_the_from_date_is_shown_in_the_error_summary(client, coventry_allocation):
    client.force_login(user_with_role(Role.FINANCE_OFFICER, coventry_allocation.budget.council))
    response = client.get(URL, _range(datetime.date(2026, 6, 1), datetime.date(2026, 5, 1)))
    page = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: Export ledger postings" in page
    assert 'href="#id_ends_on_0">The to date must be the same as or after the from date' in page


def test_a_date_that_does_not_exist_is_refused(client, coventry_allocation):
    client.force_login(user_with_role(Role.FINANCE_OFFICER, coventry_allocation.budget.council))
    dates = {**_range(datetime.date(2026, 6, 1), datetime.date(2026, 6, 2)), "starts_on_0": 31}
    page = client.get(URL, {**dates, "starts_on_1": 2}).content.decode()
    assert "The from date must be a real date" in page
    assert 'value="31"' in page  # what was typed is shown again


def test_the_form_is_shown_before_any_dates_are_given(client, coventry_allocation):
    client.force_login(user_with_role(Role.FINANCE_OFFICER, coventry_allocation.budget.council))
    page = client.get(URL).content.decode()
    assert "govuk-date-input" in page
    assert "There is a problem" not in page


def test_roles_other_than_finance_officer_may_not_export_postings(access, coventry_allocation):
    council = coventry_allocation.budget.council
    access.forbidden(user_with_role(Role.LEAD_PROFESSIONAL, council), URL)
    access.forbidden(user_with_role(Role.COUNCIL_ADMIN, council), URL)
    access.sign_in_required(URL)


def test_another_councils_officer_gets_none_of_these_postings(client, coventry_allocation):
    client.force_login(user_with_role(Role.FINANCE_OFFICER))
    response = client.get(URL, _range(datetime.date(2026, 1, 1), datetime.date(2026, 12, 31)))
    assert _rows(response) == []
