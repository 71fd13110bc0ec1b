"""Payment runs: a finance officer prepares one, a second authorises it, it pays, the bank confirms.

Exactly once:
- preparing locks the council (one preparation per council at a time) and the candidate rows, and records
  each as a *live* payment item; the partial unique constraints on live items refuse a second live item for
  the same invoice, instalment or purchase even if two preparations raced past the locks;
- executing pays each payment in its own short transaction holding the payment's row lock: the ledger
  movements of its items (each keyed by the item), the items and what they pay marked, the payment marked.
  A run killed part-way has whole payments done and the rest untouched; running it again skips the done
  ones, and a second executor of the same run waits on the lock and then finds the payment done;
- a Stripe transfer carries the payment's idempotency key; a resumed run first asks Stripe which transfers
  of its group exist and records those instead of sending again.

Held payees (no verified bank account, or new details waiting for verification) stay in the run, shown but
not paid; their items stay live while the run is open, so that no other run pays them through the details
being checked, and are released (payable again) when the run completes or is cancelled.
"""

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import (
    CharField,
    DateTimeField,
    IntegerField,
    Model,
    OuterRef,
    QuerySet,
    Subquery,
    TextField,
    Value,
)
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from accounts.bulk import rows_insert
from accounts.events import audit_record
from accounts.models import Organisation, User
from accounts.notifications import notification_send_many
from brokerage import ledger
from brokerage.exceptions import BrokerageError, TransitionNotAllowed
from brokerage.models import (
    AccountKind,
    Allocation,
    DirectPaymentInstalment,
    LedgerAccount,
    LedgerTransaction,
    Outcome,
    ServiceFundInstalment,
    TransactionKind,
)
from brokerage.services.direct_payments import dp_instalment_pay
from brokerage.services.service_funds import isf_instalment_pay, isf_instalment_unpay
from marketplace.models import Invoice, InvoiceStatus, InvoiceStatusChange, OneOffPurchase, Order
from marketplace.payments import stripe_gateway
from marketplace.payments.bank_accounts import Payee, finance_officers_of, payee_people
from marketplace.payments.exceptions import GatewayError, PaymentError, SeparationOfDuties
from marketplace.payments.models import (
    PAYEE_FIELDS,
    BankAccount,
    BankAccountStatus,
    ItemStatus,
    Payment,
    PaymentItem,
    PaymentMethod,
    PaymentRun,
    PaymentStatus,
    RunStatus,
)
from marketplace.payments.payees import AWAITING_STATUSES
from marketplace.payments.selectors import PayeeGroup, Preview, payee_groups
from marketplace.payments.working_days import next_banking_day
from providers.models import TaxonomyTerm

Progress = Callable[[int, int], None]

RUN_TRANSITIONS: dict[str, frozenset[str]] = {
    RunStatus.PREPARED: frozenset({RunStatus.AUTHORISED, RunStatus.CANCELLED}),
    RunStatus.AUTHORISED: frozenset({RunStatus.PAYING, RunStatus.CANCELLED}),
    RunStatus.PAYING: frozenset({RunStatus.SENT, RunStatus.COMPLETED}),
    RunStatus.SENT: frozenset({RunStatus.COMPLETED}),
    RunStatus.COMPLETED: frozenset(),
    RunStatus.CANCELLED: frozenset(),
}
OUTCOMES = {"paid": PaymentStatus.PAID, "rejected": PaymentStatus.REJECTED, "returned": PaymentStatus.RETURNED}
UNDONE_PAYMENT_STATUSES = (PaymentStatus.REJECTED, PaymentStatus.RETURNED)


ITEMS_PER_INSERT = 2000
STATUS_CHANGE_COLUMNS = ("invoice", "old_status", "new_status", "actor", "reason", "created_at")


# --- Status ----------------------------------------------------------------------------------------


def _run_lock(run: PaymentRun) -> PaymentRun:
    return PaymentRun.objects.select_for_update(of=("self",)).select_related("council").get(pk=run.pk)


