"""Budget statements: Tom's closing statement from DOMAIN.md on the page, in the CSV and in a tagged PDF;
figures per outcome; who may read a statement."""

import csv
import datetime
import io
from decimal import Decimal as D

import pytest
from django.urls import reverse
from pypdf import PdfReader

from brokerage import ledger
from brokerage.models import Allocation, HeldAs, Outcome, OutcomeDomain, SupportPlan
from brokerage.services.year_end import year_end_apply
from brokerage.statements import budget_statement
from brokerage.tests.factories import AllocationFactory, BudgetFactory, LocalityFundFactory
from brokerage.tests.test_tom_ledger import PLAN, _commit_and_pay, _pay
from brokerage.tests.test_views_people import case  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db

AFTER_THE_YEAR = datetime.date(2027, 4, 1)


def toms_year(budget):  # type: ignore[no-untyped-def]
    """Tom's year from DOMAIN.md through the ledger's services, closed by the year end service."""
    early_help = AllocationFactory(budget=budget, held_as=HeldAs.COUNCIL_MANAGED)
    ledger.stream_fund(stream=early_help.stream, amount=D("50000.00"), key="stream")
    fund = LocalityFundFactory(stream=early_help.stream, council=budget.council)
    ledger.locality_fund_fund(fund=fund, amount=D("20000.00"), key="fund")
    ledger.allocate(allocation=early_help, amount=D("3000.00"), key="tom-early-help")
    for line, amount in PLAN.items():
        ledger.commit(allocation=early_help, amount=amount, key=f"{line}-commit", description=line)
    _pay(early_help, "L1 tuition", D("960.00"))
    ledger.release(allocation=early_help, amount=D("600.00"), key="L1-release", description="Tuition stopped")
    ledger.commit(allocation=early_help, amount=D("270.00"), key="L3b-commit", description="Counselling +6")
    ledger.commit(allocation=early_help, amount=D("84.00"), key="L4b-commit", description="Taxi +6")
    conference = Allocation.objects.create(
        budget=budget, stream=early_help.stream, held_as=HeldAs.COUNCIL_MANAGED, locality_fund=fund
    )
    ledger.allocate(allocation=conference, amount=D("1500.00"), key="tom-locality")
    _commit_and_pay(conference, "family group conference", D("1500.00"))
    _commit_and_pay(early_help, "football residential", D("310.00"))
    for line in ["L2 petrol money", "L3 counselling", "L4 taxi"]:
        _pay(early_help, line, PLAN[line])
    _pay(early_help, "L3b", D("270.00"))
    _pay(early_help, "L4b", D("84.00"))
    _pay(early_help, "L5 bus fares (DP)", PLAN["L5 bus fares (DP)"], direct_payment=True)
    _pay(early_help, "L6 parents' group fares (DP)", PLAN["L6 parents' group fares (DP)"], direct_payment=True)
    year_end_apply(council=budget.council, year=budget.financial_year, today=AFTER_THE_YEAR, dry_run=False)
    return budget


@pytest.fixture
def tom(case):  # noqa: F811
    case.budget = toms_year(BudgetFactory(person=case.person))
    return case


CLOSING = ["£4,500.00", "£4,254.80", "£72.80", "£245.20", "£0.00", "£1,500.00", "£2,754.80"]


def test_toms_closing_statement_is_exactly_the_domain_figures(tom):
    closing = budget_statement(tom.budget)
    assert closing.total("allocated") == D("4500.00")
    assert closing.total("spent") == D("4254.80")
    assert closing.total("direct_payments") == D("72.80")
    assert closing.total("returned") == D("245.20")
    assert closing.total("balance") == D("0.00")
    [stream] = closing.streams
    assert (stream.allocated, stream.spent, stream.returned) == (D("4500.00"), D("4254.80"), D("245.20"))


def test_toms_mother_reads_the_closing_statement_on_the_page(client, tom):
    client.force_login(tom.mother)
    page = client.get(reverse("brokerage:budget-statement", args=[tom.budget.public_id])).content.decode()
    for figure in CLOSING:
        assert figure in page
    assert "from North locality fund" in page
    assert "Returned to the stream" in page


def test_the_budget_page_links_to_its_statement(client, tom):
    client.force_login(tom.alice)
    page = client.get(reverse("brokerage:budget", args=[tom.budget.public_id])).content.decode()
    assert reverse("brokerage:budget-statement", args=[tom.budget.public_id]) in page


def test_the_statement_csv_has_the_closing_figures_and_every_transaction(client, tom):
    client.force_login(tom.alice)
    response = client.get(reverse("brokerage:budget-statement-csv", args=[tom.budget.public_id]))
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    [total] = [row for row in rows if row["Row"] == "Total"]
    assert (total["Allocated"], total["Spent"], total["Direct payments"]) == ("4500.00", "4254.80", "72.80")
    assert (total["Returned"], total["Balance"]) == ("245.20", "0.00")
    transactions = [row for row in rows if row["Row"] == "Transaction"]
    assert len(transactions) == tom.budget.transactions.count()
    assert {"Date": "2027-03-31", "Amount": "245.20"}.items() <= transactions[-1].items()


