"""Paying out: who is paid (payees and their bank accounts), payment runs, the payments in them and the
items each payment settles, and what Stripe tells us (webhook events, connected accounts).

Exactly once, by construction:
- an approved invoice, a direct-payment or service-fund instalment or an approved one-off purchase is in at most one
  *live* payment item at a time (partial unique constraints below); an item whose payment the bank
  rejected or returned is no longer live, so the thing it paid can go into a later run;
- each item posts its ledger movement with a key made from the item's own id, so a resumed run cannot
  post it twice (the ledger refuses a second posting under a key);
- each Stripe transfer carries an idempotency key made from the payment's id and the run's transfer group.

A payee is one of four kinds of party; exactly one of the four ``*_id`` fields is set, on bank accounts,
connected accounts and payments alike (``PayeeFields``).
"""

import operator
import uuid
from functools import reduce

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from accounts.fields import EncryptedTextField

PAYEE_FIELDS = ("provider_organisation", "personal_assistant", "family", "one_off_purchase")
LIVE_ITEM_STATUSES = ("pending", "sent", "paid")


def _exactly_one_payee() -> Q:
    condition = Q()
    for field in PAYEE_FIELDS:
        others = {f"{other}__isnull": True for other in PAYEE_FIELDS if other != field}
        condition |= Q(**{f"{field}__isnull": False}, **others)
    return condition


class PayeeKind(models.TextChoices):
    PROVIDER = "provider", "Provider"
    PERSONAL_ASSISTANT = "personal_assistant", "Personal assistant"
    FAMILY = "family", "Family (direct payments)"
    ONE_OFF = "one_off", "One-off supplier or reimbursement"