def run_set_status(*, run: PaymentRun, new_status: str, actor: User | None, reason: str = "") -> PaymentRun:
    """The one place a run's status changes; the caller holds the run's row lock. The audit row is its
    history (old, new, who, why, when)."""
    old_status = run.status
    if new_status not in RUN_TRANSITIONS[old_status]:
        raise TransitionNotAllowed(
            f"A run that is {RunStatus(old_status).label.lower()} cannot become {RunStatus(new_status).label.lower()}"
        )
    run.status = new_status
    now = timezone.now()
    stamps = {
        RunStatus.AUTHORISED: {"authorised_by": actor, "authorised_at": now},
        RunStatus.PAYING: {"started_at": run.started_at or now},
        RunStatus.SENT: {"sent_at": now},
        RunStatus.COMPLETED: {"completed_at": now},
        RunStatus.CANCELLED: {"cancelled_by": actor, "cancel_reason": reason},
    }[new_status]
    for name, value in stamps.items():
        setattr(run, name, value)
    run.full_clean()
    run.save(update_fields=["status", *stamps])
    audit_record(
        actor=actor,
        action=f"payment_run.{new_status}",
        target=run,
        summary=f"Payment run {run.reference}: {RunStatus(old_status).label} → {RunStatus(new_status).label}",
        council=run.council,
        reason=reason,
        data={"old_status": old_status, "new_status": new_status},
    )
    return run


# --- Preparing ---------------------------------------------------------------------------------------


def pay_on_choose(requested: date | None) -> date:
    """The run's payment date: the requested day, or today, moved on to a banking day if it is not one."""
    today = timezone.localdate()
    if requested is not None and requested < today:
        raise ValidationError({"pay_on": "The payment date must be today or in the future"})
    return next_banking_day(requested or today)


def _next_reference(council: Organisation) -> str:
    year = timezone.localdate().year
    number = PaymentRun.objects.filter(council=council, reference__startswith=f"PR-{year}-").count() + 1
    return f"PR-{year}-{number:04d}"


@transaction.atomic
def run_prepare(
    *, council: Organisation, actor: User, pay_on: date | None = None, progress: Progress | None = None
) -> PaymentRun:
    """Collect what is due for the council, one payment per payee, for a second finance officer to
    authorise. ``pay_on`` is moved to the next banking day if it is not one: compare ``run.pay_on``."""
    # One preparation per council at a time: the reference's number and the candidates are decided under it.
    Organisation.objects.select_for_update().filter(pk=council.pk).first()
    requested = pay_on
    pay_on = pay_on_choose(pay_on)
    groups = payee_groups(council=council, pay_on=pay_on, lock=True)
    if not groups:
        raise ValidationError("There is nothing to pay")
    run = PaymentRun(council=council, reference=_next_reference(council), pay_on=pay_on, prepared_by=actor)
    run.full_clean()
    run.save()
    try:
        with transaction.atomic():
            _payments_create(run, groups, progress)
    except IntegrityError as error:
        raise PaymentError(
            "Another payment run took some of these payments at the same moment: prepare the run again"
        ) from error
    preview = Preview(pay_on=pay_on, groups=groups)
    run.total, run.item_count = preview.total, preview.item_count
    run.progress_total = run.item_count
    run.save(update_fields=["total", "item_count", "progress_total"])
    moved = f" (moved from {requested:%-d %B %Y}, not a banking day)" if requested and requested != pay_on else ""
    held = len(preview.held)
    audit_record(
        actor=actor,
        action="payment_run.prepared",
        target=run,
        summary=f"Payment run {run.reference} prepared: £{run.total:,.2f} to {len(groups) - held} payees on "
        f"{pay_on:%-d %B %Y}{moved}, {held} held",
        council=council,
        data={"pay_on": pay_on.isoformat(), "requested_pay_on": requested.isoformat() if requested else ""},
    )
    notification_send_many(
        recipients=[user for user in finance_officers_of(council) if user.pk != actor.pk],
        subject=f"Payment run {run.reference} waits for your authorisation",
        body=f"{actor} prepared a run of £{run.total:,.2f} to be paid on {pay_on:%-d %B %Y}. "
        "A second finance officer must check and authorise it.",
    )
    return run


def _payments_create(run: PaymentRun, groups: list[PayeeGroup], progress: Progress | None) -> None:
    payments = [
        Payment(
            run=run,
            **group.payee.filter,
            method=group.method,
            bank_account=group.bank_account,
            connected_account=group.connected_account,
            payee_name=group.name,
            amount=group.total,
            remittance_reference=f"{run.reference}-{number:05d}",
            status=PaymentStatus.HELD if group.held else PaymentStatus.PENDING,
        )
        for number, group in enumerate(groups, start=1)
    ]
    Payment.objects.bulk_create(payments)
    # Rows rather than model instances (accounts.bulk.rows_insert): building and compiling ten thousand items cost
    # more than inserting them.
    items = [
        {
            "payment_id": payment.pk,
            "run_id": run.pk,
            "invoice_id": _pk(payable.invoice),
            "instalment_id": _pk(payable.instalment),
            "purchase_id": _pk(payable.purchase),
            "isf_instalment_id": _pk(payable.isf_instalment),
            "amount": payable.amount,
            "description": payable.description,
        }
        for payment, group in zip(payments, groups, strict=True)
        for payable in group.payables
    ]
    # A few large inserts rather than one per payee (a run pays a hundred providers a hundred invoices each),
    # in slices so that the progress bar moves.
    for start in range(0, len(items), ITEMS_PER_INSERT):
        rows_insert(PaymentItem, items[start : start + ITEMS_PER_INSERT])
        if progress is not None:
            progress(min(start + ITEMS_PER_INSERT, len(items)), len(items))


