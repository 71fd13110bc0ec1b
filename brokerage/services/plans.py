"""Support plans: what a line may buy, approval within delegated authority, escalation to a
budget-holding manager, and committing the money in the ledger.

Approval commits each line of the plan version once (keyed by the line), so approving twice, or
approving a reviewed plan, never commits the same line twice.
"""

import calendar
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from accounts.events import audit_record
from accounts.models import Membership, User
from accounts.notifications import notification_send, notification_send_many
from accounts.roles import Role
from accounts.templatetags.money import money_text
from brokerage import ledger
from brokerage.exceptions import BrokerageError, InsufficientFunds, TransitionNotAllowed
from brokerage.models import (
    AccountKind,
    Allocation,
    ApprovalRequest,
    BrokeragePolicy,
    Budget,
    DelegatedAuthority,
    HeldAs,
    LocalityFund,
    Outcome,
    PlanLine,
    PlanReview,
    PlanStatus,
    PlanStatusChange,
    SupportPlan,
)
from brokerage.services.contingency import contingency_hold_on_allocation
from brokerage.services.direct_payments import dp_schedule_create
from brokerage.services.service_funds import isf_schedule_create

PLAN_TRANSITIONS: dict[str, frozenset[str]] = {
    PlanStatus.DRAFT: frozenset({PlanStatus.AGREED, PlanStatus.CLOSED}),
    PlanStatus.AGREED: frozenset({PlanStatus.SUBMITTED, PlanStatus.DRAFT}),
    PlanStatus.SUBMITTED: frozenset({PlanStatus.APPROVED, PlanStatus.DRAFT}),
    PlanStatus.APPROVED: frozenset({PlanStatus.ACTIVE}),
    PlanStatus.ACTIVE: frozenset({PlanStatus.UNDER_REVIEW, PlanStatus.CLOSED}),
    PlanStatus.UNDER_REVIEW: frozenset({PlanStatus.ACTIVE, PlanStatus.CLOSED}),
    PlanStatus.CLOSED: frozenset(),
}


@dataclass
class LineCheck:
    refusals: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def plan_set_status(*, plan: SupportPlan, new_status: str, actor: User | None, reason: str = "") -> SupportPlan:
    """The one place a plan's status changes: locks the row, checks the move, records history."""
    with transaction.atomic():
        locked = SupportPlan.objects.select_for_update().get(pk=plan.pk)
        old_status = locked.status
        if new_status not in PLAN_TRANSITIONS[old_status]:
            raise TransitionNotAllowed(
                f"A plan that is {PlanStatus(old_status).label.lower()} cannot become "
                f"{PlanStatus(new_status).label.lower()}"
            )
        locked.status = new_status
        fields = ["status"]
        if new_status == PlanStatus.APPROVED:
            locked.approved_at = timezone.now()
            fields.append("approved_at")
        locked.save(update_fields=fields)
        PlanStatusChange.objects.create(
            plan=locked, old_status=old_status, new_status=new_status, actor=actor, reason=reason
        )
    plan.refresh_from_db()
    return plan


def policy_for(plan: SupportPlan) -> BrokeragePolicy:
    policy, _ = BrokeragePolicy.objects.get_or_create(
        council=plan.budget.council, financial_year=plan.budget.financial_year
    )
    return policy


