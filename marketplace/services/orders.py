"""Orders: placing one commits its money in the ledger (or draws down a council block contract); the
provider accepts, declines or proposes a change; the budget holder accepts or rejects the change;
cancelling or completing releases what is no longer needed.

Who may act for the budget (``budget_authority``): the person's consent holder (a parent or carer, or
the young person once consent has passed to them), their named lead professional (within the council's
delegated authority for lead professionals, if one is set), or a broker or practitioner the consent
holder gave an access grant "to act" (within the grant's spending limit). Who may act for the provider:
active staff of the provider organisation, or the personal assistant themselves.

Every ledger transaction of an order carries ``order.ledger_reference``; its idempotency key is derived
from the order and the event (placing, a change, a cancellation…), so repeating a request never moves
money twice.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from accounts.events import audit_record
from accounts.models import Membership, Organisation, User
from accounts.notifications import notification_send_many
from accounts.roles import Role
from brokerage import ledger
from brokerage.exceptions import BrokerageError, NotAllowed, TransitionNotAllowed
from brokerage.models import (
    AccessGrant,
    Allocation,
    DelegatedAuthority,
    FundingStream,
    HeldAs,
    LineFrequency,
    PersonSupported,
    PlanLine,
    PlanStatus,
)
from brokerage.services.consent import consent_holder, people_visible_to
from brokerage.services.plans import budget_holding_managers
from brokerage.statements import budget_statement
from marketplace.models import BlockContract, Order, OrderChange, OrderStatus, OrderStatusChange, PAEmployment
from marketplace.models.invoices import WAITING_INVOICE_STATUSES, plain, priced
from marketplace.models.order_requests import OrderRequest, OrderRequestStatus
from marketplace.models.orders import CLOSED_ORDER_STATUSES, LIVE_ORDER_STATUSES
from marketplace.order_selectors import (
    block_contract_remaining,
    committed_under,
    order_commitment,
    units_delivered,
    units_invoiced,
)
from marketplace.services.interests import interest_check
from providers.models import EmploymentPreference, Offer, PersonalAssistantProfile, VatStatus

ZERO = Decimal("0.00")

ORDER_TRANSITIONS: dict[str, frozenset[str]] = {
    OrderStatus.PLACED: frozenset(
        {OrderStatus.ACCEPTED, OrderStatus.DECLINED, OrderStatus.CHANGE_PROPOSED, OrderStatus.CANCELLED}
    ),
    OrderStatus.CHANGE_PROPOSED: frozenset({OrderStatus.ACCEPTED, OrderStatus.PLACED, OrderStatus.CANCELLED}),
    OrderStatus.ACCEPTED: frozenset({OrderStatus.CHANGE_PROPOSED, OrderStatus.CANCELLED, OrderStatus.COMPLETED}),
    OrderStatus.DECLINED: frozenset(),
    OrderStatus.CANCELLED: frozenset(),
    OrderStatus.COMPLETED: frozenset(),
}
PLANS_THAT_PAY = (PlanStatus.APPROVED, PlanStatus.ACTIVE, PlanStatus.UNDER_REVIEW)


# --- Authority ------------------------------------------------------------------------------------


class BeyondAuthority(NotAllowed):
    """The order would take the budget beyond the lead professional's delegated authority: unlike other
    refusals, a budget-holding manager may approve it (``marketplace.services.order_requests``)."""


@dataclass(frozen=True)
class Authority:
    """Why a user may act for a person's budget, and the most they may commit (None: what is available)."""

    kind: str  # "consent_holder", "lead_professional" or "grant"
    limit: Decimal | None = None

    @property
    def may_override(self) -> bool:
        # Letting an invoice through beyond its order is for the budget holders themselves, not for a
        # broker or practitioner acting under a grant.
        return self.kind in {"consent_holder", "lead_professional"}