def _pk(record: Model | None) -> int | None:
    return None if record is None else record.pk


# --- Authorising and cancelling ---------------------------------------------------------------------


def _decided_by(run: PaymentRun, actor: User) -> list[str]:
    invoices = Invoice.objects.filter(payment_items__run=run, decided_by=actor).values_list("number", flat=True)
    purchases = OneOffPurchase.objects.filter(payment_items__run=run, decided_by=actor).values_list(
        "description", flat=True
    )
    return [f"invoice {number}" for number in invoices] + [f"one-off purchase '{text}'" for text in purchases]


@transaction.atomic
def run_authorise(*, run: PaymentRun, actor: User) -> PaymentRun:
    """A second finance officer authorises a prepared run: not who prepared it, nor anyone who approved
    something it pays (the caller checks that ``actor`` is a finance officer of the run's council)."""
    run = _run_lock(run)
    if run.status != RunStatus.PREPARED:
        raise TransitionNotAllowed("Only a prepared run waiting for authorisation can be authorised")
    if actor.pk == run.prepared_by_id:
        raise SeparationOfDuties("You prepared this run: a second finance officer must authorise it")
    decided = _decided_by(run, actor)
    if decided:
        shown = ", ".join(decided[:5]) + (f" and {len(decided) - 5} more" if len(decided) > 5 else "")
        raise SeparationOfDuties(
            f"You approved {shown}, which this run pays: another finance officer must authorise it"
        )
    run_set_status(run=run, new_status=RunStatus.AUTHORISED, actor=actor)
    notification_send_many(
        recipients=[run.prepared_by],
        subject=f"Payment run {run.reference} authorised",
        body=f"{actor} authorised it. It can be paid now.",
    )
    return run


@transaction.atomic
def run_cancel(*, run: PaymentRun, actor: User, reason: str) -> PaymentRun:
    """Cancel a run before it pays; everything in it becomes payable again."""
    run = _run_lock(run)
    if run.status not in (RunStatus.PREPARED, RunStatus.AUTHORISED):
        raise TransitionNotAllowed("Only a run that has not started paying can be cancelled")
    if not reason.strip():
        raise ValidationError({"reason": "Say why you are cancelling the run"})
    run.items.filter(status=ItemStatus.PENDING).update(status=ItemStatus.RETURNED)
    return run_set_status(run=run, new_status=RunStatus.CANCELLED, actor=actor, reason=reason)


# --- Paying -----------------------------------------------------------------------------------------


@dataclass
class _Known:
    """What paying one payment after another in a run reads once rather than per payment: the allocations the
    items spend from (with budget, council and stream) and their provider-payable and spent accounts. A hundred
    payees' invoices spread over the same budgets would otherwise load the same rows a hundred times. Nothing
    here is a balance: the ledger locks the accounts and reads their balances in each payment's transaction."""

    allocations: dict[int, Allocation] = field(default_factory=dict)
    accounts: dict[int, tuple[LedgerAccount, LedgerAccount]] = field(default_factory=dict)

    def forget(self) -> None:
        """After a payment failed: accounts its transaction created are gone with it."""
        self.allocations.clear()
        self.accounts.clear()

    def allocations_load(self, pks: set[int]) -> None:
        wanted = pks - set(self.allocations)
        if not wanted:
            return
        self.allocations.update(Allocation.objects.select_related("budget__council", "stream").in_bulk(wanted))
        kinds = (AccountKind.PROVIDER_PAYABLE, AccountKind.SPENT)
        found = ledger.allocation_accounts([self.allocations[pk] for pk in wanted], kinds)
        self.accounts.update({pk: (found[pk, kinds[0]], found[pk, kinds[1]]) for pk in wanted})