def plan_line_check(line: PlanLine) -> LineCheck:
    """What a stream may not pay for (refusals, with the reason) and what to look at again (warnings)."""
    result = LineCheck()
    stream = line.stream
    # A stream that excludes a category excludes its sub-categories too (short breaks → respite at home).
    category_codes = {line.category.code}
    if line.category.parent_id:
        category_codes.add(line.category.parent.code)
    if stream.excluded_categories.filter(code__in=category_codes).exists():
        result.refusals.append(
            f"{stream.name} cannot pay for {line.category.name.lower()}. {stream.restriction_note}".strip()
        )
    if line.by_direct_payment:
        if not stream.direct_payment_allowed:
            result.refusals.append(
                f"{stream.name} cannot be taken as a direct payment. {stream.restriction_note}".strip()
            )
        elif stream.excluded_by_direct_payment.filter(code__in=category_codes).exists():
            result.refusals.append(
                f"{stream.name} cannot pay for {line.category.name.lower()} by direct payment. "
                f"{stream.restriction_note}".strip()
            )
    wage = policy_for(line.plan).national_living_wage
    if line.is_pa_wage and line.unit == "hour" and line.unit_cost < wage:
        result.warnings.append(
            f"{money_text(line.unit_cost)} an hour is below the National Living Wage of {money_text(wage)} an hour"
        )
    if _double_funded(line):
        result.warnings.append(
            f"{line.category.name} is already funded for {line.plan.person.first_name} at the same time "
            "from another funding stream: check this is not paid for twice"
        )
    return result


def _double_funded(line: PlanLine) -> bool:
    overlapping = Q(starts_on__isnull=True) | Q(ends_on__isnull=True)
    if line.starts_on and line.ends_on:
        overlapping |= Q(starts_on__lte=line.ends_on, ends_on__gte=line.starts_on)
    return (
        PlanLine.objects.filter(
            plan__person=line.plan.person,
            plan__status__in=[PlanStatus.APPROVED, PlanStatus.ACTIVE, PlanStatus.UNDER_REVIEW, PlanStatus.SUBMITTED],
            category=line.category,
            stopped_on__isnull=True,
        )
        .filter(overlapping)
        .exclude(stream=line.stream)
        .exclude(pk=line.pk)
        .exists()
    )


def plan_refusals(plan: SupportPlan) -> list[str]:
    return [refusal for line in plan.lines.all() for refusal in plan_line_check(line).refusals]


def delegated_limit(*, plan: SupportPlan, role: str) -> Decimal | None:
    limit = DelegatedAuthority.objects.filter(
        council=plan.budget.council, financial_year=plan.budget.financial_year, role=role
    ).first()
    return limit.limit_per_person if limit else None


def uncommitted_lines(plan: SupportPlan) -> list[PlanLine]:
    committed_keys = set(
        plan.budget.transactions.filter(kind="commit", reference__startswith="plan-line-").values_list(
            "reference", flat=True
        )
    )
    return [line for line in plan.lines.filter(stopped_on__isnull=True) if _line_key(line) not in committed_keys]


def committed_for_person_this_year(plan: SupportPlan) -> Decimal:
    """Everything committed for the person from this budget so far, by anyone."""
    from brokerage.statements import budget_statement

    statement = budget_statement(plan.budget)
    return (
        statement.total("committed")
        + statement.total("payable")
        + statement.total("spent")
        + statement.total("in_family_account")
        + statement.total("held_by_provider")
    )


@transaction.atomic
def plan_approve(*, plan: SupportPlan, actor: User, role: str) -> SupportPlan | ApprovalRequest:
    """Approve and commit at once within the approver's delegated authority and what is available;
    otherwise return the online request that goes to a budget-holding manager."""
    if plan.status != PlanStatus.SUBMITTED:
        raise TransitionNotAllowed("Only a plan waiting for approval can be approved")
    refusals = plan_refusals(plan)
    if refusals:
        raise BrokerageError(" ".join(refusals))
    lines = uncommitted_lines(plan)
    needed = sum((line.total for line in lines), Decimal("0.00"))
    limit = delegated_limit(plan=plan, role=role)
    spent_so_far = committed_for_person_this_year(plan)
    within_authority = limit is not None and spent_so_far + needed <= limit
    if within_authority and _fits(plan, lines):
        _commit_lines(plan, lines, actor)
        plan_set_status(plan=plan, new_status=PlanStatus.APPROVED, actor=actor, reason="Within delegated authority")
        return plan_set_status(plan=plan, new_status=PlanStatus.ACTIVE, actor=actor, reason="Plan goes live")
    available = _available(plan)
    return ApprovalRequest.objects.create(
        plan=plan,
        requested_by=actor,
        amount_requested=needed,
        reason="More than your delegated authority" if not within_authority else "More than the budget has left",
        figures={
            "needed": str(needed),
            "available": str(available),
            "delegated_limit": str(limit) if limit is not None else None,
            "committed_this_year": str(spent_so_far),
        },
    )