def budget_authority(*, user: User, person: PersonSupported, financial_year: int | None = None) -> Authority | None:
    holder = consent_holder(person)
    if holder is not None and holder.user_id == user.pk:
        return Authority("consent_holder")
    # A lead professional acts within the council's delegated authority, but only while the family's
    # consent stands: being named lead professional is no access by itself (DOMAIN.md).
    if person.lead_professional_id == user.pk and people_visible_to(user).filter(pk=person.pk).exists():
        year = financial_year or ledger_year(timezone.localdate())
        limit = DelegatedAuthority.objects.filter(
            council=person.council, financial_year=year, role=Role.LEAD_PROFESSIONAL
        ).first()
        return Authority("lead_professional", limit.limit_per_person if limit else None)
    today = timezone.localdate()
    grant = (
        AccessGrant.objects.filter(person=person, grantee=user, scope=AccessGrant.Scope.ACT, revoked_at__isnull=True)
        .filter(Q(until__isnull=True) | Q(until__gte=today))
        .order_by("-granted_at")
        .first()
    )
    if grant is not None:
        return Authority("grant", grant.spending_limit)
    return None


def ledger_year(day: date) -> int:
    return day.year if day.month >= 4 else day.year - 1


def authority_required(*, user: User, person: PersonSupported) -> Authority:
    authority = budget_authority(user=user, person=person)
    if authority is None:
        raise NotAllowed(f"You cannot act for {person.first_name}'s budget")
    return authority


def _check_within_authority(*, authority: Authority, actor: User, order: Order, extra: Decimal) -> None:
    """Refuse new commitment beyond the actor's delegated authority or spending limit."""
    if authority.limit is None or extra <= 0:
        return
    if authority.kind == "lead_professional":
        statement = budget_statement(order.allocation.budget)
        used = sum((statement.total(name) for name in ("committed", "payable", "spent", "in_family_account")), ZERO)
        if used + extra > authority.limit:
            raise BeyondAuthority(
                f"This would take {order.person.first_name}'s budget to £{used + extra:,.2f}, above your delegated "
                f"authority of £{authority.limit:,.2f}: ask a budget-holding manager to approve it"
            )
        return
    placed = Order.objects.filter(person=order.person, placed_by=actor).exclude(
        Q(status=OrderStatus.DECLINED) | Q(pk=order.pk)
    )
    used = sum((order_value(other) for other in placed), ZERO)
    if used + order_value(order) > authority.limit:
        raise NotAllowed(
            f"The family agreed that you may order up to £{authority.limit:,.2f} for {order.person.first_name}; "
            f"this would make £{used + order_value(order):,.2f}"
        )


# --- Parties --------------------------------------------------------------------------------------


def provider_users(order: Order) -> list[User]:
    if order.personal_assistant_id:
        return [order.personal_assistant.user]
    memberships = (
        Membership.objects.active()
        .with_roles(Role.PROVIDER_STAFF)
        .filter(organisation_id=order.provider_organisation_id)
        .select_related("user")
    )
    return [membership.user for membership in memberships]


def is_provider_user(*, user: User, order: Order) -> bool:
    return any(candidate.pk == user.pk for candidate in provider_users(order))


def provider_required(*, user: User, order: Order) -> None:
    if not is_provider_user(user=user, order=order):
        raise NotAllowed("Only the provider can do this")


def budget_holders(order: Order) -> list[User]:
    """Who is told when the budget side must act: whoever placed the order, and the consent holder."""
    holder = consent_holder(order.person)
    return [order.placed_by, *([holder.user] if holder else [])]


def _notify(recipients: list[User], subject: str, body: str, *, order: Order) -> None:
    """Tell people about an order, with a link to it: every notice is about something they can open."""
    if recipients:
        link = reverse("marketplace:order", args=[order.public_id])
        notification_send_many(recipients=recipients, subject=subject, body=body, link=link)


def _audit(*, actor: User | None, action: str, order: Order, summary: str, reason: str = "", **data) -> None:  # type: ignore[no-untyped-def]
    audit_record(
        actor=actor,
        action=action,
        target=order,
        summary=summary,
        council=order.person.council,
        reason=reason,
        data={key: str(value) for key, value in data.items()},
    )