class PayeeFields(models.Model):
    """Who is paid: a provider organisation, a self-employed PA, a family's direct-payment account (held
    for the person supported), or whoever a one-off purchase pays (a new supplier, or the person who paid
    and is reimbursed)."""

    provider_organisation = models.ForeignKey(
        "accounts.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    personal_assistant = models.ForeignKey(
        "providers.PersonalAssistantProfile", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    family = models.ForeignKey(
        "brokerage.PersonSupported",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The direct-payment account held for this person",
    )
    one_off_purchase = models.ForeignKey(
        "marketplace.OneOffPurchase", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        abstract = True

    @property
    def payee_kind(self) -> str:
        if self.provider_organisation_id:
            return PayeeKind.PROVIDER
        if self.personal_assistant_id:
            return PayeeKind.PERSONAL_ASSISTANT
        if self.family_id:
            return PayeeKind.FAMILY
        return PayeeKind.ONE_OFF

    @property
    def payee_filter(self) -> dict[str, int]:
        """Keyword arguments that find other rows for the same payee."""
        return {f"{field}_id": getattr(self, f"{field}_id") for field in PAYEE_FIELDS if getattr(self, f"{field}_id")}


# --- Bank accounts -------------------------------------------------------------------------------------


class BankAccountStatus(models.TextChoices):
    AWAITING_CALLBACK = "awaiting_callback", "Waiting for a finance officer to call the payee back"
    AWAITING_APPROVAL = "awaiting_approval", "Call-back recorded, waiting for a second finance officer"
    VERIFIED = "verified", "Verified"
    REJECTED = "rejected", "Rejected"
    REPLACED = "replaced", "Replaced by newer details"


class BankAccount(PayeeFields):
    """A payee's bank details. Entering or changing them creates a new row that is not used until a finance
    officer has called the payee back on a number already on record and a second finance officer has
    approved it (mandate fraud: a changed account is the classic way money is stolen). Until then payments
    to the payee are held. Sort code and account number are encrypted; only the masked copies are shown."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    council = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="payee_bank_accounts",
        help_text="The council whose finance officers verify these details",
    )
    account_name = models.CharField(max_length=70, help_text="The name on the account, as the bank has it")
    sort_code = EncryptedTextField()
    account_number = EncryptedTextField()
    sort_code_masked = models.CharField(max_length=8, editable=False)
    account_number_masked = models.CharField(max_length=12, editable=False)
    building_society_roll = models.CharField("building society roll number", max_length=18, blank=True)
    status = models.CharField(
        max_length=20, choices=BankAccountStatus.choices, default=BankAccountStatus.AWAITING_CALLBACK
    )
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    entered_at = models.DateTimeField(default=timezone.now)
    callback_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    callback_at = models.DateTimeField(null=True, blank=True)
    callback_note = models.TextField(
        blank=True, help_text="Who was called, on which number from our records, and what they confirmed"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-entered_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=_exactly_one_payee(), name="bank_account_has_one_payee"),
            models.CheckConstraint(
                condition=~Q(status="verified") | (Q(callback_by__isnull=False) & Q(decided_by__isnull=False)),
                name="verified_bank_account_was_called_back_and_approved",
            ),
            models.CheckConstraint(
                condition=Q(callback_by__isnull=True)
                | Q(decided_by__isnull=True)
                | ~Q(callback_by=models.F("decided_by")),
                name="bank_account_two_finance_officers",
            ),
            *(
                models.UniqueConstraint(
                    fields=[field],
                    condition=Q(status="verified", **{f"{field}__isnull": False}),
                    name=f"one_verified_bank_account_per_{field}",
                )
                for field in PAYEE_FIELDS
            ),
        ]

    def __str__(self) -> str:
        return f"{self.account_name}, {self.sort_code_masked} {self.account_number_masked}"


# --- Council payment settings ----------------------------------------------------------------------


class Gateway(models.TextChoices):
    PAYMENT_FILE = "payment_file", "Payment file for the council's finance system"
    STRIPE_CONNECT = "stripe_connect", "Stripe Connect transfers"


class PaymentSettings(models.Model):
    """How one council pays. The payment file is the default and always pays direct payments to families;
    Stripe Connect pays providers and PAs that have a connected account once the council has set its own
    Stripe keys (or the deployment's environment defaults, for a single-council deployment)."""

    council = models.OneToOneField("accounts.Organisation", on_delete=models.CASCADE, related_name="payment_settings")
    gateway = models.CharField(max_length=20, choices=Gateway.choices, default=Gateway.PAYMENT_FILE)
    stripe_secret_key = EncryptedTextField(blank=True)
    stripe_webhook_secret = EncryptedTextField(blank=True)
    stripe_api_base = models.URLField(blank=True, help_text="Only to point at a test double; empty means Stripe")
    finance_code = models.CharField(
        max_length=30, blank=True, help_text="Cost-centre code put on every line of the payment file"
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Payment settings of {self.council}"


# --- Payment runs -------------------------------------------------------------------------------------


class RunStatus(models.TextChoices):
    PREPARED = "prepared", "Prepared, waiting for a second finance officer to authorise it"
    AUTHORISED = "authorised", "Authorised, ready to pay"
    PAYING = "paying", "Paying"
    SENT = "sent", "Sent, waiting for the bank's confirmation"
    COMPLETED = "completed", "Completed"
    CANCELLED = "cancelled", "Cancelled"


class PaymentRun(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    council = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="payment_runs")
    reference = models.CharField(max_length=20, help_text="e.g. PR-2026-0007, on the bank statement")
    status = models.CharField(max_length=20, choices=RunStatus.choices, default=RunStatus.PREPARED)
    pay_on = models.DateField(help_text="A banking working day")
    total = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    item_count = models.PositiveIntegerField(default=0)
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    prepared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    prepared_at = models.DateTimeField(default=timezone.now)
    authorised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    authorised_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    cancel_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-prepared_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["council", "reference"], name="payment_run_reference_unique"),
            models.CheckConstraint(
                condition=Q(authorised_by__isnull=True) | ~Q(authorised_by=models.F("prepared_by")),
                name="payment_run_dual_authorisation",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def transfer_group(self) -> str:
        """Stripe's transfer_group for every transfer of this run: how a resumed run finds them."""
        return f"run-{self.public_id}"


class PaymentMethod(models.TextChoices):
    PAYMENT_FILE = "payment_file", "Payment file"
    STRIPE_TRANSFER = "stripe_transfer", "Stripe transfer"


class PaymentStatus(models.TextChoices):
    HELD = "held", "Held: bank details not yet verified"
    PENDING = "pending", "Waiting to be sent"
    SENT = "sent", "Sent"
    PAID = "paid", "Paid"
    REJECTED = "rejected", "Rejected by the bank"
    RETURNED = "returned", "Returned by the bank"
    FAILED = "failed", "Failed"


class Payment(PayeeFields):
    """One payee's money in one run: the sum of its items, one bank line or one Stripe transfer."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    run = models.ForeignKey(PaymentRun, on_delete=models.PROTECT, related_name="payments")
    method = models.CharField(max_length=20, choices=PaymentMethod.choices)
    bank_account = models.ForeignKey(
        BankAccount, null=True, blank=True, on_delete=models.PROTECT, related_name="payments"
    )
    connected_account = models.ForeignKey(
        "marketplace.ConnectedAccount", null=True, blank=True, on_delete=models.PROTECT, related_name="payments"
    )
    payee_name = models.CharField(max_length=200)
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    remittance_reference = models.CharField(max_length=18, help_text="What the payee's bank statement shows")
    status = models.CharField(max_length=20, choices=PaymentStatus.choices, default=PaymentStatus.PENDING)
    stripe_transfer_id = models.CharField(max_length=64, blank=True)
    failure_reason = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    remittance_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["run", "payee_name", "id"]
        constraints = [
            models.CheckConstraint(condition=_exactly_one_payee(), name="payment_has_one_payee"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_is_more_than_nothing"),
        ]

    def __str__(self) -> str:
        return f"£{self.amount:,.2f} to {self.payee_name} in {self.run}"

    @property
    def idempotency_key(self) -> str:
        return f"{self.run.transfer_group}-payment-{self.public_id}"


class ItemStatus(models.TextChoices):
    PENDING = "pending", "Waiting to be paid"
    SENT = "sent", "Sent"
    PAID = "paid", "Paid"
    RETURNED = "returned", "Returned: payable again"


ITEM_FIELDS = ("invoice", "instalment", "purchase", "isf_instalment")


def _pays_one_thing() -> Q:
    conditions = [
        Q(**{f"{field}__isnull": False}, **{f"{other}__isnull": True for other in ITEM_FIELDS if other != field})
        for field in ITEM_FIELDS
    ]
    return reduce(operator.or_, conditions)


class PaymentItem(models.Model):
    """One thing a payment pays: an approved invoice, a due direct-payment instalment, an approved
    one-off purchase, or a due instalment of an individual service fund."""

    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="items")
    run = models.ForeignKey(PaymentRun, on_delete=models.PROTECT, related_name="items")
    invoice = models.ForeignKey(
        "marketplace.Invoice", null=True, blank=True, on_delete=models.PROTECT, related_name="payment_items"
    )
    instalment = models.ForeignKey(
        "brokerage.DirectPaymentInstalment",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="payment_items",
    )
    purchase = models.ForeignKey(
        "marketplace.OneOffPurchase", null=True, blank=True, on_delete=models.PROTECT, related_name="payment_items"
    )
    isf_instalment = models.ForeignKey(
        "brokerage.ServiceFundInstalment",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="payment_items",
    )
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    description = models.CharField(max_length=200)
    status = models.CharField(max_length=20, choices=ItemStatus.choices, default=ItemStatus.PENDING)
    transaction = models.OneToOneField(
        "brokerage.LedgerTransaction", null=True, blank=True, on_delete=models.PROTECT, related_name="payment_item"
    )
    reversal = models.OneToOneField(
        "brokerage.LedgerTransaction", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["payment", "id"]
        constraints = [
            models.CheckConstraint(condition=_pays_one_thing(), name="payment_item_pays_one_thing"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_item_is_more_than_nothing"),
            *(
                models.UniqueConstraint(
                    fields=[field],
                    condition=Q(status__in=LIVE_ITEM_STATUSES, **{f"{field}__isnull": False}),
                    name=f"one_live_payment_item_per_{field}",
                )
                for field in ITEM_FIELDS
            ),
        ]

    def __str__(self) -> str:
        return self.description

    @property
    def ledger_key(self) -> str:
        return self.ledger_key_of(self.pk)

    @staticmethod
    def ledger_key_of(pk: int) -> str:
        """The idempotency key of the ledger movement that pays the item with this key."""
        return f"payment-item-{pk}-pay"


# --- Stripe ---------------------------------------------------------------------------------------


class ConnectedAccount(models.Model):
    """A provider's or PA's Stripe Express account, connected to one council's platform account. Its state
    comes from ``account.updated`` webhooks; transfers go to it only when payouts are enabled."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    council = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="connected_accounts")
    provider_organisation = models.ForeignKey(
        "accounts.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    personal_assistant = models.ForeignKey(
        "providers.PersonalAssistantProfile", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    stripe_account_id = models.CharField(max_length=64, unique=True)
    details_submitted = models.BooleanField(default=False)
    charges_enabled = models.BooleanField(default=False)
    payouts_enabled = models.BooleanField(default=False)
    requirements_due = models.JSONField(default=list, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["council", "created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(provider_organisation__isnull=False, personal_assistant__isnull=True)
                | Q(provider_organisation__isnull=True, personal_assistant__isnull=False),
                name="connected_account_has_one_owner",
            ),
            models.UniqueConstraint(
                fields=["council", "provider_organisation"],
                condition=Q(provider_organisation__isnull=False),
                name="one_connected_account_per_council_and_provider",
            ),
            models.UniqueConstraint(
                fields=["council", "personal_assistant"],
                condition=Q(personal_assistant__isnull=False),
                name="one_connected_account_per_council_and_pa",
            ),
        ]

    def __str__(self) -> str:
        return self.stripe_account_id

    @property
    def can_receive_transfers(self) -> bool:
        return self.payouts_enabled and self.details_submitted


class EventOutcome(models.TextChoices):
    RECEIVED = "received", "Received, not yet handled"
    HANDLED = "handled", "Handled"
    IGNORED = "ignored", "Not a kind we act on"
    FAILED = "failed", "The handler failed"


class StripeEvent(models.Model):
    """Every webhook Stripe sent, stored raw under its event id before anything is done with it: the id is
    unique, so a duplicate (even two at once) is recognised and handled once."""

    event_id = models.CharField(max_length=64, unique=True)
    council = models.ForeignKey(
        "accounts.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="stripe_events"
    )
    type = models.CharField(max_length=80)
    stripe_account = models.CharField(max_length=64, blank=True, help_text="The connected account it is about")
    created = models.DateTimeField(help_text="When Stripe created the event")
    payload = models.JSONField()
    received_at = models.DateTimeField(default=timezone.now)
    deliveries = models.PositiveIntegerField(default=1)
    outcome = models.CharField(max_length=20, choices=EventOutcome.choices, default=EventOutcome.RECEIVED)
    outcome_detail = models.TextField(blank=True)
    handled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        indexes = [models.Index(fields=["type", "created"])]

    def __str__(self) -> str:
        return f"{self.type} {self.event_id}"