@transaction.atomic
def approval_decide(
    *,
    request: ApprovalRequest,
    manager: User,
    decision: str,
    reason: str = "",
    locality_fund: LocalityFund | None = None,
    amount: Decimal | None = None,
) -> ApprovalRequest:
    """A budget-holding manager approves (adding money from a locality fund if needed), approves in
    part, or declines with a reason."""
    request = ApprovalRequest.objects.select_for_update().get(pk=request.pk)
    if request.decision != ApprovalRequest.Decision.WAITING:
        raise BrokerageError("This request has already been decided")
    if decision == ApprovalRequest.Decision.DECLINED:
        if not reason.strip():
            raise BrokerageError("Give a reason for declining")
        _decide(request, manager, decision, reason, Decimal("0.00"), None)
        plan_set_status(plan=request.plan, new_status=PlanStatus.DRAFT, actor=manager, reason=reason)
        return request
    if locality_fund is not None and not locality_fund.managers.filter(pk=manager.pk).exists():
        raise BrokerageError("You do not manage this locality fund")
    amount = request.amount_requested if amount is None else amount
    plan = request.plan
    allocation = None
    if locality_fund is not None and amount > 0:
        allocation = Allocation.objects.create(
            budget=plan.budget, stream=locality_fund.stream, held_as=HeldAs.COUNCIL_MANAGED, locality_fund=locality_fund
        )
        ledger.allocate(
            allocation=allocation,
            amount=amount,
            key=f"approval-{request.public_id}",
            actor=manager,
            description=f"Approved by {manager} from {locality_fund}",
        )
    lines = uncommitted_lines(plan)
    if not _fits(plan, lines):
        raise InsufficientFunds("The budget still does not have enough: approve a larger amount or decline")
    # What the manager added pays for these lines first; the budget's own money stays for later.
    _commit_lines(plan, lines, manager, first=allocation)
    partial = decision == ApprovalRequest.Decision.APPROVED_IN_PART
    _decide(request, manager, decision, reason, amount, locality_fund)
    plan_set_status(plan=plan, new_status=PlanStatus.APPROVED, actor=manager, reason=reason or "Approved by manager")
    plan_set_status(
        plan=plan,
        new_status=PlanStatus.ACTIVE,
        actor=manager,
        reason="Approved in part" if partial else "Plan goes live",
    )
    return request


def _decide(request, manager, decision, reason, amount, fund) -> None:  # type: ignore[no-untyped-def]
    request.decision = decision
    request.decided_by = manager
    request.decided_at = timezone.now()
    request.decision_reason = reason
    request.amount_approved = amount
    request.locality_fund = fund
    request.save()


def _line_key(line: PlanLine) -> str:
    return f"plan-line-{line.public_id}"


def _allocations_for(plan: SupportPlan, line: PlanLine, first: Allocation | None = None) -> list[Allocation]:
    # Money from the stream itself first, then from locality funds of that stream, unless a manager's
    # allocation was made for these very lines.
    allocations = sorted(
        plan.budget.allocations.filter(stream=line.stream),
        key=lambda allocation: allocation.locality_fund_id is not None,
    )
    if first is not None and first in allocations:
        allocations.remove(first)
        allocations.insert(0, first)
    return allocations


def _available(plan: SupportPlan) -> Decimal:
    return sum(
        (ledger.balance(ledger.allocation_account(a, AccountKind.AVAILABLE)) for a in plan.budget.allocations.all()),
        Decimal("0.00"),
    )