# --- Money ----------------------------------------------------------------------------------------


def order_value(order: Order) -> Decimal:
    """What the order costs in full: units × rate, plus VAT when the provider charges it on top."""
    return priced(units=order.units, rate=order.rate, vat_status=order.vat_status).gross


def delivered_not_invoiced_value(order: Order) -> Decimal:
    """Work done and not yet invoiced: its money stays committed so that the provider can still be paid.
    Units on a refused invoice count as invoiced here: refusing an invoice on an ended order frees its
    money, and a corrected invoice is then paid from what is available."""
    if not order.invoices_expected:
        return ZERO
    units = units_delivered(order) - units_invoiced(order, refused_too=True)
    if units <= 0:
        return ZERO
    return priced(units=units, rate=order.rate, vat_status=order.vat_status).gross


def waiting_invoices_value(order: Order) -> Decimal:
    return sum(
        (invoice.total - credited(invoice) for invoice in order.invoices.filter(status__in=WAITING_INVOICE_STATUSES)),
        ZERO,
    )


def credited(invoice) -> Decimal:  # type: ignore[no-untyped-def]
    return sum((note.total for note in invoice.credit_notes.all()), ZERO)


def order_release_surplus(*, order: Order, key: str, actor: User | None, reason: str) -> Decimal:
    """For a cancelled, completed or declined order: release what it holds beyond work delivered and not
    yet invoiced, and invoices waiting for a decision. Returns the amount released."""
    if order.allocation_id is None or order.status in LIVE_ORDER_STATUSES:
        return ZERO
    still_needed = ZERO
    if order.status in CLOSED_ORDER_STATUSES:
        still_needed = delivered_not_invoiced_value(order) + waiting_invoices_value(order)
    surplus = order_commitment(order) - still_needed
    if surplus <= 0:
        return ZERO
    ledger.release(
        allocation=order.allocation,
        amount=surplus,
        key=key,
        reference=order.ledger_reference,
        description=f"{order.description}: {reason}",
        actor=actor,
        **ledger_tags(order),
    )
    return surplus


def ledger_tags(order: Order) -> dict:  # type: ignore[type-arg]
    """The outcome and category of the order's plan line, for every movement of the order's money: the
    statement shows commitments and spend by outcome, so releases must carry them as commits do."""
    line = order.plan_line
    return {"outcome": line.outcome if line else None, "category": line.category if line else None}


def _commit_for_order(*, order: Order, amount: Decimal, key: str, actor: User, description: str) -> None:
    if amount > 0:
        ledger.commit(
            allocation=order.allocation,
            amount=amount,
            key=key,
            reference=order.ledger_reference,
            description=description,
            actor=actor,
            **ledger_tags(order),
        )


def _take_from_plan_line(*, order: Order, actor: User) -> Decimal:
    """An approved plan line's money is already committed: the order takes over as much of it as it
    needs (released from the line and committed again under the order), so it is not reserved twice."""
    line_reference = f"plan-line-{order.plan_line.public_id}"
    held_for_line = committed_under(allocation=order.allocation, reference=line_reference)
    taken = min(held_for_line, order_value(order))
    if taken > 0:
        ledger.release(
            allocation=order.allocation,
            amount=taken,
            key=f"{order.ledger_reference}-from-plan-line",
            reference=line_reference,
            description=f"Passed to the order: {order.description}",
            actor=actor,
            **ledger_tags(order),
        )
    return taken


# --- Status ---------------------------------------------------------------------------------------


def _order_lock(order: Order) -> Order:
    return Order.objects.select_for_update(of=("self",)).select_related("person", "allocation__budget").get(pk=order.pk)