def run_execute(*, run: PaymentRun, actor: User | None = None, progress: Progress | None = None) -> PaymentRun:
    """Pay an authorised run, or resume one that stopped part-way. Safe to run twice, even at once."""
    run, resumed = _paying_start(run, actor)
    pending = list(run.payments.filter(status=PaymentStatus.PENDING).order_by("pk").values_list("pk", flat=True))
    total, done = _progress_of(run)
    already = _transfers_already_made(run) if resumed else {}
    known = _Known()
    for payment_pk in pending:
        paid_now = _payment_pay(payment_pk, actor=actor, already=already, known=known)
        # Nothing paid here means another executor paid it: count again rather than lag behind it.
        total, done = (total, done + paid_now) if paid_now else _progress_of(run)
        PaymentRun.objects.filter(pk=run.pk).update(progress_done=done, progress_total=total)
        if progress is not None:
            progress(done, total)
    return _paying_finish(run, actor)


def _progress_of(run: PaymentRun) -> tuple[int, int]:
    """Items to pay in the run (held payees' left out) and how many of them have been dealt with."""
    to_pay = PaymentItem.objects.filter(run=run).exclude(payment__status=PaymentStatus.HELD)
    return to_pay.count(), to_pay.exclude(payment__status=PaymentStatus.PENDING).count()


def run_start_paying(*, run: PaymentRun, actor: User | None) -> PaymentRun:
    """Mark an authorised run as paying before its background task starts, so that its page shows the
    progress bar at once (0 of N) instead of "Authorised" and the Pay button until a worker picks it up.
    The task then carries on as a resumption: it pays only what is still pending, after asking Stripe
    which transfers of the run exist (none, the first time)."""
    run, _ = _paying_start(run, actor)
    return run


@transaction.atomic
def _paying_start(run: PaymentRun, actor: User | None) -> tuple[PaymentRun, bool]:
    """The run, PAYING, and whether it had started before (a resumption)."""
    run = _run_lock(run)
    if run.status == RunStatus.AUTHORISED:
        return run_set_status(run=run, new_status=RunStatus.PAYING, actor=actor), False
    if run.status != RunStatus.PAYING:
        raise TransitionNotAllowed("Only an authorised run can be paid")
    return run, True


def _transfers_already_made(run: PaymentRun) -> dict[str, str]:
    """Transfers a killed run made before it could record them (asked only when it has Stripe payments)."""
    waiting = run.payments.filter(method=PaymentMethod.STRIPE_TRANSFER, status=PaymentStatus.PENDING)
    if not waiting.exists():
        return {}
    return stripe_gateway.transfers_already_made(run=run)


@transaction.atomic
def _payment_pay(payment_pk: int, *, actor: User | None, already: dict[str, str], known: _Known | None = None) -> int:
    """Pay one payment; returns how many of its items were dealt with (0 if another executor had)."""
    payment = Payment.objects.select_for_update(of=("self",)).select_related("run__council").get(pk=payment_pk)
    if payment.status != PaymentStatus.PENDING:
        return 0
    if payment.method == PaymentMethod.PAYMENT_FILE and not _details_still_verified(payment):
        _payment_hold(payment)
        return 0
    items = _items_of(payment)
    try:
        with transaction.atomic():
            _items_pay(payment, items, actor, known or _Known())
            if payment.method == PaymentMethod.STRIPE_TRANSFER:
                _transfer(payment, already)
            else:
                _payment_mark(payment, PaymentStatus.SENT)
    except (GatewayError, BrokerageError, ValidationError) as error:
        if known is not None:
            known.forget()  # ledger accounts it made were rolled back with the payment
        _payment_fail(payment, error)
    return len(items)


@dataclass(frozen=True, slots=True)
class _Item:
    """One payment item as paying reads it: a row, not a model instance (a run pays ten thousand), with what
    its invoice's order gives the ledger movement (allocation, reference, the plan line's outcome and category)."""

    pk: int
    invoice_id: int | None
    instalment_id: int | None
    purchase_id: int | None
    isf_instalment_id: int | None
    amount: Decimal
    description: str
    allocation_id: int | None
    order_public_id: UUID | None
    outcome_id: int | None
    category_id: int | None

    @property
    def ledger_key(self) -> str:
        return PaymentItem.ledger_key_of(self.pk)

    @property
    def is_spend(self) -> bool:
        """An invoice or a one-off purchase: approved money payable → spent. Instalments move money of their own."""
        return bool(self.invoice_id or self.purchase_id)


ITEM_COLUMNS = (
    "pk",
    "invoice_id",
    "instalment_id",
    "purchase_id",
    "isf_instalment_id",
    "amount",
    "description",
    "invoice__order__allocation_id",
    "invoice__order__public_id",
    "invoice__order__plan_line__outcome_id",
    "invoice__order__plan_line__category_id",
)


