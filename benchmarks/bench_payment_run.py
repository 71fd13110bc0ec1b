"""A payment run of 10,000 approved invoices (issue 11) on PostgreSQL: prepare, authorise and pay it through the
services, against a floor that writes the same rows in bulk with no checks at all.

Two councils get the same data (100 providers with verified bank details, 100 budgets, 100 invoices from each
provider spread over the budgets, settled as provider payable). The subject runs ``run_prepare``,
``run_authorise`` and ``run_execute`` for the first; the floor, for the second, bulk-inserts the payments,
items, ledger transactions and postings and marks the invoices paid, which is the least any implementation must
write. Afterwards the subject's run is checked to have paid every invoice exactly once with the ledger balanced.
Each side runs once: a run consumes its data.
"""

import datetime
import uuid
from collections.abc import Iterator
from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone

from benchmarks.harness import Row, Table, TableResult, benchmark

INVOICES = 10_000
PROVIDERS = 100
BUDGETS = 100
AMOUNT = Decimal("25.00")
TARGET_SECONDS = 10.0


def _council(name: str):  # type: ignore[no-untyped-def]
    """A council whose ``INVOICES`` approved invoices wait to be paid; returns (team, invoice ids)."""
    from brokerage import ledger
    from marketplace.models import Invoice, InvoiceStatus, Order
    from marketplace.models.orders import OrderStatus
    from marketplace.payments.tests.factories import allocation, finance, provider, verified_account

    team = finance(name)
    sellers = [provider(team.council, f"{name} provider {number}") for number in range(PROVIDERS)]
    for seller in sellers:
        verified_account(team.council, checked_by=(team.ann, team.ben), **seller.payee)
    per_budget = INVOICES // BUDGETS
    budgets = [allocation(team.council, available=str(AMOUNT * per_budget)) for _ in range(BUDGETS)]
    orders = Order.objects.bulk_create(
        Order(
            person=budgets[number % BUDGETS].budget.person,
            allocation=budgets[number % BUDGETS],
            offer=sellers[number % PROVIDERS].offer,
            provider_organisation=sellers[number % PROVIDERS].organisation,
            description="Support",
            units=Decimal("1"),
            unit="hour",
            rate=AMOUNT,
            starts_on=datetime.date(2026, 4, 6),
            ends_on=datetime.date(2026, 10, 30),
            status=OrderStatus.ACCEPTED,
            placed_by=team.lena,
        )
        for number in range(INVOICES)
    )
    Invoice.objects.bulk_create(
        Invoice(
            order=order,
            provider_organisation_id=order.provider_organisation_id,
            number=f"{name[:3]}-{number}",
            issued_on=datetime.date(2026, 10, 31),
            due_on=datetime.date(2026, 11, 30),
            vat_status="not_registered",
            net_total=AMOUNT,
            total=AMOUNT,
            status=InvoiceStatus.APPROVED,
            submitted_by=team.lena,
            decided_by=team.lena,
        )
        for number, order in enumerate(orders)
    )
    for budget in budgets:  # what approving the budget's invoices settled, in one movement per budget
        total = AMOUNT * per_budget
        ledger.commit(allocation=budget, amount=total, key=f"bench-commit-{budget.pk}", description="Orders")
        ledger.settle(allocation=budget, amount=total, key=f"bench-settle-{budget.pk}", description="Invoices")
    return team, budgets


def _pay_through_the_services(team) -> None:  # type: ignore[no-untyped-def]
    from marketplace.payments import runs

    run = runs.run_prepare(council=team.council, actor=team.ann)
    runs.run_authorise(run=run, actor=team.ben)
    runs.run_execute(run=run, actor=team.ben)


def _bulk_floor(team, budgets) -> None:  # type: ignore[no-untyped-def]
    """The same rows written in bulk, unchecked: payments, items, one ledger transaction with two postings per
    invoice, the invoices marked paid."""
    from brokerage import ledger
    from brokerage.models import AccountKind, LedgerTransaction, Posting, TransactionKind
    from marketplace.models import Invoice, InvoiceStatus
    from marketplace.payments.models import BankAccount, Payment, PaymentItem, PaymentRun

    invoices = list(Invoice.objects.filter(order__allocation__budget__council=team.council).select_related("order"))
    run = PaymentRun.objects.create(
        council=team.council, reference="FLOOR-1", pay_on=timezone.localdate(), prepared_by=team.ann
    )
    accounts = {account.provider_organisation_id: account for account in BankAccount.objects.all()}
    by_payee: dict[int, list] = {}  # type: ignore[type-arg]
    for invoice in invoices:
        by_payee.setdefault(invoice.provider_organisation_id, []).append(invoice)
    payments = Payment.objects.bulk_create(
        Payment(
            run=run,
            provider_organisation_id=payee,
            method="payment_file",
            bank_account=accounts[payee],
            payee_name=str(payee),
            amount=AMOUNT * len(paid),
            remittance_reference=f"FLOOR-{number}",
            status="sent",
        )
        for number, (payee, paid) in enumerate(by_payee.items())
    )
    payable = {b.pk: ledger.allocation_account(b, AccountKind.PROVIDER_PAYABLE) for b in budgets}
    spent = {b.pk: ledger.allocation_account(b, AccountKind.SPENT) for b in budgets}
    transactions = LedgerTransaction.objects.bulk_create(
        LedgerTransaction(
            idempotency_key=f"floor-{uuid.uuid4()}",
            council=team.council,
            kind=TransactionKind.PAY,
            description="Paid",
            budget_id=None,
        )
        for _ in invoices
    )
    postings = []
    for invoice, record in zip(invoices, transactions, strict=True):
        allocation_id = invoice.order.allocation_id
        postings += [
            Posting(transaction=record, account=payable[allocation_id], amount=-AMOUNT),
            Posting(transaction=record, account=spent[allocation_id], amount=AMOUNT),
        ]
    Posting.objects.bulk_create(postings)
    by_invoice = dict(zip((invoice.pk for invoice in invoices), transactions, strict=True))
    PaymentItem.objects.bulk_create(
        PaymentItem(
            payment=payment,
            run=run,
            invoice=invoice,
            amount=AMOUNT,
            description="Invoice",
            status="sent",
            transaction=by_invoice[invoice.pk],
        )
        for payment, (_, paid) in zip(payments, by_payee.items(), strict=True)
        for invoice in paid
    )
    Invoice.objects.filter(pk__in=by_invoice).update(status=InvoiceStatus.PAID)