def order_set_status(*, order: Order, new_status: str, actor: User | None, reason: str = "") -> Order:
    """The one place an order's status changes: checks the move and records its history. The caller
    holds the row lock (``_order_lock``)."""
    old_status = order.status
    if new_status not in ORDER_TRANSITIONS[old_status]:
        raise TransitionNotAllowed(
            f"An order that is {OrderStatus(old_status).label.lower()} cannot become "
            f"{OrderStatus(new_status).label.lower()}"
        )
    order.status = new_status
    order.status_changed_at = timezone.now()
    order.save(update_fields=["status", "status_changed_at"])
    OrderStatusChange.objects.create(
        order=order, old_status=old_status, new_status=new_status, actor=actor, reason=reason
    )
    return order


# --- Placing --------------------------------------------------------------------------------------


@transaction.atomic
def order_place(
    *,
    actor: User,
    person: PersonSupported,
    offer: Offer,
    units: Decimal,
    unit: str,
    rate: Decimal | None = None,
    starts_on: date,
    ends_on: date,
    description: str = "",
    allocation: Allocation | None = None,
    block_contract: BlockContract | None = None,
    plan_line: PlanLine | None = None,
    vat_status: str = VatStatus.NOT_REGISTERED,
    schedule: str = "",
    frequency: str = LineFrequency.WEEKLY,
    pa_employment: str = "",
    approved_request: OrderRequest | None = None,
) -> Order:
    """Place an order and commit its money (or draw down the block contract). Refused beyond what the
    budget has available, beyond the actor's authority, or where it would fund the same support twice.

    A broker ordering from a provider their own organisation has an interest in is refused
    (``marketplace.services.interests.interest_check``): the order needs a manager's sign-off. With
    ``approved_request`` (an ``OrderRequest`` a budget-holding manager approved, row-locked by the caller)
    the manager's approval is the authority, once only."""
    authority = _placing_authority(actor=actor, person=person, approved_request=approved_request)
    if approved_request is None and authority.kind != "consent_holder":
        interest_check(actor=actor, offer=offer)
    if (allocation is None) == (block_contract is None):
        raise BrokerageError("Choose the budget money that pays for this, or a block contract")
    if not Offer.objects.published().filter(pk=offer.pk).exists():
        raise BrokerageError("This offer is not available to order")
    if block_contract is not None:
        rate = block_contract.rate
    if rate is None:
        raise BrokerageError("Give the rate agreed with the provider")
    order = Order(
        person=person,
        allocation=allocation,
        block_contract=block_contract,
        stream=allocation.stream if allocation else block_contract.stream,  # type: ignore[union-attr]
        plan_line=plan_line,
        offer=offer,
        provider_organisation=offer.organisation,
        personal_assistant=offer.personal_assistant,
        pa_employment=pa_employment,
        description=description or str(offer),
        units=units,
        unit=unit,
        rate=rate,
        vat_status=vat_status,
        schedule=schedule,
        frequency=frequency,
        starts_on=starts_on,
        ends_on=ends_on,
        placed_by=actor,
    )
    order.full_clean()
    _check_employment(order)
    _check_no_double_funding(order)
    if block_contract is not None:
        _check_block_contract(order, block_contract, order.units)
        order.block_units_held = order.units
        order.save()
    else:
        _check_budget(order)
        order.save()
        taken = _take_from_plan_line(order=order, actor=actor) if plan_line is not None else ZERO
        _check_within_authority(authority=authority, actor=actor, order=order, extra=order_value(order) - taken)
        _commit_for_order(
            order=order,
            amount=order_value(order),
            key=f"{order.ledger_reference}-place",
            actor=actor,
            description=f"Order: {order.description}",
        )
    OrderStatusChange.objects.create(order=order, new_status=OrderStatus.PLACED, actor=actor)
    _audit(
        actor=actor,
        action="order.placed",
        order=order,
        summary=f"Ordered {order.units} {order.unit} of {order.description} for {person} from {order.provider_name}",
        value=order_value(order),
        block_contract=block_contract.reference if block_contract else "",
        approved_request=approved_request.public_id if approved_request else "",
    )
    _notify(
        provider_users(order),
        f"New order: {order.description}",
        f"{actor} has ordered {order.units} {order.unit} at £{order.rate} from {order.starts_on:%-d %B %Y} to "
        f"{order.ends_on:%-d %B %Y}. Accept it, decline it or propose a change.",
        order=order,
    )
    return order