def _items_of(payment: Payment) -> list[_Item]:
    """The payment's items in one query of the columns paying needs: building a model instance for each item
    and each invoice's order made a large part of a run's time."""
    return [_Item(*row) for row in payment.items.order_by("pk").values_list(*ITEM_COLUMNS)]


def _details_still_verified(payment: Payment) -> bool:
    """The details the run was prepared with are still the payee's verified ones, with no change waiting
    (``payee_bank_account`` and ``payee_change_pending`` in one query, by the payee's key)."""
    name = next(name for name in PAYEE_FIELDS if getattr(payment, f"{name}_id"))
    accounts = BankAccount.objects.filter(
        status__in=(BankAccountStatus.VERIFIED, *AWAITING_STATUSES), **{f"{name}_id": getattr(payment, f"{name}_id")}
    ).values_list("pk", "status")
    verified = [pk for pk, status in accounts if status == BankAccountStatus.VERIFIED]
    pending = any(status in AWAITING_STATUSES for _, status in accounts)
    return verified == [payment.bank_account_id] and not pending


def _payment_hold(payment: Payment) -> None:
    payment.status = PaymentStatus.HELD
    payment.failure_reason = "The payee's bank details changed after the run was prepared"
    payment.save(update_fields=["status", "failure_reason"])


def _items_pay(payment: Payment, items: list[_Item], actor: User | None, known: _Known) -> None:
    """Each item's ledger movement under the item's own key: provider payable → spent for invoices and
    purchases (recorded together, ``ledger_post_many``, so that a payee with hundreds of invoices is one
    round of queries, not hundreds), into the family's account for instalments."""
    _spend_record(items, actor, known)
    instalments = DirectPaymentInstalment.objects.in_bulk({item.instalment_id for item in items} - {None})
    isf_instalments = ServiceFundInstalment.objects.in_bulk({item.isf_instalment_id for item in items} - {None})
    for item in items:
        if item.instalment_id:
            dp_instalment_pay(
                instalment=instalments[item.instalment_id], actor=actor, key=item.ledger_key, tell_family=False
            )
        elif item.isf_instalment_id:
            isf_instalment_pay(instalment=isf_instalments[item.isf_instalment_id], actor=actor, key=item.ledger_key)
    _items_link(payment)
    _invoices_move(
        payment.items.filter(invoice__isnull=False).values("invoice_id"),
        InvoiceStatus.APPROVED,
        InvoiceStatus.PAID,
        actor,
        f"Paid in {payment.run}",
    )
    OneOffPurchase.objects.filter(
        pk__in=[item.purchase_id for item in items if item.purchase_id], status=OneOffPurchase.Status.APPROVED
    ).update(status=OneOffPurchase.Status.PAID)


def _spend_record(items: list[_Item], actor: User | None, known: _Known) -> None:
    """What ``ledger.pay`` records for each invoice or purchase: payable → spent on the allocation of the item's
    order (for an invoice, tagged with the outcome and category of the order's plan line, as ``ledger_tags``
    tags the order's other movements) or purchase. The allocations, accounts, outcomes and categories are
    loaded once, not per item: a payee's thousands of items share a handful of allocations."""
    spends = [item for item in items if item.is_spend]
    if not spends:
        return
    purchases = OneOffPurchase.objects.in_bulk({item.purchase_id for item in spends} - {None})
    owner_of = {
        item.pk: (item.allocation_id, Order.ledger_reference_of(item.order_public_id))
        if item.invoice_id
        else (purchases[item.purchase_id].allocation_id, purchases[item.purchase_id].ledger_reference)
        for item in spends
    }
    known.allocations_load({allocation_pk for allocation_pk, _ in owner_of.values()})
    outcomes = Outcome.objects.in_bulk({item.outcome_id for item in spends} - {None})
    categories = TaxonomyTerm.objects.in_bulk({item.category_id for item in spends} - {None})
    entries = []
    for item in spends:
        allocation_pk, reference = owner_of[item.pk]
        allocation = known.allocations[allocation_pk]
        payable, spent = known.accounts[allocation_pk]
        entries.append(
            ledger.Entry(
                key=item.ledger_key,
                council=allocation.budget.council,
                kind=TransactionKind.PAY,
                movements=[ledger.Movement(payable, spent, item.amount)],
                description=f"Paid: {item.description}",
                actor=actor,
                budget=allocation.budget,
                reference=reference,
                outcome=outcomes.get(item.outcome_id),
                category=categories.get(item.category_id),
            )
        )
    ledger.ledger_post_many(entries=entries)


