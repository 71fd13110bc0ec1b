"""Individual service funds: the instalment schedule, paying an instalment to the provider, the provider's
monthly statement and the council's reconciliation of it, and the period end.

Ledger movements, each under its own idempotency key so that doing a step twice changes nothing:
- an instalment paid (by the payment run): committed (or, before the plan commits it, available) money →
  held by the provider;
- a statement accepted: what it reports moves from held by the provider → spent;
- the period end: what the provider still holds is returned to where it came from, or (when the council
  carries forward) up to the policy's cap moves to the same provider's fund in the person's next budget and
  the rest is returned. One ``ServiceFundPeriodEnd`` row per fund records it.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.events import audit_record
from accounts.models import Membership, User
from accounts.notifications import notification_send_many
from accounts.roles import Role
from accounts.templatetags.money import money_text
from brokerage import ledger
from brokerage.exceptions import BrokerageError, TransitionNotAllowed
from brokerage.models import (
    AccountKind,
    Allocation,
    HeldAs,
    LedgerTransaction,
    PlanLine,
    ServiceFundFrequency,
    ServiceFundInstalment,
    ServiceFundPeriodEnd,
    ServiceFundPolicy,
    ServiceFundSchedule,
    ServiceFundStatement,
    ServiceFundStatementChange,
    ServiceFundStatementLine,
    StatementStatus,
    SurplusAction,
    TransactionKind,
)
from brokerage.selectors.service_funds import (
    held_by_provider,
    isf_plan_lines,
    month_of,
    service_fund_policy,
    statement_reconcile,
)
from brokerage.services.contingency import weekly_planned_spend
from brokerage.services.direct_payments import (
    consent_holders_of,
    dp_amount_to_pay,
    instalment_amounts,
    schedule_change_refuse,
)

ZERO = Decimal("0.00")
PENNY = Decimal("0.01")


# --- Schedules ------------------------------------------------------------------------------------


def isf_instalment_dates(*, starts_on: date, ends_on: date, frequency: str) -> list[date]:
    """Due dates from the budget's start: a calendar month or quarter apart, or exactly 28 days."""
    from brokerage.services.plans import add_months  # plans creates a fund's schedule when it is allocated

    dates: list[date] = []
    index = 0
    while True:
        if frequency == ServiceFundFrequency.FOUR_WEEKLY:
            due = starts_on + timedelta(days=28 * index)
        else:
            due = add_months(starts_on, (3 if frequency == ServiceFundFrequency.QUARTERLY else 1) * index)
        if due > ends_on:
            return dates
        dates.append(due)
        index += 1


@transaction.atomic
def isf_schedule_create(
    *, allocation: Allocation, actor: User | None, frequency: str = ServiceFundFrequency.MONTHLY
) -> ServiceFundSchedule:
    """The schedule of an ISF allocation, monthly unless asked otherwise: what the provider receives (the
    allocation less any contingency the council keeps) split into instalments that add up to it exactly."""
    if allocation.held_as != HeldAs.ISF:
        raise ValidationError("Only money held as an individual service fund is paid to its provider in instalments")
    schedule = ServiceFundSchedule(allocation=allocation, frequency=frequency, created_by=actor)
    schedule.full_clean()
    schedule.save()
    _instalments_create(schedule)
    audit_record(
        actor=actor,
        action="service_fund.schedule_created",
        target=allocation.budget,
        summary=f"{schedule}: {schedule.instalments.count()} instalments",
        council=allocation.budget.council,
    )
    return schedule


@transaction.atomic
def isf_schedule_set_frequency(*, schedule: ServiceFundSchedule, actor: User, frequency: str) -> ServiceFundSchedule:
    """Change how often the provider is paid; only before anything has been paid."""
    schedule = ServiceFundSchedule.objects.select_for_update().get(pk=schedule.pk)
    schedule_change_refuse(schedule)
    old = schedule.get_frequency_display()
    schedule.frequency = frequency
    schedule.full_clean()
    schedule.save(update_fields=["frequency"])
    schedule.instalments.all().delete()
    _instalments_create(schedule)
    audit_record(
        actor=actor,
        action="service_fund.schedule_changed",
        target=schedule.allocation.budget,
        summary=f"Payments of {schedule.allocation}: {old.lower()} → {schedule.get_frequency_display().lower()}",
        council=schedule.allocation.budget.council,
    )
    return schedule