def _placing_authority(*, actor: User, person: PersonSupported, approved_request: OrderRequest | None) -> Authority:
    if approved_request is None:
        return authority_required(user=actor, person=person)
    # The request's approval is spent by the order it places: a second placing finds ``order`` set.
    if (
        approved_request.person_id != person.pk
        or approved_request.status != OrderRequestStatus.APPROVED
        or approved_request.decided_by_id != actor.pk
        or approved_request.order_id is not None
    ):
        raise NotAllowed("This request has not been approved for an order, or its order is already placed")
    if actor not in budget_holding_managers(person.council):
        raise NotAllowed("Only a budget-holding manager of the council can approve this order")
    return Authority("manager_approval")


def _check_employment(order: Order) -> None:
    if not order.personal_assistant_id:
        return
    preference = order.personal_assistant.employment_preference
    if preference == EmploymentPreference.SELF_EMPLOYED and order.pa_employment == PAEmployment.EMPLOYED_BY_FAMILY:
        raise BrokerageError(f"{order.personal_assistant} works self-employed and sends invoices")
    if preference == EmploymentPreference.EMPLOYED_BY_FAMILY and order.pa_employment == PAEmployment.SELF_EMPLOYED:
        raise BrokerageError(f"{order.personal_assistant} works only as an employee of a family")
    if order.pa_employment == PAEmployment.EMPLOYED_BY_FAMILY:
        if order.allocation_id is None or order.allocation.held_as != HeldAs.DIRECT_PAYMENT:
            raise BrokerageError("A personal assistant employed by the family is paid from the family's direct payment")
        if order.vat_status != VatStatus.NOT_REGISTERED:
            raise BrokerageError("An employee's wages carry no VAT")


def _check_budget(order: Order) -> None:
    allocation = order.allocation
    budget = allocation.budget  # type: ignore[union-attr]
    if budget.person_id != order.person_id:
        raise NotAllowed("This money is not in this person's budget")
    if order.starts_on < budget.starts_on or order.ends_on > budget.ends_on:
        raise BrokerageError(
            f"The order must fall within the budget's year, {budget.starts_on:%-d %B %Y} to {budget.ends_on:%-d %B %Y}"
        )
    line = order.plan_line
    if line is None:
        return
    if line.plan.budget_id != budget.pk or line.plan.status not in PLANS_THAT_PAY or line.stopped_on:
        raise BrokerageError("Order only from a line of the person's approved plan that has not stopped")
    if line.stream_id != allocation.stream_id:  # type: ignore[union-attr]
        raise BrokerageError(f"This plan line is paid by {line.stream.name}: choose money from that stream")


def _check_block_contract(order: Order, contract: BlockContract, units: Decimal, *, already: Decimal = ZERO) -> None:
    """Under the contract's row lock, so that two orders at once cannot take its last hours twice."""
    contract = BlockContract.objects.select_for_update().get(pk=contract.pk)
    if contract.council_id != order.person.council_id:
        raise NotAllowed("This block contract belongs to another council")
    same_provider = (
        contract.provider_organisation_id == order.provider_organisation_id
        and contract.personal_assistant_id == order.personal_assistant_id
    )
    if not same_provider or (contract.offer_id and contract.offer_id != order.offer_id):
        raise BrokerageError("This block contract does not cover this provider's offer")
    if order.starts_on < contract.starts_on or order.ends_on > contract.ends_on:
        raise BrokerageError(
            f"The block contract runs from {contract.starts_on:%-d %B %Y} to {contract.ends_on:%-d %B %Y}"
        )
    if order.unit != contract.unit:
        raise BrokerageError(f"The block contract is bought {contract.get_unit_display()}")
    remaining = block_contract_remaining(contract) + already
    if units > remaining:
        raise BrokerageError(
            f"The block contract has {plain(remaining)} {contract.unit} left; this needs {plain(units)}"
        )