def _items_link(payment: Payment) -> None:
    """Every item of the payment sent, linked to the movement recorded under its key: one UPDATE, where
    ``bulk_update`` would build a CASE of thousands of branches for a payee with thousands of items."""
    key = Concat(Value("payment-item-"), Cast(OuterRef("pk"), CharField()), Value("-pay"))
    movement = LedgerTransaction.objects.filter(idempotency_key=key).values("pk")[:1]
    payment.items.update(status=ItemStatus.SENT, transaction=Subquery(movement))


def _invoices_move(invoice_pks: QuerySet, old: str, new: str, actor: User | None, reason: str) -> None:  # type: ignore[type-arg]
    """Invoices paid (or payable again): status and history in bulk. Not through ``invoice_set_status``,
    which records a decision; paying is not one, and ``decided_by`` must keep who approved the invoice.
    ``invoice_pks`` is a query of the payment's items' invoice keys, so that a payee's thousands of invoices
    are not sent as thousands of parameters, twice."""
    now = timezone.now()
    moving = Invoice.objects.filter(pk__in=invoice_pks, status=old).order_by()
    _status_changes_record(moving, old=old, new=new, actor=actor, reason=reason, at=now)
    moving.update(status=new, status_changed_at=now)


def _status_changes_record(invoices: QuerySet[Invoice], *, old: str, new: str, actor: User | None, reason: str, at):  # type: ignore[no-untyped-def]
    """One history row per invoice, written by the database in one INSERT … SELECT: building thousands of
    model instances for ``bulk_create`` cost a run more than the insert itself."""
    rows = invoices.annotate(
        old_value=Value(old, output_field=CharField()),
        new_value=Value(new, output_field=CharField()),
        actor_value=Value(actor.pk if actor else None, output_field=IntegerField()),
        reason_value=Value(reason, output_field=TextField()),
        at_value=Value(at, output_field=DateTimeField()),
    ).values_list("pk", "old_value", "new_value", "actor_value", "reason_value", "at_value")
    select, params = rows.query.sql_with_params()
    fields = [InvoiceStatusChange._meta.get_field(name) for name in STATUS_CHANGE_COLUMNS]
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    table = connection.ops.quote_name(InvoiceStatusChange._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} ({columns}) {select}", params)


def _transfer(payment: Payment, already: dict[str, str]) -> None:
    transfer_id = already.get(str(payment.public_id)) or stripe_gateway.transfer_send(payment=payment)
    payment.stripe_transfer_id = transfer_id
    _payment_mark(payment, PaymentStatus.PAID)
    payment.items.update(status=ItemStatus.PAID)
    remittance_send(payment=payment)


def _payment_mark(payment: Payment, status: str, *, actor: User | None = None, reason: str = "") -> None:
    payment.status = status
    fields = ["status", "stripe_transfer_id"]
    if status in (PaymentStatus.SENT, PaymentStatus.PAID) and payment.sent_at is None:
        payment.sent_at = timezone.now()
        fields.append("sent_at")
    if actor is not None:
        payment.confirmed_by, payment.confirmed_at = actor, timezone.now()
        fields += ["confirmed_by", "confirmed_at"]
    if reason:
        payment.failure_reason = reason
        fields.append("failure_reason")
    payment.save(update_fields=fields)


def _payment_fail(payment: Payment, error: Exception) -> None:
    """Nothing of the payment was recorded (its savepoint rolled back): it failed, and what it would have
    paid is payable again in a later run."""
    message = "; ".join(error.messages) if isinstance(error, ValidationError) else str(error)
    payment.status, payment.failure_reason = PaymentStatus.FAILED, message
    payment.save(update_fields=["status", "failure_reason"])
    payment.items.update(status=ItemStatus.RETURNED)
    audit_record(
        actor=None,
        action="payment.failed",
        target=payment.run,
        summary=f"£{payment.amount:,.2f} to {payment.payee_name} failed: {message}",
        council=payment.run.council,
    )
    notification_send_many(
        recipients=finance_officers_of(payment.run.council),
        subject=f"A payment in run {payment.run.reference} failed",
        body=f"£{payment.amount:,.2f} to {payment.payee_name} was not paid: {message}. It is payable again.",
    )


@transaction.atomic
def _paying_finish(run: PaymentRun, actor: User | None) -> PaymentRun:
    run = _run_lock(run)
    if run.status != RunStatus.PAYING or run.payments.filter(status=PaymentStatus.PENDING).exists():
        return run  # another executor finished it, or is still paying
    run.progress_total, run.progress_done = _progress_of(run)
    run.save(update_fields=["progress_total", "progress_done"])
    if run.payments.filter(status=PaymentStatus.SENT).exists():
        return run_set_status(run=run, new_status=RunStatus.SENT, actor=actor)
    return _run_complete(run, actor)