def _fits(plan: SupportPlan, lines: list[PlanLine]) -> bool:
    needed: dict[int, Decimal] = {}
    for line in lines:
        needed[line.stream_id] = needed.get(line.stream_id, Decimal(0)) + line.total
    for stream_id, amount in needed.items():
        available = sum(
            (
                ledger.balance(ledger.allocation_account(a, AccountKind.AVAILABLE))
                for a in plan.budget.allocations.filter(stream_id=stream_id)
            ),
            Decimal("0.00"),
        )
        if available < amount:
            return False
    return True


def _commit_lines(plan: SupportPlan, lines: list[PlanLine], actor: User, first: Allocation | None = None) -> None:
    for line in lines:
        remaining = line.total
        for allocation in _allocations_for(plan, line, first):
            available = ledger.balance(ledger.allocation_account(allocation, AccountKind.AVAILABLE))
            part = min(available, remaining)
            if part <= 0:
                continue
            ledger.commit(
                allocation=allocation,
                amount=part,
                key=f"{_line_key(line)}-{allocation.pk}",
                reference=_line_key(line),
                description=line.description,
                actor=actor,
                outcome=line.outcome,
                category=line.category,
            )
            remaining -= part
        if remaining > 0:
            raise InsufficientFunds(f"Not enough left in {line.stream.name} for {line.description}")


@transaction.atomic
def plan_line_stop(*, line: PlanLine, actor: User, delivered: Decimal, on) -> PlanLine:  # type: ignore[no-untyped-def]
    """Stop a line at review: what was delivered stays committed, the rest is released.

    Only what the line itself still holds is released: money an order took over from the line (orders
    commit it under their own reference) is released when that order is cancelled or completed, so
    stopping the line never releases it a second time.
    """
    line = PlanLine.objects.select_for_update().get(pk=line.pk)
    if line.stopped_on:
        raise BrokerageError("This line has already stopped")
    remainder = line.total - delivered
    if remainder < 0:
        raise BrokerageError("More was delivered than the line allowed")
    # A line's money may sit in more than one allocation of its stream (the stream's own, a locality fund's).
    for allocation in _allocations_for(line.plan, line):
        part = min(remainder, ledger.committed_under(allocation=allocation, reference=_line_key(line)))
        if part <= 0:
            continue
        ledger.release(
            allocation=allocation,
            amount=part,
            key=f"{_line_key(line)}-release-{allocation.pk}",
            reference=_line_key(line),
            description=f"{line.description} stopped",
            actor=actor,
        )
        remainder -= part
    line.stopped_on = on
    line.save(update_fields=["stopped_on"])
    return line


# --- Casework: budgets, the plan builder, submission and decisions with notifications ---------------
# The screens call these; each records an audit row, and anything that waits on someone notifies them.


def _audit(actor: User, action: str, target, summary: str, council, reason: str = "") -> None:  # type: ignore[no-untyped-def]
    audit_record(actor=actor, action=action, target=target, summary=summary, council=council, reason=reason)


def _as_validation_error(error: BrokerageError):  # type: ignore[no-untyped-def]
    return ValidationError(str(error))


@transaction.atomic
def budget_create(*, person, actor: User, financial_year: int, starts_on, ends_on) -> Budget:  # type: ignore[no-untyped-def]
    budget = Budget(
        person=person, council=person.council, financial_year=financial_year, starts_on=starts_on, ends_on=ends_on
    )
    budget.full_clean()
    budget.save()
    _audit(actor, "budget.created", budget, f"Started a budget for {person}, {budget}", person.council)
    return budget