def _check_no_double_funding(order: Order) -> None:
    """The same support from the same offer, at the same time, is not paid for both from the budget and
    from a block contract."""
    other_way = Q(block_contract__isnull=True) if order.block_contract_id else Q(block_contract__isnull=False)
    clash = (
        Order.objects.filter(person=order.person, offer=order.offer, status__in=LIVE_ORDER_STATUSES)
        .filter(other_way)
        .filter(starts_on__lte=order.ends_on, ends_on__gte=order.starts_on)
        .exclude(pk=order.pk)
    )
    if clash.exists():
        raise BrokerageError(
            f"{order.person.first_name} already has this support at the same time, paid for another way: "
            "it would be paid for twice"
        )


# --- The provider answers -------------------------------------------------------------------------


@transaction.atomic
def order_accept(*, order: Order, actor: User) -> Order:
    order = _order_lock(order)
    provider_required(user=actor, order=order)
    order_set_status(order=order, new_status=OrderStatus.ACCEPTED, actor=actor)
    _audit(actor=actor, action="order.accepted", order=order, summary=f"{order.provider_name} accepted {order}")
    _notify(
        budget_holders(order),
        f"Order accepted: {order.description}",
        f"{order.provider_name} accepted the order.",
        order=order,
    )
    return order


@transaction.atomic
def order_decline(*, order: Order, actor: User, reason: str) -> Order:
    """The provider declines: the whole commitment (or the block contract's hours) is given back."""
    order = _order_lock(order)
    provider_required(user=actor, order=order)
    if not reason.strip():
        raise BrokerageError("Say why you are declining, so that the family can look elsewhere")
    order_set_status(order=order, new_status=OrderStatus.DECLINED, actor=actor, reason=reason)
    _release_everything(order, key=f"{order.ledger_reference}-decline", actor=actor, why="declined")
    _audit(
        actor=actor,
        action="order.declined",
        order=order,
        summary=f"{order.provider_name} declined {order}",
        reason=reason,
    )
    _notify(
        budget_holders(order),
        f"Order declined: {order.description}",
        f"{order.provider_name} declined the order: {reason}. The money is available again.",
        order=order,
    )
    return order


def _release_everything(order: Order, *, key: str, actor: User, why: str) -> None:
    if order.block_contract_id:
        order.block_units_held = ZERO
        order.save(update_fields=["block_units_held"])
        return
    remaining = order_commitment(order)
    if remaining > 0:
        ledger.release(
            allocation=order.allocation,
            amount=remaining,
            key=key,
            reference=order.ledger_reference,
            description=f"{order.description}: {why}",
            actor=actor,
            **ledger_tags(order),
        )


# --- Changes --------------------------------------------------------------------------------------


@transaction.atomic
def order_change_propose(
    *, order: Order, actor: User, units: Decimal, rate: Decimal, starts_on: date, ends_on: date, reason: str
) -> OrderChange:
    order = _order_lock(order)
    provider_required(user=actor, order=order)
    if order.status not in (OrderStatus.PLACED, OrderStatus.ACCEPTED):
        raise TransitionNotAllowed("A change can be proposed only to an order waiting for you or accepted")
    if order.block_contract_id and rate != order.rate:
        raise BrokerageError("The block contract's rate is fixed: change the units or dates instead")
    if units < units_delivered(order):
        raise BrokerageError(f"{units_delivered(order)} {order.unit} have already been delivered")
    change = OrderChange(
        order=order,
        units=units,
        rate=rate,
        starts_on=starts_on,
        ends_on=ends_on,
        reason=reason,
        status_before=order.status,
        proposed_by=actor,
    )
    change.full_clean()
    change.save()
    order_set_status(order=order, new_status=OrderStatus.CHANGE_PROPOSED, actor=actor, reason=reason)
    _audit(
        actor=actor,
        action="order.change_proposed",
        order=order,
        summary=f"{order.provider_name} proposed {units} {order.unit} at £{rate}, {starts_on} to {ends_on}",
        reason=reason,
    )
    _notify(
        budget_holders(order),
        f"Change proposed: {order.description}",
        f"{order.provider_name} proposes {units} {order.unit} at £{rate} from {starts_on:%-d %B %Y} to "
        f"{ends_on:%-d %B %Y}: {reason}. Accept or reject it.",
        order=order,
    )
    return change


