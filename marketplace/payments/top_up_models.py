"""Top-ups and contributions: money a family pays into a budget, by card (a Stripe PaymentIntent on the
council's own account) or by bank transfer quoting a reference, and what is refunded of it.

Exactly once, by construction:
- the ledger records a top-up once, under the key ``top-up-<public id>`` (``TopUp.transaction`` is set in the
  same database transaction), whether the ``payment_intent.succeeded`` webhook arrives once, twice or twice at
  the same moment, or a finance officer records a bank transfer twice;
- a PaymentIntent belongs to one top-up (unique ``payment_intent_id``) and is created with the idempotency
  key ``top-up-<public id>``;
- each refund posts its own ledger movement under ``top-up-refund-<refund public id>`` (ours) or
  ``top-up-refund-<Stripe refund id>`` (one made in Stripe's dashboard); a Stripe refund id is recorded once;
- a refund refused by Stripe, or failed later, is reversed once, under ``top-up-refund-<refund public id>-undone``
  (``TopUpRefund.reversal``), and only while the refund is not yet marked failed.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from accounts.fields import EncryptedTextField


class TopUpReason(models.TextChoices):
    DEARER_OPTION = "dearer_option", "A dearer option than the plan allows"
    CONTRIBUTION = "contribution", "An assessed contribution"


class TopUpMethod(models.TextChoices):
    CARD = "card", "Card"
    BANK_TRANSFER = "bank_transfer", "Bank transfer"


class TopUpStatus(models.TextChoices):
    WAITING = "waiting", "Waiting for the money"
    PAID = "paid", "Paid in"
    FAILED = "failed", "Card payment failed"
    PART_REFUNDED = "part_refunded", "Part refunded"
    REFUNDED = "refunded", "Refunded"


# Which status may follow which. A failed card payment may still succeed: the family tries again with the
# same PaymentIntent, and Stripe then sends payment_intent.succeeded. A refund Stripe accepted may still fail
# (the card was closed meanwhile): the money is back in the budget, and the top-up paid in again, in part or
# in full.
TOP_UP_TRANSITIONS: dict[str, frozenset[str]] = {
    TopUpStatus.WAITING: frozenset({TopUpStatus.PAID, TopUpStatus.FAILED}),
    TopUpStatus.FAILED: frozenset({TopUpStatus.PAID, TopUpStatus.WAITING}),
    TopUpStatus.PAID: frozenset({TopUpStatus.PART_REFUNDED, TopUpStatus.REFUNDED}),
    TopUpStatus.PART_REFUNDED: frozenset({TopUpStatus.PART_REFUNDED, TopUpStatus.REFUNDED, TopUpStatus.PAID}),
    TopUpStatus.REFUNDED: frozenset({TopUpStatus.PAID, TopUpStatus.PART_REFUNDED}),
}
REFUNDABLE_STATUSES = (TopUpStatus.PAID, TopUpStatus.PART_REFUNDED)


class TopUpSettings(models.Model):
    """How families pay a council: its Stripe publishable key (for the card form) and the bank account that
    receives top-ups by transfer. The secret key is the council's payment settings' own."""

    council = models.OneToOneField("accounts.Organisation", on_delete=models.CASCADE, related_name="top_up_settings")
    stripe_publishable_key = models.CharField(
        max_length=200, blank=True, help_text="pk_live_… or pk_test_…, from the same Stripe account as the secret key"
    )
    bank_account_name = models.CharField(max_length=70, blank=True)
    bank_sort_code = EncryptedTextField(blank=True)
    bank_account_number = EncryptedTextField(blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "top-up settings"

    def __str__(self) -> str:
        return f"Top-up settings of {self.council}"

    @property
    def takes_bank_transfers(self) -> bool:
        return bool(self.bank_account_name and self.bank_sort_code and self.bank_account_number)


class TopUp(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    council = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="top_ups")
    allocation = models.ForeignKey("brokerage.Allocation", on_delete=models.PROTECT, related_name="top_ups")
    reason = models.CharField(max_length=20, choices=TopUpReason.choices)
    plan_line = models.ForeignKey(
        "brokerage.PlanLine",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The plan line the dearer option is for",
    )
    offer = models.ForeignKey(
        "providers.Offer",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The dearer option chosen",
    )
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    currency = models.CharField(max_length=3, default="GBP", editable=False)
    method = models.CharField(max_length=20, choices=TopUpMethod.choices)
    reference = models.CharField(max_length=12, unique=True, help_text="Quoted on a bank transfer, e.g. TU-7K3M9QXD")
    payment_intent_id = models.CharField(max_length=64, blank=True)
    status = models.CharField(max_length=20, choices=TopUpStatus.choices, default=TopUpStatus.WAITING)
    failure_reason = models.CharField(max_length=300, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    paid_at = models.DateTimeField(null=True, blank=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The finance officer who recorded a bank transfer",
    )
    transaction = models.OneToOneField(
        "brokerage.LedgerTransaction", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["payment_intent_id"], condition=~Q(payment_intent_id=""), name="one_top_up_per_payment_intent"
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="top_up_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"Top-up {self.reference}"

    @property
    def person(self):  # type: ignore[no-untyped-def]
        return self.allocation.budget.person

    @property
    def ledger_key(self) -> str:
        return f"top-up-{self.public_id}"


class TopUpStatusChange(models.Model):
    top_up = models.ForeignKey(TopUp, on_delete=models.CASCADE, related_name="status_changes")
    old_status = models.CharField(max_length=20, choices=TopUpStatus.choices)
    new_status = models.CharField(max_length=20, choices=TopUpStatus.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    reason = models.CharField(max_length=300, blank=True)
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["changed_at", "id"]


class RefundStatus(models.TextChoices):
    REQUESTED = "requested", "Asked of Stripe"
    DONE = "done", "Refunded"
    FAILED = "failed", "Refused by Stripe"


class TopUpRefund(models.Model):
    """Money of a top-up given back: by Stripe for a card payment, by the council's own bank for a transfer."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    top_up = models.ForeignKey(TopUp, on_delete=models.PROTECT, related_name="refunds")
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    reason = models.CharField(max_length=300)
    status = models.CharField(max_length=20, choices=RefundStatus.choices, default=RefundStatus.REQUESTED)
    stripe_refund_id = models.CharField(max_length=64, blank=True)
    failure_reason = models.CharField(max_length=300, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Empty for a refund made in Stripe's dashboard",
    )
    created_at = models.DateTimeField(default=timezone.now)
    transaction = models.OneToOneField(
        "brokerage.LedgerTransaction", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reversal = models.OneToOneField(
        "brokerage.LedgerTransaction", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["stripe_refund_id"], condition=~Q(stripe_refund_id=""), name="one_row_per_stripe_refund"
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="top_up_refund_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"Refund of £{self.amount:,.2f} from {self.top_up}"