def test_the_statement_pdf_is_tagged_with_its_language_and_title_and_shows_the_closing_figures(client, tom):
    client.force_login(tom.mother)
    response = client.get(reverse("brokerage:budget-statement-pdf", args=[tom.budget.public_id]))
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    catalogue = reader.trailer["/Root"]
    assert bool(catalogue["/MarkInfo"]["/Marked"]) is True
    assert "/StructTreeRoot" in catalogue
    assert catalogue["/Lang"] == "en-GB"
    assert reader.metadata.title.startswith("Budget statement for Tom Walsh")
    assert bool(catalogue["/ViewerPreferences"]["/DisplayDocTitle"]) is True
    text = " ".join(page.extract_text() for page in reader.pages)
    for figure in CLOSING:
        assert figure in text


def test_money_committed_for_an_outcome_is_shown_against_it_and_a_release_takes_it_off():
    allocation = AllocationFactory()
    budget = allocation.budget
    plan = SupportPlan.objects.create(person=budget.person, budget=budget)
    tuition = Outcome.objects.create(
        plan=plan, domain=OutcomeDomain.ENJOY_AND_ACHIEVE, description="Keeps up at school", baseline_score=3
    )
    ledger.stream_fund(stream=allocation.stream, amount=D("5000.00"), key="stream")
    ledger.allocate(allocation=allocation, amount=D("3000.00"), key="allocate")
    ledger.commit(allocation=allocation, amount=D("1560.00"), key="c", description="Tuition", outcome=tuition)
    ledger.release(allocation=allocation, amount=D("600.00"), key="r", description="Stopped", outcome=tuition)
    ledger.settle(allocation=allocation, amount=D("960.00"), key="s", description="Tutor", outcome=tuition)
    ledger.pay(allocation=allocation, amount=D("960.00"), key="p", description="Tutor", outcome=tuition)

    [figures] = budget_statement(budget).outcomes
    assert (figures.outcome, figures.committed, figures.spent) == (tuition, D("960.00"), D("960.00"))


# --- Who may read a statement ----------------------------------------------------------------------


STATEMENT_URLS = ["brokerage:budget-statement", "brokerage:budget-statement-csv", "brokerage:budget-statement-pdf"]


@pytest.fixture
def budget_with_money(case):  # noqa: F811
    allocation = AllocationFactory(budget=BudgetFactory(person=case.person))
    ledger.stream_fund(stream=allocation.stream, amount=D("100.00"), key="stream")
    ledger.allocate(allocation=allocation, amount=D("100.00"), key="allocate")
    case.budget = allocation.budget
    return case


@pytest.mark.parametrize("name", STATEMENT_URLS)
def test_the_family_and_their_lead_professional_may_read_the_statement(access, budget_with_money, name):
    url = reverse(name, args=[budget_with_money.budget.public_id])
    access.ok(budget_with_money.mother, url)
    access.ok(budget_with_money.alice, url)


@pytest.mark.parametrize("name", STATEMENT_URLS)
def test_a_statement_outside_consent_or_the_council_is_not_found(access, budget_with_money, name):
    url = reverse(name, args=[budget_with_money.budget.public_id])
    access.not_found(budget_with_money.bob, url)  # same council, the family did not share with bob
    access.not_found(budget_with_money.carol, url)  # another council


@pytest.mark.parametrize("name", STATEMENT_URLS)
def test_roles_without_casework_may_not_read_statements(access, budget_with_money, name):
    url = reverse(name, args=[budget_with_money.budget.public_id])
    access.forbidden(budget_with_money.commissioner, url)
    access.forbidden(budget_with_money.admin, url)
    access.sign_in_required(url)


def test_the_plan_page_shows_what_is_committed_spent_and_available_from_the_ledger(client, budget_with_money):
    tom = budget_with_money
    allocation = tom.budget.allocations.get()
    ledger.commit(allocation=allocation, amount=D("60.00"), key="commit", description="Counselling")
    ledger.settle(allocation=allocation, amount=D("15.00"), key="settle", description="Session 1")
    ledger.pay(allocation=allocation, amount=D("15.00"), key="pay", description="Session 1")
    plan = SupportPlan.objects.create(person=tom.person, budget=tom.budget)
    client.force_login(tom.alice)

    page = client.get(reverse("brokerage:plan", args=[plan.public_id])).content.decode()

    sheet = page[page.index("Totals against the budget") :]
    for figure in ("£100.00", "£45.00", "£15.00", "£40.00"):  # allocated, committed, spent, available
        assert figure in sheet