def _run_complete(run: PaymentRun, actor: User | None) -> PaymentRun:
    # Held payees' items go back to payable, for the next run, once their details are verified.
    run.items.filter(payment__status=PaymentStatus.HELD, status=ItemStatus.PENDING).update(status=ItemStatus.RETURNED)
    return run_set_status(run=run, new_status=RunStatus.COMPLETED, actor=actor)


# --- Confirming -------------------------------------------------------------------------------------


@transaction.atomic
def payment_confirm(*, payment: Payment, actor: User, outcome: str, reason: str = "") -> Payment:
    """Record the bank's answer for one line of the payment file: paid, or rejected or returned (the
    money comes back: the ledger movement is reversed and what it paid is payable again)."""
    payment = Payment.objects.select_for_update(of=("self",)).select_related("run__council").get(pk=payment.pk)
    _confirm(payment, actor=actor, outcome=outcome, reason=reason)
    _complete_when_confirmed(payment.run, actor)
    return payment


def _confirm(payment: Payment, *, actor: User, outcome: str, reason: str) -> None:
    if outcome not in OUTCOMES:
        raise ValidationError({"outcome": "Choose paid, rejected or returned"})
    if payment.status != PaymentStatus.SENT:
        raise TransitionNotAllowed(f"Only a sent payment can be confirmed; this one is {payment.get_status_display()}")
    if outcome == "paid":
        _payment_mark(payment, PaymentStatus.PAID, actor=actor)
        payment.items.filter(status=ItemStatus.SENT).update(status=ItemStatus.PAID)
        remittance_send(payment=payment)
    else:
        _payment_undo(payment, actor=actor, status=OUTCOMES[outcome], reason=reason)
    audit_record(
        actor=actor,
        action=f"payment.{outcome}",
        target=payment.run,
        summary=f"£{payment.amount:,.2f} to {payment.payee_name} ({payment.remittance_reference}): {outcome}",
        council=payment.run.council,
        reason=reason,
    )


@transaction.atomic
def payment_reversed(*, payment: Payment, reason: str) -> Payment:
    """Stripe reversed a transfer in full: the money is back in the council's balance, so each item's ledger
    movement is reversed and what it paid is payable again in a later run. Once, however often Stripe says so."""
    payment = Payment.objects.select_for_update().select_related("run__council").get(pk=payment.pk)
    if payment.status in (PaymentStatus.SENT, PaymentStatus.PAID):
        _payment_undo(payment, actor=None, status=PaymentStatus.FAILED, reason=reason)
    return payment


def _payment_undo(payment: Payment, *, actor: User | None, status: str, reason: str) -> None:
    items = list(payment.items.select_related("transaction", "instalment", "isf_instalment").order_by("pk"))
    purchases = []
    for item in items:
        try:
            item.reversal = ledger.reverse(
                original=item.transaction, key=f"payment-item-{item.pk}-reverse", actor=actor, reason=reason or status
            )
        except BrokerageError as error:
            raise PaymentError(f"{item.description} cannot be reversed: {error}") from error
        item.status = ItemStatus.RETURNED
        # Invoices go back below, all of the payment's at once.
        if item.purchase_id:
            purchases.append(item.purchase_id)
        elif item.isf_instalment_id:
            isf_instalment_unpay(instalment=item.isf_instalment, reversed_transaction=item.transaction)
        elif item.instalment_id:
            _instalment_unpay(item)
    PaymentItem.objects.bulk_update(items, ["reversal", "status"])
    _invoices_move(
        payment.items.filter(invoice__isnull=False).values("invoice_id"),
        InvoiceStatus.PAID,
        InvoiceStatus.APPROVED,
        actor,
        f"Payment {status}: {reason}",
    )
    OneOffPurchase.objects.filter(pk__in=purchases, status=OneOffPurchase.Status.PAID).update(
        status=OneOffPurchase.Status.APPROVED
    )
    _payment_mark(payment, status, actor=actor, reason=reason or PaymentStatus(status).label)
    notification_send_many(
        recipients=finance_officers_of(payment.run.council),
        subject=f"A payment in run {payment.run.reference} was {status}",
        body=f"£{payment.amount:,.2f} to {payment.payee_name} ({payment.remittance_reference}) came back: "
        f"{reason or 'no reason given'}. It is payable again in the next run; check the payee's bank details.",
    )