def _waiting_change_lock(change: OrderChange) -> tuple[OrderChange, Order]:
    order = _order_lock(change.order)
    change = OrderChange.objects.select_for_update().get(pk=change.pk)
    if change.decision != OrderChange.Decision.WAITING:
        raise TransitionNotAllowed("This change has already been decided")
    return change, order


@transaction.atomic
def order_change_accept(*, change: OrderChange, actor: User) -> Order:
    """The new terms replace the old; the difference in value is committed, or released."""
    change, order = _waiting_change_lock(change)
    authority = authority_required(user=actor, person=order.person)
    old_value = order_value(order)
    if order.block_contract_id:
        _check_block_contract(order, order.block_contract, change.units, already=order.block_units_held)
        order.block_units_held = change.units
    order.units, order.rate, order.starts_on, order.ends_on = (
        change.units,
        change.rate,
        change.starts_on,
        change.ends_on,
    )
    order.full_clean()
    if order.allocation_id:
        _check_budget(order)
    order.save(update_fields=["units", "rate", "starts_on", "ends_on", "block_units_held"])
    difference = order_value(order) - old_value
    if order.allocation_id and difference > 0:
        _check_within_authority(authority=authority, actor=actor, order=order, extra=difference)
        _commit_for_order(
            order=order,
            amount=difference,
            key=f"{change.ledger_key}-commit",
            actor=actor,
            description=f"Change accepted: {order.description}",
        )
    elif order.allocation_id and difference < 0 and order_commitment(order) > 0:
        # Never more than the order still holds: invoices may already have settled part of it.
        ledger.release(
            allocation=order.allocation,
            amount=min(-difference, order_commitment(order)),
            key=f"{change.ledger_key}-release",
            reference=order.ledger_reference,
            description=f"Change accepted: {order.description}",
            actor=actor,
            **ledger_tags(order),
        )
    _decide_change(change, actor, OrderChange.Decision.ACCEPTED, "")
    order_set_status(order=order, new_status=OrderStatus.ACCEPTED, actor=actor, reason="Change accepted")
    _audit(
        actor=actor,
        action="order.change_accepted",
        order=order,
        summary=f"Change to {order} accepted",
        difference=difference,
    )
    _notify(
        provider_users(order),
        f"Change accepted: {order.description}",
        f"{actor} accepted your proposed change.",
        order=order,
    )
    return order


@transaction.atomic
def order_change_reject(*, change: OrderChange, actor: User, reason: str) -> Order:
    """The order stays as it was, and goes back to where it was before the proposal."""
    change, order = _waiting_change_lock(change)
    authority_required(user=actor, person=order.person)
    _decide_change(change, actor, OrderChange.Decision.REJECTED, reason)
    order_set_status(order=order, new_status=change.status_before, actor=actor, reason=reason or "Change rejected")
    _audit(
        actor=actor, action="order.change_rejected", order=order, summary=f"Change to {order} rejected", reason=reason
    )
    _notify(
        provider_users(order),
        f"Change rejected: {order.description}",
        f"{actor} rejected your proposed change{': ' + reason if reason else ''}. The order stands as it was.",
        order=order,
    )
    return order


def _decide_change(change: OrderChange, actor: User, decision: str, reason: str) -> None:
    change.decision = decision
    change.decided_by = actor
    change.decided_at = timezone.now()
    change.decision_reason = reason
    change.save(update_fields=["decision", "decided_by", "decided_at", "decision_reason"])


