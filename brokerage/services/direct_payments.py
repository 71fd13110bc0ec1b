"""Direct payments: the instalment schedule, paying an instalment, and the family's spending.

A schedule splits what the family is to receive (the allocation less any contingency the council
keeps) into instalments on the budget's quarter or month days; the instalments add up to it exactly
and the last one takes the remainder pence. Paying an instalment is one ledger movement keyed by the
instalment, so paying it twice changes nothing. The payment run (a later issue) calls
``dp_instalment_pay``, as the finance screen does now.
"""

from datetime import date
from decimal import ROUND_DOWN, Decimal

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from accounts.events import audit_record
from accounts.models import User
from accounts.notifications import notification_send_many
from accounts.templatetags.money import money_text
from brokerage import ledger
from brokerage.exceptions import BrokerageError
from brokerage.models import (
    AccountKind,
    Allocation,
    Budget,
    DirectPaymentInstalment,
    DirectPaymentSchedule,
    FamilySpend,
    HeldAs,
    LedgerTransaction,
    PaymentFrequency,
    PlanLine,
    ServiceFundSchedule,
)
from brokerage.services.contingency import contingency_held, ledger_allocated
from providers.exceptions import UploadRejected
from providers.models import TaxonomyTerm, Upload
from providers.services.uploads import upload_store

PENNY = Decimal("0.01")
ZERO = Decimal("0.00")
MONTHS_BETWEEN = {PaymentFrequency.QUARTERLY: 3, PaymentFrequency.MONTHLY: 1}


# --- Schedules ------------------------------------------------------------------------------------


def instalment_amounts(total: Decimal, count: int) -> list[Decimal]:
    """``total`` split into ``count`` parts in pence that add up to it exactly; the last takes the
    remainder. Parts that would be £0.00 (a tiny total) are left out."""
    if total <= 0 or count < 1:
        return []
    share = (total / count).quantize(PENNY, rounding=ROUND_DOWN)
    parts = [share] * (count - 1) + [total - share * (count - 1)]
    return [part for part in parts if part > 0]


def instalment_dates(*, starts_on: date, ends_on: date, frequency: str) -> list[date]:
    from brokerage.services.plans import add_months

    step = MONTHS_BETWEEN[frequency]
    dates, index = [], 0
    while (due := add_months(starts_on, step * index)) <= ends_on:
        dates.append(due)
        index += 1
    return dates


def dp_amount_to_pay(allocation: Allocation) -> Decimal:
    """What the family receives in all: the allocation less the contingency the council keeps."""
    return ledger_allocated(allocation) - contingency_held(allocation)


@transaction.atomic
def dp_schedule_create(
    *, allocation: Allocation, actor: User | None, frequency: str = PaymentFrequency.QUARTERLY
) -> DirectPaymentSchedule:
    """The schedule of a direct-payment allocation, quarterly unless asked otherwise."""
    if allocation.held_as != HeldAs.DIRECT_PAYMENT:
        raise ValidationError("Only money held as a direct payment is paid to the family in instalments")
    schedule = DirectPaymentSchedule(allocation=allocation, frequency=frequency, created_by=actor)
    schedule.full_clean()
    schedule.save()
    _instalments_create(schedule)
    audit_record(
        actor=actor,
        action="direct_payment.schedule_created",
        target=allocation.budget,
        summary=f"{schedule}: {schedule.instalments.count()} instalments",
        council=allocation.budget.council,
    )
    return schedule


@transaction.atomic
def dp_schedule_set_frequency(*, schedule: DirectPaymentSchedule, actor: User, frequency: str) -> DirectPaymentSchedule:
    """Change between quarterly and monthly; only before anything has been paid."""
    schedule = DirectPaymentSchedule.objects.select_for_update().get(pk=schedule.pk)
    schedule_change_refuse(schedule)
    old = schedule.get_frequency_display()
    schedule.frequency = frequency
    schedule.full_clean()
    schedule.save(update_fields=["frequency"])
    schedule.instalments.all().delete()
    _instalments_create(schedule)
    audit_record(
        actor=actor,
        action="direct_payment.schedule_changed",
        target=schedule.allocation.budget,
        summary=f"Direct payments of {schedule.allocation}: {old.lower()} → {schedule.get_frequency_display().lower()}",
        council=schedule.allocation.budget.council,
    )
    return schedule


def schedule_change_refuse(schedule: DirectPaymentSchedule | ServiceFundSchedule) -> None:
    """A direct-payment or service-fund schedule may change only while none of its instalments has been paid or
    taken into a payment run: the instalments are the record of what was paid, and a payment item (even a
    returned one) keeps its instalment, which replacing the schedule would delete."""
    if schedule.instalments.filter(paid_at__isnull=False).exists():
        raise ValidationError("An instalment has been paid: the schedule can no longer change")
    if schedule.instalments.filter(payment_items__isnull=False).exists():
        raise ValidationError("An instalment has been in a payment run: the schedule can no longer change")


def _instalments_create(schedule: DirectPaymentSchedule) -> None:
    budget = schedule.allocation.budget
    dates = instalment_dates(starts_on=budget.starts_on, ends_on=budget.ends_on, frequency=schedule.frequency)
    amounts = instalment_amounts(dp_amount_to_pay(schedule.allocation), len(dates))
    # With a tiny total some parts are left out; the remainder then falls on the last date kept.
    for number, (due_on, amount) in enumerate(zip(dates, amounts, strict=False), start=1):
        instalment = DirectPaymentInstalment(schedule=schedule, number=number, due_on=due_on, amount=amount)
        instalment.full_clean()
        instalment.save()


# --- Paying an instalment -------------------------------------------------------------------------