def _instalments_create(schedule: ServiceFundSchedule) -> None:
    budget = schedule.allocation.budget
    dates = isf_instalment_dates(starts_on=budget.starts_on, ends_on=budget.ends_on, frequency=schedule.frequency)
    amounts = instalment_amounts(dp_amount_to_pay(schedule.allocation), len(dates))
    for number, (due_on, amount) in enumerate(zip(dates, amounts, strict=False), start=1):
        instalment = ServiceFundInstalment(schedule=schedule, number=number, due_on=due_on, amount=amount)
        instalment.full_clean()
        instalment.save()


# --- Paying an instalment (the payment run) --------------------------------------------------------------


@transaction.atomic
def isf_instalment_pay(*, instalment: ServiceFundInstalment, actor: User | None, key: str) -> LedgerTransaction:
    """Pay one instalment to the provider, once. The payment run passes its item's own ``key``: when the bank
    returns the payment the run reverses that movement, and paying the instalment again in a later run is a
    new movement, not the replay of the reversed one."""
    instalment = ServiceFundInstalment.objects.select_for_update().get(pk=instalment.pk)
    if instalment.transaction_id:
        return instalment.transaction  # type: ignore[return-value]
    allocation = instalment.schedule.allocation
    committed = ledger.balance(ledger.allocation_account(allocation, AccountKind.COMMITTED))
    source = AccountKind.COMMITTED if committed >= instalment.amount else AccountKind.AVAILABLE
    try:
        record = ledger.ledger_post(
            key=key,
            council=allocation.budget.council,
            kind=TransactionKind.ISF_INSTALMENT,
            movements=[
                ledger.Movement(
                    ledger.allocation_account(allocation, source),
                    ledger.allocation_account(allocation, AccountKind.ISF_HELD),
                    instalment.amount,
                )
            ],
            description=f"Instalment {instalment.number} of the individual service fund paid to "
            f"{allocation.isf_provider}",
            actor=actor,
            budget=allocation.budget,
            reference=f"isf-schedule-{instalment.schedule.public_id}",
        )
    except BrokerageError as error:
        raise ValidationError(str(error)) from error
    instalment.transaction, instalment.paid_at = record, timezone.now()
    instalment.save(update_fields=["transaction", "paid_at"])
    audit_record(
        actor=actor,
        action="service_fund.instalment_paid",
        target=allocation.budget,
        summary=f"Paid instalment {instalment.number}, {money_text(instalment.amount)}, to {allocation.isf_provider}",
        council=allocation.budget.council,
    )
    return record


def isf_instalment_unpay(*, instalment: ServiceFundInstalment, reversed_transaction: LedgerTransaction) -> None:
    """The bank returned the payment and the run reversed its movement: the instalment is due again."""
    if instalment.transaction_id == reversed_transaction.pk:
        instalment.transaction, instalment.paid_at = None, None
        instalment.save(update_fields=["transaction", "paid_at"])


# --- The provider's statement ------------------------------------------------------------------------------


@dataclass(frozen=True)
class LineInput:
    """One line as the provider entered it: a plan line's hours × rate, or other spending (no plan line)."""

    plan_line: PlanLine | None
    description: str
    quantity: Decimal
    rate: Decimal


def is_provider_staff(*, user: User, allocation: Allocation) -> bool:
    return (
        Membership.objects.active()
        .filter(user=user, organisation_id=allocation.isf_provider_id, role=Role.PROVIDER_STAFF)
        .exists()
    )


def is_finance_officer(*, user: User, allocation: Allocation) -> bool:
    return (
        Membership.objects.active()
        .filter(user=user, organisation_id=allocation.budget.council_id, role=Role.FINANCE_OFFICER)
        .exists()
    )


def _lines_save(statement: ServiceFundStatement, lines: list[LineInput]) -> None:
    allowed = {line.pk for line in isf_plan_lines(statement.allocation)}
    kept = [line for line in lines if line.quantity > 0]
    if not kept:
        raise ValidationError("Enter the hours (or other units) delivered, or other spending, for at least one line")
    statement.lines.all().delete()
    for entered in kept:
        if entered.plan_line is not None and entered.plan_line.pk not in allowed:
            raise ValidationError(f"{entered.plan_line} is not paid for by this individual service fund")
        line = ServiceFundStatementLine(
            statement=statement,
            plan_line=entered.plan_line,
            description=entered.description,
            quantity=entered.quantity,
            rate=entered.rate,
        )
        line.full_clean()
        line.save()


def _history(statement: ServiceFundStatement, old: str, new: str, actor: User, reason: str = "") -> None:
    ServiceFundStatementChange.objects.create(
        statement=statement, old_status=old, new_status=new, actor=actor, reason=reason
    )


def finance_officers_of_council(council) -> list[User]:  # type: ignore[no-untyped-def]
    memberships = Membership.objects.active().filter(organisation=council, role=Role.FINANCE_OFFICER)
    return [membership.user for membership in memberships.select_related("user")]


