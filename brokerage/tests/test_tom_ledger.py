"""Tom's year from DOMAIN.md, money by money, through the ledger's operations.

The closing statement must be exactly: allocated £4,500.00 (early help £3,000.00, locality fund
£1,500.00); spent £4,254.80 (early help £2,754.80, locality fund £1,500.00); of which direct payments
to his mother £72.80; unspent early help £245.20 returned to the stream at year end; balance £0.00.
"""

from decimal import Decimal as D

import pytest

from brokerage import ledger
from brokerage.models import Allocation, HeldAs
from brokerage.statements import budget_statement
from brokerage.tests.factories import AllocationFactory, LocalityFundFactory

pytestmark = pytest.mark.django_db

PLAN = {  # line: committed
    "L1 tuition": D("1560.00"),
    "L2 petrol money": D("468.00"),
    "L3 counselling": D("450.00"),
    "L4 taxi": D("140.00"),
    "L5 bus fares (DP)": D("52.00"),
    "L6 parents' group fares (DP)": D("20.80"),
}


def _commit_and_pay(allocation, key, amount, direct_payment=False):
    ledger.commit(allocation=allocation, amount=amount, key=f"{key}-commit", description=key)
    _pay(allocation, key, amount, direct_payment)


def _pay(allocation, key, amount, direct_payment=False):
    if direct_payment:
        ledger.dp_instalment(allocation=allocation, amount=amount, key=f"{key}-dp")
        ledger.dp_spend(allocation=allocation, amount=amount, key=f"{key}-spend", description=key)
    else:
        ledger.settle(allocation=allocation, amount=amount, key=f"{key}-settle", description=key)
        ledger.pay(allocation=allocation, amount=amount, key=f"{key}-pay", description=key)


def test_toms_year_closes_exactly_as_the_domain_says():
    early_help = AllocationFactory(held_as=HeldAs.COUNCIL_MANAGED)
    budget = early_help.budget
    ledger.stream_fund(stream=early_help.stream, amount=D("50000.00"), key="stream")
    fund = LocalityFundFactory(stream=early_help.stream, council=budget.council)
    ledger.locality_fund_fund(fund=fund, amount=D("20000.00"), key="fund")
    ledger.allocate(allocation=early_help, amount=D("3000.00"), key="tom-early-help")

    # The plan is committed line by line: £2,690.80, within the £3,000 delegated authority.
    for line, amount in PLAN.items():
        ledger.commit(allocation=early_help, amount=amount, key=f"{line}-commit", description=line)
    assert sum(PLAN.values()) == D("2690.80")

    # Six-month review: tuition stopped after 24 weeks (48 hours, £960 paid); £600 released.
    _pay(early_help, "L1 tuition", D("960.00"))
    ledger.release(allocation=early_help, amount=D("600.00"), key="L1-release", description="Tuition stopped")
    # Counselling extends by 6 sessions with 6 taxi trips.
    ledger.commit(allocation=early_help, amount=D("270.00"), key="L3b-commit", description="Counselling +6")
    ledger.commit(allocation=early_help, amount=D("84.00"), key="L4b-commit", description="Taxi +6")
    statement = budget_statement(budget)
    assert statement.total("available") == D("555.20")

    # The family group conference (£1,500) is more than is left: the manager adds a locality-fund allocation.
    conference = Allocation.objects.create(
        budget=budget, stream=early_help.stream, held_as=HeldAs.COUNCIL_MANAGED, locality_fund=fund
    )
    ledger.allocate(allocation=conference, amount=D("1500.00"), key="tom-locality")
    _commit_and_pay(conference, "family group conference", D("1500.00"))

    # The football residential (£310, a new supplier) is bought within what remains.
    _commit_and_pay(early_help, "football residential", D("310.00"))

    # Everything else is delivered and paid.
    for line in ["L2 petrol money", "L3 counselling", "L4 taxi"]:
        _pay(early_help, line, PLAN[line])
    _pay(early_help, "L3b", D("270.00"))
    _pay(early_help, "L4b", D("84.00"))
    _pay(early_help, "L5 bus fares (DP)", PLAN["L5 bus fares (DP)"], direct_payment=True)
    _pay(early_help, "L6 parents' group fares (DP)", PLAN["L6 parents' group fares (DP)"], direct_payment=True)

    # Year end: unspent early help returns to the stream.
    left = budget_statement(budget).allocations[0].available
    ledger.return_to_stream(allocation=early_help, amount=left, key="tom-year-end")

    closing = budget_statement(budget)
    early, locality = closing.allocations
    assert closing.total("allocated") == D("4500.00")
    assert (early.allocated, locality.allocated) == (D("3000.00"), D("1500.00"))
    assert closing.total("spent") == D("4254.80")
    assert (early.spent, locality.spent) == (D("2754.80"), D("1500.00"))
    assert closing.total("direct_payments") == D("72.80")
    assert early.returned == D("245.20")
    assert closing.total("balance") == D("0.00")