def instalment_key(instalment: DirectPaymentInstalment) -> str:
    return f"dp-instalment-{instalment.public_id}"


@transaction.atomic
def dp_instalment_pay(
    *, instalment: DirectPaymentInstalment, actor: User | None, key: str | None = None, tell_family: bool = True
) -> LedgerTransaction:
    """Pay one instalment into the family's account, once. Money committed to the plan's lines goes
    first; before the plan is approved, it comes from what is available. A payment run passes its item's
    own ``key``: when the bank returns a payment the run reverses it, and paying the instalment again in a
    later run must be a new movement, not the replay of the reversed one. A run also tells the family itself
    (``tell_family=False``), with its remittance, once the bank has confirmed the money arrived."""
    instalment = DirectPaymentInstalment.objects.select_for_update().get(pk=instalment.pk)
    if instalment.transaction_id:
        return instalment.transaction  # type: ignore[return-value]
    allocation = instalment.schedule.allocation
    committed = ledger.balance(ledger.allocation_account(allocation, AccountKind.COMMITTED))
    try:
        record = ledger.dp_instalment(
            allocation=allocation,
            amount=instalment.amount,
            key=key or instalment_key(instalment),
            from_committed=committed >= instalment.amount,
            actor=actor,
            reference=f"dp-schedule-{instalment.schedule.public_id}",
            description=f"Direct payment instalment {instalment.number} of {allocation}",
        )
    except BrokerageError as error:
        raise ValidationError(str(error)) from error
    instalment.transaction = record
    instalment.paid_at = timezone.now()
    instalment.paid_by = actor
    instalment.save(update_fields=["transaction", "paid_at", "paid_by"])
    budget = allocation.budget
    audit_record(
        actor=actor,
        action="direct_payment.instalment_paid",
        target=budget,
        summary=f"Paid instalment {instalment.number}, {money_text(instalment.amount)}, into the family's account",
        council=budget.council,
    )
    if not tell_family:
        return record
    notification_send_many(
        recipients=consent_holders_of(budget),
        subject="A direct payment has been paid into your account",
        body=f"{money_text(instalment.amount)} for {budget.person.first_name}'s support has been paid to you.",
        link=reverse("brokerage:direct-payments", args=[budget.public_id]),
    )
    return record


def consent_holders_of(budget: Budget) -> list[User]:
    holders = budget.person.consent_holders.filter(ended_at__isnull=True).select_related("user")
    return [holder.user for holder in holders]


# --- The family's spending ------------------------------------------------------------------------


def plan_categories(budget: Budget) -> QuerySet[TaxonomyTerm]:
    """The kinds of support in the budget's current plan: what the family may choose to spend on."""
    plan = budget.plans.order_by("-version").first()
    if plan is None:
        return TaxonomyTerm.objects.none()
    ids = plan.lines.filter(stopped_on__isnull=True).values("category_id")
    return TaxonomyTerm.objects.filter(pk__in=ids).order_by("name")


def plan_lines_for(budget: Budget, category: TaxonomyTerm | None) -> list[PlanLine]:
    plan = budget.plans.order_by("-version").first()
    if plan is None or category is None:
        return []
    return list(plan.lines.filter(stopped_on__isnull=True, category=category))


def family_account_balance(allocation: Allocation) -> Decimal:
    return ledger.balance(ledger.allocation_account(allocation, AccountKind.FAMILY_ACCOUNT))


@transaction.atomic
def dp_spend_record(
    *,
    allocation: Allocation,
    actor: User,
    amount: Decimal,
    spent_on: date,
    description: str,
    category: TaxonomyTerm | None,
    receipt: UploadedFile | None = None,
) -> FamilySpend:
    """The family records what they bought; the monitoring checks run straight after."""
    budget = allocation.budget
    if actor not in consent_holders_of(budget):
        raise ValidationError("Only the person who gives consent for the records may record spending")
    if spent_on > timezone.localdate():
        raise ValidationError({"spent_on": "The date must be today or in the past"})
    stored_receipt = None
    if receipt is not None:
        try:
            stored_receipt = upload_store(actor=actor, purpose=Upload.Purpose.PHOTO, file=receipt, owner_user=actor)
        except UploadRejected as error:
            raise ValidationError({"receipt": str(error)}) from error
    spend = FamilySpend(
        allocation=allocation,
        amount=amount,
        spent_on=spent_on,
        description=description,
        category=category,
        receipt=stored_receipt,
        recorded_by=actor,
    )
    spend.full_clean(exclude=["transaction"])
    try:
        spend.transaction = ledger.dp_spend(
            allocation=allocation,
            amount=amount,
            key=f"dp-spend-{spend.public_id}",
            description=description,
            actor=actor,
            category=category,
            occurred_on=spent_on,
        )
    except BrokerageError as error:
        raise ValidationError(
            {"amount": f"Your direct-payment account has {money_text(family_account_balance(allocation))}: {error}"}
        ) from error
    spend.full_clean()
    spend.save()
    audit_record(
        actor=actor,
        action="direct_payment.spend_recorded",
        target=budget,
        summary=f"Recorded {money_text(amount)} spent on {spent_on:%d %B %Y}: {description}",
        council=budget.council,
    )
    from brokerage.services.monitoring import monitoring_check_spend

    monitoring_check_spend(spend=spend)
    return spend


def spends_for_budget(budget: Budget) -> QuerySet[FamilySpend]:
    return FamilySpend.objects.filter(allocation__budget=budget).select_related(
        "category", "recorded_by", "allocation__stream", "receipt"
    )


def dp_allocations(budget: Budget) -> QuerySet[Allocation]:
    return budget.allocations.filter(held_as=HeldAs.DIRECT_PAYMENT).select_related("stream", "dp_schedule")