def provider_staff_of(allocation: Allocation) -> list[User]:
    memberships = Membership.objects.active().filter(organisation=allocation.isf_provider, role=Role.PROVIDER_STAFF)
    return [membership.user for membership in memberships.select_related("user")]


@transaction.atomic
def isf_statement_submit(
    *, allocation: Allocation, actor: User, month: date, lines: list[LineInput]
) -> ServiceFundStatement:
    """The provider's statement for ``month``; one per month, for a month that has started."""
    if not is_provider_staff(user=actor, allocation=allocation):
        raise ValidationError("Only staff of the provider that holds the fund can send its statement")
    start, end = month_of(month)
    budget = allocation.budget
    if start > timezone.localdate() or end < budget.starts_on or start > budget.ends_on:
        raise ValidationError({"month": "Choose a month of the budget that has started"})
    if allocation.isf_statements.filter(period_start=start).exists():
        raise ValidationError({"month": f"You have already sent the statement for {start:%B %Y}"})
    statement = ServiceFundStatement(allocation=allocation, period_start=start, period_end=end, submitted_by=actor)
    statement.full_clean()
    statement.save()
    _lines_save(statement, lines)
    _history(statement, "", StatementStatus.SUBMITTED, actor)
    _after_submission(statement, actor, "sent")
    return statement


@transaction.atomic
def isf_statement_resubmit(
    *, statement: ServiceFundStatement, actor: User, lines: list[LineInput]
) -> ServiceFundStatement:
    """The provider answers a query with corrected lines."""
    statement = ServiceFundStatement.objects.select_for_update().get(pk=statement.pk)
    if not is_provider_staff(user=actor, allocation=statement.allocation):
        raise ValidationError("Only staff of the provider that holds the fund can correct its statement")
    if statement.status != StatementStatus.QUERIED:
        raise TransitionNotAllowed("Only a statement the council queried can be corrected")
    _lines_save(statement, lines)
    statement.status, statement.submitted_at, statement.submitted_by = StatementStatus.SUBMITTED, timezone.now(), actor
    statement.save(update_fields=["status", "submitted_at", "submitted_by"])
    _history(statement, StatementStatus.QUERIED, StatementStatus.SUBMITTED, actor)
    _after_submission(statement, actor, "corrected")
    return statement


def _after_submission(statement: ServiceFundStatement, actor: User, verb: str) -> None:
    allocation = statement.allocation
    reconciliation = statement_reconcile(statement)
    audit_record(
        actor=actor,
        action=f"service_fund.statement_{verb}",
        target=statement,
        summary=f"{allocation.isf_provider} {verb} the statement for {statement.period_start:%B %Y}: "
        f"{money_text(reconciliation.reported)} against {money_text(reconciliation.planned)} planned",
        council=allocation.budget.council,
    )
    flagged = len(reconciliation.flagged_lines)
    notification_send_many(
        recipients=finance_officers_of_council(allocation.budget.council),
        subject=f"An individual service fund statement waits for you: {allocation.budget.person}",
        body=f"{allocation.isf_provider} {verb} the statement for {statement.period_start:%B %Y}. "
        f"{flagged} line{'s' if flagged != 1 else ''} differ from the plan by more than the tolerance.",
        link=reverse("marketplace:isf-statement", args=[statement.public_id]),
    )


def _decision_start(statement: ServiceFundStatement, actor: User) -> ServiceFundStatement:
    statement = (
        ServiceFundStatement.objects.select_for_update(of=("self",))
        .select_related("allocation__budget")
        .get(pk=statement.pk)
    )
    if not is_finance_officer(user=actor, allocation=statement.allocation):
        raise ValidationError("Only a finance officer of the council can reconcile this statement")
    if statement.status != StatementStatus.SUBMITTED:
        raise TransitionNotAllowed("Only a statement waiting for the council can be accepted or queried")
    return statement