@transaction.atomic
def allocation_add(
    *,
    budget,  # type: ignore[no-untyped-def]
    actor: User,
    stream,
    held_as: str,
    amount: Decimal,
    isf_provider=None,
    broker_organisation=None,
) -> Allocation:
    """Add money from one funding stream to a budget, held one way; the stream's pool pays for it."""
    if stream.council_id != budget.council_id or stream.financial_year != budget.financial_year:
        raise ValidationError({"stream": "Choose a funding stream of this council for the budget's year"})
    if held_as == HeldAs.DIRECT_PAYMENT and not stream.direct_payment_allowed:
        raise ValidationError({"held_as": f"{stream.name} cannot be taken as a direct payment"})
    allocation = Allocation(
        budget=budget,
        stream=stream,
        held_as=held_as,
        isf_provider=isf_provider if held_as == HeldAs.ISF else None,
        broker_organisation=broker_organisation if held_as == HeldAs.BROKER_MANAGED else None,
    )
    if held_as == HeldAs.ISF and isf_provider is None:
        raise ValidationError({"isf_provider": "Name the provider that holds the individual service fund"})
    if held_as == HeldAs.BROKER_MANAGED and broker_organisation is None:
        raise ValidationError({"broker_organisation": "Name the broker that manages the money"})
    allocation.full_clean()
    allocation.save()
    try:
        ledger.allocate(allocation=allocation, amount=amount, key=f"allocation-{allocation.public_id}", actor=actor)
    except BrokerageError as error:
        raise ValidationError({"amount": str(error)}) from error
    _audit(
        actor, "budget.allocation_added", budget, f"Allocated {money_text(amount)} from {allocation}", budget.council
    )
    contingency_hold_on_allocation(allocation=allocation, allocated=amount, actor=actor)
    if held_as == HeldAs.DIRECT_PAYMENT:
        dp_schedule_create(allocation=allocation, actor=actor)
    if held_as == HeldAs.ISF:
        isf_schedule_create(allocation=allocation, actor=actor)
    return allocation


@transaction.atomic
def plan_create(*, budget, actor: User, family_own_support: str = "") -> SupportPlan:  # type: ignore[no-untyped-def]
    """The first plan for a budget; later versions come from reviews."""
    if budget.plans.exists():
        raise ValidationError("This budget already has a plan: change it at its review, which starts a new version")
    plan = SupportPlan(person=budget.person, budget=budget, family_own_support=family_own_support, created_by=actor)
    plan.full_clean()
    plan.save()
    _audit(actor, "plan.created", plan, f"Started {plan}", budget.council)
    return plan


def _ensure_draft(plan: SupportPlan) -> None:
    if plan.status != PlanStatus.DRAFT:
        raise ValidationError("Only a draft plan can be changed: move it back to draft first")


@transaction.atomic
def plan_outcome_add(*, plan: SupportPlan, actor: User, domain: str, description: str, baseline_score: int):  # type: ignore[no-untyped-def]
    _ensure_draft(plan)
    outcome = Outcome(plan=plan, domain=domain, description=description, baseline_score=baseline_score)
    outcome.full_clean()
    outcome.save()
    _audit(actor, "plan.outcome_added", plan, f"Added the outcome “{outcome}”", plan.budget.council)
    return outcome


@transaction.atomic
def plan_line_add(*, plan: SupportPlan, actor: User, **fields) -> tuple[PlanLine, LineCheck]:  # type: ignore[no-untyped-def]
    """Add a costed line unless its stream may not pay for it; returns the warnings to look at again."""
    _ensure_draft(plan)
    line = PlanLine(plan=plan, **fields)
    if line.offer_id and not line.supplier_name:
        line.supplier_name = line.offer.provider_name
    line.full_clean()
    check = plan_line_check(line)
    if check.refusals:
        raise ValidationError({"stream": check.refusals})
    line.save()
    _audit(actor, "plan.line_added", plan, f"Added “{line}”, {money_text(line.total)}", plan.budget.council)
    return line, check


@transaction.atomic
def plan_line_remove(*, line: PlanLine, actor: User) -> None:
    _ensure_draft(line.plan)
    _audit(
        actor, "plan.line_removed", line.plan, f"Removed “{line}”, {money_text(line.total)}", line.plan.budget.council
    )
    line.delete()


def plan_status_change(*, plan: SupportPlan, actor: User, new_status: str, reason: str = "") -> SupportPlan:
    """A worker's move (agreed with the family, back to draft, closed); approval and review have their own."""
    try:
        with transaction.atomic():
            plan_set_status(plan=plan, new_status=new_status, actor=actor, reason=reason)
            _audit(
                actor,
                "plan.status_changed",
                plan,
                f"{plan} is now {PlanStatus(new_status).label.lower()}",
                plan.budget.council,
                reason,
            )
    except BrokerageError as error:
        raise _as_validation_error(error) from error
    return plan


