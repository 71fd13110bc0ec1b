"""A double-entry ledger: every pound under every budget, exactly once.

A transaction is a set of postings whose amounts sum to zero; moving £X from account A to account B
posts −X to A and +X to B, so an account's balance is the sum of its postings. Rows are never edited
or deleted: a mistake is corrected by a reversing transaction. Each transaction carries an
idempotency key with a unique constraint, so replaying an operation changes nothing.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class AccountKind(models.TextChoices):
    FUNDING_SOURCE = "funding_source", "Funding received for a stream"
    STREAM_POOL = "stream_pool", "Stream pool not yet allocated"
    LOCALITY_FUND = "locality_fund", "Locality fund"
    TOP_UP_SOURCE = "top_up_source", "Money paid in by families"
    AVAILABLE = "available", "Available to spend"
    CONTINGENCY = "contingency", "Held back as contingency"
    COMMITTED = "committed", "Committed to orders"
    PROVIDER_PAYABLE = "provider_payable", "Approved, waiting to be paid"
    FAMILY_ACCOUNT = "family_account", "Paid to the family's direct-payment account"
    ISF_HELD = "isf_held", "Held by the provider as an individual service fund"
    SPENT = "spent", "Spent"


# Sources stand for money arriving from outside; every other account must never go below zero.
MAY_GO_NEGATIVE = frozenset({AccountKind.FUNDING_SOURCE, AccountKind.TOP_UP_SOURCE})
BUDGET_KINDS = frozenset(
    {
        AccountKind.AVAILABLE,
        AccountKind.CONTINGENCY,
        AccountKind.COMMITTED,
        AccountKind.PROVIDER_PAYABLE,
        AccountKind.FAMILY_ACCOUNT,
        AccountKind.ISF_HELD,
        AccountKind.SPENT,
    }
)


class LedgerAccount(models.Model):
    council = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="ledger_accounts")
    kind = models.CharField(max_length=20, choices=AccountKind.choices)
    stream = models.ForeignKey(
        "brokerage.FundingStream", null=True, blank=True, on_delete=models.PROTECT, related_name="ledger_accounts"
    )
    locality_fund = models.ForeignKey(
        "brokerage.LocalityFund", null=True, blank=True, on_delete=models.PROTECT, related_name="ledger_accounts"
    )
    allocation = models.ForeignKey(
        "brokerage.Allocation", null=True, blank=True, on_delete=models.PROTECT, related_name="ledger_accounts"
    )

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "allocation"],
                condition=Q(allocation__isnull=False),
                name="one_account_per_allocation_kind",
            ),
            models.UniqueConstraint(
                fields=["kind", "stream"],
                condition=Q(allocation__isnull=True, locality_fund__isnull=True, stream__isnull=False),
                name="one_council_account_per_stream_kind",
            ),
            models.UniqueConstraint(
                fields=["kind", "locality_fund"], condition=Q(locality_fund__isnull=False), name="one_account_per_fund"
            ),
            models.UniqueConstraint(
                fields=["kind", "council"],
                condition=Q(kind="top_up_source"),
                name="one_top_up_source_per_council",
            ),
        ]

    def __str__(self) -> str:
        owner = self.allocation or self.locality_fund or self.stream or self.council
        return f"{self.get_kind_display()}: {owner}"


class TransactionKind(models.TextChoices):
    FUND = "fund", "Stream funded"
    ALLOCATE = "allocate", "Allocated to a budget"
    COMMIT = "commit", "Committed"
    RELEASE = "release", "Commitment released"
    SETTLE = "settle", "Invoice approved"
    PAY = "pay", "Paid"
    DP_INSTALMENT = "dp_instalment", "Direct payment instalment"
    DP_SPEND = "dp_spend", "Spending recorded by the family"
    ISF_INSTALMENT = "isf_instalment", "Individual service fund instalment"
    ISF_SPEND = "isf_spend", "Spending on the provider's statement"
    ISF_CARRY_FORWARD = "isf_carry_forward", "Carried forward to the next fund"
    REFUND = "refund", "Refund"
    TOP_UP = "top_up", "Top-up paid in"
    TOP_UP_REFUND = "top_up_refund", "Top-up refunded"
    CONTINGENCY_HOLD = "contingency_hold", "Contingency held back"
    CONTINGENCY_RELEASE = "contingency_release", "Contingency released"
    RETURN = "return", "Returned to the stream"
    REVERSAL = "reversal", "Reversal"


class LedgerTransaction(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    idempotency_key = models.CharField(max_length=200, unique=True)
    council = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=30, choices=TransactionKind.choices)
    budget = models.ForeignKey(
        "brokerage.Budget", null=True, blank=True, on_delete=models.PROTECT, related_name="transactions"
    )
    reference = models.CharField(max_length=100, blank=True, help_text="The order, invoice or payment it belongs to")
    description = models.CharField(max_length=300)
    outcome = models.ForeignKey("brokerage.Outcome", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    category = models.ForeignKey(
        "providers.TaxonomyTerm", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reverses = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT, related_name="reversed_by")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    occurred_on = models.DateField(default=timezone.localdate)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.description}"


class Posting(models.Model):
    transaction = models.ForeignKey(LedgerTransaction, on_delete=models.PROTECT, related_name="postings")
    account = models.ForeignKey(LedgerAccount, on_delete=models.PROTECT, related_name="postings")
    amount = models.DecimalField(max_digits=14, decimal_places=2)

    class Meta:
        ordering = ["id"]
        constraints = [models.CheckConstraint(condition=~Q(amount=0), name="posting_is_not_zero")]