@transaction.atomic
def isf_statement_accept(*, statement: ServiceFundStatement, actor: User) -> ServiceFundStatement:
    """The council accepts the statement: what it reports is recorded as spent from the money the provider
    holds, once (the movement's key is the statement's)."""
    statement = _decision_start(statement, actor)
    allocation = statement.allocation
    reported = statement_reconcile(statement).reported
    held = held_by_provider(allocation)
    if reported > held:
        raise ValidationError(
            f"The statement reports {money_text(reported)} but {allocation.isf_provider} holds "
            f"{money_text(held)} of the fund: query it, or accept it once the due instalments are paid"
        )
    if reported > 0:
        statement.transaction = ledger.ledger_post(
            key=f"isf-statement-{statement.public_id}",
            council=allocation.budget.council,
            kind=TransactionKind.ISF_SPEND,
            movements=[
                ledger.Movement(
                    ledger.allocation_account(allocation, AccountKind.ISF_HELD),
                    ledger.allocation_account(allocation, AccountKind.SPENT),
                    reported,
                )
            ],
            description=f"{allocation.isf_provider}: support in {statement.period_start:%B %Y}",
            actor=actor,
            budget=allocation.budget,
            reference=f"isf-statement-{statement.public_id}",
            occurred_on=statement.period_end,
        )
    statement = _decide(statement, actor, StatementStatus.ACCEPTED, "")
    notification_send_many(
        recipients=provider_staff_of(allocation),
        subject=f"The council accepted your statement for {statement.period_start:%B %Y}",
        body=f"{money_text(reported)} of {allocation.budget.person.first_name}'s fund is recorded as spent.",
        link=reverse("marketplace:isf-statement", args=[statement.public_id]),
    )
    return statement


@transaction.atomic
def isf_statement_query(*, statement: ServiceFundStatement, actor: User, reason: str) -> ServiceFundStatement:
    """The council asks the provider about the statement; the provider corrects it and sends it again."""
    if not reason.strip():
        raise ValidationError({"reason": "Say what the provider should check or correct"})
    statement = _decide(_decision_start(statement, actor), actor, StatementStatus.QUERIED, reason.strip())
    notification_send_many(
        recipients=provider_staff_of(statement.allocation),
        subject=f"The council queried your statement for {statement.period_start:%B %Y}",
        body=f"{actor} asks: {reason.strip()}",
        link=reverse("marketplace:isf-statement", args=[statement.public_id]),
    )
    return statement


def _decide(statement: ServiceFundStatement, actor: User, new: str, reason: str) -> ServiceFundStatement:
    old = statement.status
    statement.status, statement.decided_by, statement.decided_at = new, actor, timezone.now()
    statement.query_reason = reason
    statement.save(update_fields=["status", "decided_by", "decided_at", "query_reason", "transaction"])
    _history(statement, old, new, actor, reason)
    audit_record(
        actor=actor,
        action=f"service_fund.statement_{new}",
        target=statement,
        summary=f"Statement for {statement.period_start:%B %Y} of {statement.allocation}: {StatementStatus(new).label}",
        council=statement.allocation.budget.council,
        reason=reason,
    )
    return statement


# --- The period end ----------------------------------------------------------------------------------------


def next_fund(allocation: Allocation) -> Allocation | None:
    """The same provider's fund in the person's budget for the next year, where carried-forward money goes."""
    budget = allocation.budget
    return (
        Allocation.objects.filter(
            budget__person=budget.person,
            budget__financial_year=budget.financial_year + 1,
            held_as=HeldAs.ISF,
            isf_provider_id=allocation.isf_provider_id,
        )
        .order_by("id")
        .first()
    )


def carry_forward_cap(allocation: Allocation) -> Decimal:
    """The most the provider may carry forward: the policy's weeks of the fund's planned weekly spending."""
    policy = service_fund_policy(allocation.budget.council)
    return (weekly_planned_spend(allocation) * policy.carry_forward_weeks).quantize(PENNY)


@dataclass(frozen=True)
class PeriodEndPlan:
    unspent: Decimal
    returned: Decimal
    carried_forward: Decimal
    carried_to: Allocation | None
    surplus_action: str


def isf_period_end_plan(allocation: Allocation) -> PeriodEndPlan:
    """What closing the fund now would do with the money the provider still holds."""
    policy = service_fund_policy(allocation.budget.council)
    unspent = held_by_provider(allocation)
    carried_to = next_fund(allocation) if policy.surplus_action == SurplusAction.CARRY_FORWARD else None
    carried = min(unspent, carry_forward_cap(allocation)) if carried_to else ZERO
    return PeriodEndPlan(unspent, unspent - carried, carried, carried_to, policy.surplus_action)


