"""Retention of casework records that are not a person's own record (see accounts/retention.py).

People supported, their plans and budgets are anonymised as a whole by the marketplace's data-protection
service (``marketplace/retention.py``), which reaches their orders and messages too. Here: the log of who
viewed a child's records, and the words on ledger transactions.

Ledger postings are never deleted: amounts and balances must stay exactly as they were, and every
transaction must still add up to zero. Six years after the end of the financial year a transaction
belongs to (HMRC's period for financial records), its description and who recorded it are cleared;
the amounts, accounts, dates and kinds stay.
"""

from datetime import date

from django.db import models

from accounts.retention import (
    ANONYMISE,
    DELETE,
    RetentionRule,
    financial_year_end_cutoff,
    retention_register,
    start_of_day,
    years_before,
)
from brokerage.models import LedgerTransaction, RecordView

RECORD_VIEW_YEARS = 6
LEDGER_DESCRIPTION_REMOVED = "Removed under the retention schedule"


def record_views_due(today: date) -> models.QuerySet:
    return RecordView.objects.filter(viewed_at__lt=start_of_day(years_before(today, RECORD_VIEW_YEARS)))


def ledger_transactions_due(today: date) -> models.QuerySet:
    return LedgerTransaction.objects.filter(occurred_on__lte=financial_year_end_cutoff(today)).exclude(
        description=LEDGER_DESCRIPTION_REMOVED
    )


def ledger_transactions_anonymise(records: models.QuerySet) -> int:
    # Only words and who: no posting, amount, account or date changes, so every balance stays the same.
    return records.update(description=LEDGER_DESCRIPTION_REMOVED, actor=None)


retention_register(
    RetentionRule(
        key="brokerage.recordview",
        record_type="Log of views of children's records",
        period=f"{RECORD_VIEW_YEARS} years after the view",
        reason="As long as the audit events: long enough to answer a complaint about who looked at a record.",
        action=DELETE,
        due=record_views_due,
        order=900,
    )
)
retention_register(
    RetentionRule(
        key="brokerage.ledgertransaction",
        record_type="Ledger transactions (descriptions and who recorded them)",
        period="6 years after the end of the financial year they belong to",
        reason=(
            "HMRC and the council's financial regulations: financial records for six years after the year end. "
            "The postings stay for ever so that the ledger still balances; only the words and the actor go."
        ),
        action=ANONYMISE,
        due=ledger_transactions_due,
        apply=ledger_transactions_anonymise,
    )
)