def _instalment_unpay(item: PaymentItem) -> None:
    """The instalment is due again: its reversed movement stays linked to the item, not the instalment."""
    instalment = item.instalment
    if instalment.transaction_id == item.transaction_id:
        instalment.transaction, instalment.paid_at, instalment.paid_by = None, None, None
        instalment.save(update_fields=["transaction", "paid_at", "paid_by"])


def _complete_when_confirmed(run: PaymentRun, actor: User) -> None:
    run = _run_lock(run)
    if run.status == RunStatus.SENT and not run.payments.filter(status=PaymentStatus.SENT).exists():
        _run_complete(run, actor)


@transaction.atomic
def run_confirm_rest_paid(*, run: PaymentRun, actor: User) -> PaymentRun:
    """Every line still waiting for the bank's answer was paid; the run completes."""
    # Payments first, then the run: the order payment_confirm locks them in.
    payments = list(run.payments.select_for_update().filter(status=PaymentStatus.SENT).order_by("pk"))
    for payment in payments:
        _confirm(payment, actor=actor, outcome="paid", reason="")
    _complete_when_confirmed(run, actor)
    return PaymentRun.objects.get(pk=run.pk)


@dataclass(frozen=True)
class ImportResult:
    applied: int
    errors: list[tuple[int, str]]

    @property
    def ok(self) -> bool:
        return not self.errors


CONFIRMATION_COLUMNS = ("payment_reference", "outcome", "reason")


@transaction.atomic
def confirmations_import(*, run: PaymentRun, actor: User, csv_text: str) -> ImportResult:
    """The bank's confirmations as CSV (payment_reference, outcome, reason). Every line is checked first;
    if any is wrong nothing is applied and the errors say which line (the header is line 1)."""
    reader = csv.DictReader(io.StringIO(csv_text.lstrip("\ufeff")))
    missing = [column for column in CONFIRMATION_COLUMNS[:2] if column not in (reader.fieldnames or [])]
    if missing:
        return ImportResult(
            applied=0, errors=[(1, f"The first line must name the columns: missing {', '.join(missing)}")]
        )
    payments = {p.remittance_reference: p for p in run.payments.select_for_update().order_by("pk")}
    wanted: list[tuple[Payment, str, str]] = []
    errors, seen = [], set()
    for line, row in enumerate(reader, start=2):
        reference = (row.get("payment_reference") or "").strip()
        outcome = (row.get("outcome") or "").strip().lower()
        payment = payments.get(reference)
        if payment is None:
            errors.append((line, f"No payment {reference or '(blank)'} in run {run.reference}"))
        elif reference in seen:
            errors.append((line, f"{reference} is on more than one line"))
        elif payment.status != PaymentStatus.SENT:
            errors.append((line, f"{reference} is {payment.get_status_display().lower()}, not waiting for the bank"))
        elif outcome not in OUTCOMES:
            errors.append((line, f"The outcome must be paid, rejected or returned, not '{outcome}'"))
        else:
            wanted.append((payment, outcome, (row.get("reason") or "").strip()))
        seen.add(reference)
    if errors:
        return ImportResult(applied=0, errors=errors)
    for payment, outcome, reason in wanted:
        _confirm(payment, actor=actor, outcome=outcome, reason=reason)
    _complete_when_confirmed(run, actor)
    return ImportResult(applied=len(wanted), errors=[])


# --- Remittance -------------------------------------------------------------------------------------


def _payee_of(payment: Payment) -> Payee:
    name = next(name for name in PAYEE_FIELDS if getattr(payment, f"{name}_id"))
    return Payee(field=name, record=getattr(payment, name))


def remittance_recipients(payment: Payment) -> list[User]:
    """Provider staff, the PA, the family's consent holders; for a one-off purchase, whoever is paid back or
    whoever asked for the purchase."""
    payee = _payee_of(payment)
    if payee.field != "one_off_purchase":
        return payee_people(payee)
    purchase = payee.record
    return [purchase.pay_to or purchase.requested_by]


def remittance_send(*, payment: Payment) -> None:
    """Tell the payee what was paid, once per payment."""
    if payment.remittance_sent_at is not None:
        return
    lines = "; ".join(f"{item.description}: £{item.amount:,.2f}" for item in payment.items.order_by("pk")[:50])
    notification_send_many(
        recipients=remittance_recipients(payment),
        subject=f"Remittance advice: £{payment.amount:,.2f} paid, reference {payment.remittance_reference}",
        body=f"{payment.run.council} has paid £{payment.amount:,.2f} to {payment.payee_name} on "
        f"{payment.run.pay_on:%-d %B %Y}. It pays {lines}.",
    )
    payment.remittance_sent_at = timezone.now()
    payment.save(update_fields=["remittance_sent_at"])