@transaction.atomic
def isf_period_end_close(*, allocation: Allocation, actor: User | None, today: date) -> ServiceFundPeriodEnd:
    """Return or carry forward what the provider still holds once the budget's period has ended: exactly once
    (the fund's row is locked, one period-end row per fund, and each movement has its own key)."""
    allocation = (
        Allocation.objects.select_for_update(of=("self",))
        .select_related("budget__council", "isf_provider")
        .get(pk=allocation.pk)
    )
    existing = ServiceFundPeriodEnd.objects.filter(allocation=allocation).first()
    if existing is not None:
        return existing
    if allocation.held_as != HeldAs.ISF:
        raise ValidationError("Only an individual service fund has a period end")
    if allocation.budget.ends_on >= today:
        raise ValidationError(f"The fund's period ends on {allocation.budget.ends_on:%-d %B %Y}")
    if allocation.isf_statements.exclude(status=StatementStatus.ACCEPTED).exists():
        raise ValidationError("Reconcile the statements still waiting or queried before closing the period")
    plan = isf_period_end_plan(allocation)
    _period_end_movements(allocation, plan, actor)
    period_end = ServiceFundPeriodEnd(
        allocation=allocation,
        unspent=plan.unspent,
        returned=plan.returned,
        carried_forward=plan.carried_forward,
        carried_to=plan.carried_to,
        surplus_action=plan.surplus_action,
        closed_by=actor,
    )
    period_end.full_clean()
    period_end.save()
    _period_end_tell(allocation, plan, actor)
    return period_end


def _period_end_movements(allocation: Allocation, plan: PeriodEndPlan, actor: User | None) -> None:
    held = ledger.allocation_account(allocation, AccountKind.ISF_HELD)
    common = {"council": allocation.budget.council, "actor": actor, "budget": allocation.budget}
    common["occurred_on"] = allocation.budget.ends_on
    if plan.returned > 0:
        source = (
            ledger.locality_fund_account(allocation.locality_fund)
            if allocation.locality_fund_id
            else ledger.stream_account(allocation.stream, AccountKind.STREAM_POOL)
        )
        ledger.ledger_post(
            key=f"isf-period-end-{allocation.public_id}-return",
            kind=TransactionKind.RETURN,
            movements=[ledger.Movement(held, source, plan.returned)],
            description=f"Unspent individual service fund returned by {allocation.isf_provider}",
            **common,
        )
    if plan.carried_forward > 0 and plan.carried_to is not None:
        ledger.ledger_post(
            key=f"isf-period-end-{allocation.public_id}-carry",
            kind=TransactionKind.ISF_CARRY_FORWARD,
            movements=[
                ledger.Movement(
                    held, ledger.allocation_account(plan.carried_to, AccountKind.ISF_HELD), plan.carried_forward
                )
            ],
            description=f"Unspent individual service fund carried forward by {allocation.isf_provider}",
            **common,
        )


def _period_end_tell(allocation: Allocation, plan: PeriodEndPlan, actor: User | None) -> None:
    summary = (
        f"Period end of {allocation}: {money_text(plan.unspent)} unspent, {money_text(plan.returned)} returned, "
        f"{money_text(plan.carried_forward)} carried forward"
    )
    audit_record(
        actor=actor,
        action="service_fund.period_end",
        target=allocation.budget,
        summary=summary,
        council=allocation.budget.council,
    )
    notification_send_many(
        recipients=[*provider_staff_of(allocation), *consent_holders_of(allocation.budget)],
        subject=f"The individual service fund for {allocation.budget.person.first_name} has closed for the year",
        body=f"{money_text(plan.unspent)} was not spent: {money_text(plan.returned)} goes back to the council and "
        f"{money_text(plan.carried_forward)} is carried forward to next year's fund.",
    )


# --- The council's policy ----------------------------------------------------------------------------------

POLICY_FIELDS = ("surplus_action", "carry_forward_weeks", "tolerance_percent", "tolerance_amount")


@transaction.atomic
def isf_policy_save(*, council, actor: User, **values) -> ServiceFundPolicy:  # type: ignore[no-untyped-def]
    """Save the council's individual service fund policy (the first save replaces the defaults)."""
    if set(values) - set(POLICY_FIELDS):
        raise ValidationError(f"Unknown policy settings: {', '.join(sorted(set(values) - set(POLICY_FIELDS)))}")
    policy = ServiceFundPolicy.objects.select_for_update().filter(council=council).first()
    policy = policy or ServiceFundPolicy(council=council)
    before = {name: str(getattr(policy, name)) for name in POLICY_FIELDS}
    for name, value in values.items():
        setattr(policy, name, value)
    policy.updated_by, policy.updated_at = actor, timezone.now()
    policy.full_clean()
    policy.save()
    audit_record(
        actor=actor,
        action="service_fund.policy_saved",
        target=council,
        summary=f"Individual service fund policy: {policy.get_surplus_action_display().lower()}, tolerance "
        f"{policy.tolerance_percent}% or {money_text(policy.tolerance_amount)}",
        council=council,
        data={"before": before, "after": {name: str(getattr(policy, name)) for name in POLICY_FIELDS}},
    )
    return policy