# --- Ending ---------------------------------------------------------------------------------------


@transaction.atomic
def order_cancel(*, order: Order, actor: User, reason: str) -> Order:
    """The budget holder cancels. What is not needed for work already delivered is released; the provider
    can still invoice what they delivered."""
    order = _order_lock(order)
    authority_required(user=actor, person=order.person)
    if not reason.strip():
        raise BrokerageError("Say why you are cancelling the order")
    _end(order, new_status=OrderStatus.CANCELLED, actor=actor, reason=reason, key_suffix="cancel")
    _notify(
        provider_users(order),
        f"Order cancelled: {order.description}",
        f"{actor} cancelled the order: {reason}",
        order=order,
    )
    return order


@transaction.atomic
def order_complete(*, order: Order, actor: User) -> Order:
    """The support has ended as agreed (the budget holder or the provider says so)."""
    order = _order_lock(order)
    if not is_provider_user(user=actor, order=order):
        authority_required(user=actor, person=order.person)
    _end(order, new_status=OrderStatus.COMPLETED, actor=actor, reason="Completed", key_suffix="complete")
    recipients = [*provider_users(order), *budget_holders(order)]
    _notify(
        [user for user in recipients if user.pk != actor.pk],
        f"Order completed: {order.description}",
        f"{actor} marked the order as completed.",
        order=order,
    )
    return order


def _end(order: Order, *, new_status: str, actor: User, reason: str, key_suffix: str) -> None:
    if order.invoices.filter(status__in=WAITING_INVOICE_STATUSES).exists():
        raise BrokerageError("Approve, query or refuse the invoices waiting on this order first")
    waiting = order.changes.filter(decision=OrderChange.Decision.WAITING).first()
    if waiting is not None:
        _decide_change(waiting, actor, OrderChange.Decision.REJECTED, f"Order {OrderStatus(new_status).label.lower()}")
    order_set_status(order=order, new_status=new_status, actor=actor, reason=reason)
    if order.block_contract_id:
        order.block_units_held = units_delivered(order)
        order.save(update_fields=["block_units_held"])
    released = order_release_surplus(
        order=order, key=f"{order.ledger_reference}-{key_suffix}", actor=actor, reason=reason
    )
    _audit(
        actor=actor,
        action=f"order.{new_status}",
        order=order,
        summary=f"{order} {OrderStatus(new_status).label.lower()}; £{released:,.2f} released",
        reason=reason,
        released=released,
    )


# --- Block contracts ------------------------------------------------------------------------------


@transaction.atomic
def block_contract_create(
    *,
    actor: User,
    council: Organisation,
    reference: str,
    units_purchased: Decimal,
    unit: str,
    rate: Decimal,
    starts_on: date,
    ends_on: date,
    provider_organisation: Organisation | None = None,
    personal_assistant: PersonalAssistantProfile | None = None,
    offer: Offer | None = None,
    stream: FundingStream | None = None,
) -> BlockContract:
    """A commissioner records hours the council has bought in advance from a provider."""
    if not Membership.objects.active().with_roles(Role.COMMISSIONER).filter(user=actor, organisation=council).exists():
        raise NotAllowed("Only the council's commissioners record block contracts")
    contract = BlockContract(
        council=council,
        reference=reference.strip(),
        provider_organisation=provider_organisation,
        personal_assistant=personal_assistant,
        offer=offer,
        stream=stream,
        units_purchased=units_purchased,
        unit=unit,
        rate=rate,
        starts_on=starts_on,
        ends_on=ends_on,
        created_by=actor,
    )
    contract.full_clean()
    contract.save()
    audit_record(
        actor=actor,
        action="block_contract.created",
        target=contract,
        summary=f"Block contract {contract.reference}: {units_purchased} {unit} at £{rate}",
        council=council,
    )
    return contract