def _statistics_refresh() -> None:
    """Planner statistics for the rows just built, as autovacuum would give a real database after a bulk load.
    Without them PostgreSQL plans the invoice-order-allocation-budget joins as nested scans of tables it thinks
    empty, which cost both sides half a minute in one run and a few seconds in another, so that the figures
    measured whether autovacuum had happened to run, not the payment run."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")


def _urls_load() -> None:
    """A web or task worker has its URL configuration loaded long before it pays a run; a fresh benchmark process
    would otherwise import every app's URL modules on the run's first notification link (2 s under load)."""
    from django.urls import reverse

    reverse("accounts:dashboard")


def _paid_exactly_once(team, budgets) -> list[str]:  # type: ignore[no-untyped-def]
    from brokerage import ledger
    from brokerage.models import AccountKind, LedgerTransaction, Posting, TransactionKind
    from marketplace.models import Invoice, InvoiceStatus
    from marketplace.payments.models import PaymentItem

    invoices = Invoice.objects.filter(order__allocation__budget__council=team.council)
    paid_items = PaymentItem.objects.filter(invoice__in=invoices, status="sent")
    pay_movements = LedgerTransaction.objects.filter(council=team.council, kind=TransactionKind.PAY).count()
    payable = sum(ledger.balance(ledger.allocation_account(b, AccountKind.PROVIDER_PAYABLE)) for b in budgets)
    spent = sum(ledger.balance(ledger.allocation_account(b, AccountKind.SPENT)) for b in budgets)
    postings = Posting.objects.filter(transaction__council=team.council).aggregate(total=Sum("amount"))["total"]
    checks = {
        "every invoice paid": invoices.filter(status=InvoiceStatus.PAID).count() == INVOICES,
        "one item per invoice": paid_items.count() == paid_items.values("invoice").distinct().count() == INVOICES,
        "one ledger movement per invoice": pay_movements == INVOICES,
        "nothing left payable, all of it spent": payable == 0 and spent == AMOUNT * INVOICES,
        "postings sum to zero": postings == 0,
    }
    failed = [name for name, ok in checks.items() if not ok]
    if failed:
        raise RuntimeError(f"the payment run did not pay exactly once: {', '.join(failed)}")
    return list(checks)


def _summary(result: TableResult) -> list[str]:
    (row,) = result.rows
    seconds = row.timings["payment run"].p50_ms / 1000
    met = "met" if seconds <= TARGET_SECONDS else "missed"
    return [
        f"prepare, authorise and pay {INVOICES:,} approved invoices in ≤ {TARGET_SECONDS:.0f} s: "
        f"{seconds:.1f} s ({met})",
        f"exactly once, checked after the run: {', '.join(CHECKED)}",
    ]


CHECKED: list[str] = []


@benchmark(
    "payment_run",
    description=f"prepare, authorise and pay a run of {INVOICES:,} approved invoices to {PROVIDERS} providers "
    "(marketplace.payments.runs), on PostgreSQL",
    baseline="the same payments, items, ledger transactions and postings bulk-inserted with no checks (the floor)",
    heavy=True,
)
def payment_run() -> Iterator[Table]:
    def stages() -> Iterator[list[Row]]:
        print(f"  building {INVOICES:,} approved invoices for each side ...", flush=True)
        subject, subject_budgets = _council("Subject")
        floor, floor_budgets = _council("Floor")
        _statistics_refresh()
        _urls_load()
        yield [
            Row(
                f"{INVOICES:,} invoices",
                {
                    "payment run": lambda: _pay_through_the_services(subject),
                    "bulk floor": lambda: _bulk_floor(floor, floor_budgets),
                },
            )
        ]
        # Checked after the timing: verifying the run is not part of paying it.
        CHECKED[:] = _paid_exactly_once(subject, subject_budgets)

    yield Table(
        columns=("payment run", "bulk floor"),
        ratios=("bulk floor",),
        stages=stages,
        repetitions=1,
        warmup=0,
        summary=_summary,
    )
