"""Reads for finance officers: the council's ledger postings in a date range, with finance codes."""

from datetime import date

from django.db.models import QuerySet

from accounts.models import Organisation
from brokerage.models import Posting

POSTINGS_HEADER = [
    "Date",
    "Finance code",
    "Funding stream",
    "Account",
    "Budget reference",
    "Amount",
    "Transaction kind",
    "Reference",
    "Description",
    "Idempotency key",
]


def postings_for_council(*, council: Organisation, starts_on: date, ends_on: date) -> QuerySet[Posting]:
    """Every posting of the council's transactions that happened from ``starts_on`` to ``ends_on``."""
    return (
        Posting.objects.filter(
            transaction__council=council,
            transaction__occurred_on__gte=starts_on,
            transaction__occurred_on__lte=ends_on,
        )
        .select_related("transaction", "transaction__budget", "account", "account__stream", "account__locality_fund")
        .order_by("transaction__occurred_on", "transaction__created_at", "transaction_id", "id")
    )


def posting_row(posting: Posting) -> list[object]:
    record, account = posting.transaction, posting.account
    stream = account.stream
    return [
        record.occurred_on.isoformat(),
        stream.finance_code if stream else "",
        str(stream) if stream else "",
        _account_name(posting),
        str(record.budget.public_id) if record.budget_id else "",
        posting.amount,  # a number, so never quoted as text in the spreadsheet
        record.get_kind_display(),
        record.reference,
        record.description,
        record.idempotency_key,
    ]


def _account_name(posting: Posting) -> str:
    account = posting.account
    if account.locality_fund_id:
        return f"{account.get_kind_display()}: {account.locality_fund.name}"
    return account.get_kind_display()