def add_months(day, months: int):  # type: ignore[no-untyped-def]
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def plan_review_schedule(*, plan: SupportPlan) -> PlanReview:
    """The next review falls due the council's review interval after today."""
    due_on = add_months(timezone.localdate(), policy_for(plan).review_interval_months)
    plan.review_due_on = due_on
    plan.save(update_fields=["review_due_on"])
    return PlanReview.objects.create(plan=plan, due_on=due_on)


def budget_holding_managers(council) -> list[User]:  # type: ignore[no-untyped-def]
    memberships = Membership.objects.active().filter(
        Q(organisation=council) | Q(organisation__council=council), role=Role.BUDGET_HOLDING_MANAGER
    )
    return [membership.user for membership in memberships.select_related("user")]


@transaction.atomic
def plan_submit(*, plan: SupportPlan, actor: User, role: str, reason: str = "") -> SupportPlan | ApprovalRequest:
    """Submit an agreed plan. Within the worker's delegated authority it is approved and goes live at
    once; otherwise a request with the worker's reason and the numbers goes to the budget-holding
    managers, who are told by email and in the site."""

    try:
        plan_set_status(plan=plan, new_status=PlanStatus.SUBMITTED, actor=actor, reason=reason)
        result = plan_approve(plan=plan, actor=actor, role=role)
    except BrokerageError as error:
        raise _as_validation_error(error) from error
    council = plan.budget.council
    if isinstance(result, SupportPlan):
        plan_review_schedule(plan=result)
        _audit(actor, "plan.approved", plan, f"{plan} approved within delegated authority", council)
        return result
    if reason.strip():
        result.reason = f"{result.reason}. {reason.strip()}"
        result.save(update_fields=["reason"])
    _audit(
        actor,
        "approval.requested",
        plan,
        f"Asked a manager to approve {money_text(result.amount_requested)}",
        council,
        reason,
    )
    notification_send_many(
        recipients=budget_holding_managers(council),
        subject=f"A support plan for {plan.person.first_name} needs your approval",
        body=f"{actor} asks you to approve {money_text(result.amount_requested)}: {result.reason}",
        link=reverse("brokerage:approval", args=[result.public_id]),
    )
    notification_send(
        recipient=actor,
        subject="Your plan has gone to a budget-holding manager",
        body=(
            f"{plan} needs {money_text(result.amount_requested)} more than you may approve; "
            "we will tell you the decision."
        ),
        link=reverse("brokerage:plan", args=[plan.public_id]),
    )
    return result


def approval_decide_and_tell(
    *,
    request: ApprovalRequest,
    manager: User,
    decision: str,
    reason: str = "",
    locality_fund: LocalityFund | None = None,
    amount: Decimal | None = None,
) -> ApprovalRequest:
    """A manager's decision, as ``approval_decide``; the worker who asked is told either way."""
    try:
        with transaction.atomic():
            request = approval_decide(
                request=request,
                manager=manager,
                decision=decision,
                reason=reason,
                locality_fund=locality_fund,
                amount=amount,
            )
            plan = request.plan
            plan.refresh_from_db()
            if plan.status == PlanStatus.ACTIVE:
                plan_review_schedule(plan=plan)
            label = ApprovalRequest.Decision(decision).label.lower()
            _audit(
                manager,
                "approval.decided",
                plan,
                f"Request for {money_text(request.amount_requested)} {label}",
                plan.budget.council,
                reason,
            )
            notification_send(
                recipient=request.requested_by,
                subject=f"The plan for {plan.person.first_name}: {label}",
                body=f"{manager} has {label} your request for {money_text(request.amount_requested)}. {reason}".strip(),
                link=reverse("brokerage:plan", args=[plan.public_id]),
            )
    except BrokerageError as error:
        raise _as_validation_error(error) from error
    return request
