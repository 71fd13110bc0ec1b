"""Reads for the order and invoice screens: whose budget a user may order from, the plan lines and money
an order can draw on, and the figures and history an order page shows.

Visibility of orders and invoices themselves is ``marketplace.order_selectors``; this module adds what
the screens need around it. A plan line of a person the user cannot act for answers 404, as an order
would: its existence is not revealed.
"""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from uuid import UUID

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.models import User
from accounts.roles import PROVIDER_ROLES, Role
from brokerage import ledger
from brokerage.models import AccessGrant, AccountKind, Allocation, PersonSupported, PlanLine
from brokerage.services.consent import people_visible_to
from marketplace.models import BlockContract, Invoice, InvoiceStatus, Order, OrderChange
from marketplace.models.invoices import plain
from marketplace.order_selectors import block_contract_remaining, order_commitment, units_delivered, units_invoiced
from providers.models import Offer

ZERO = Decimal("0.00")
BUDGET_ROLES = (Role.FAMILY_MEMBER, Role.YOUNG_PERSON, Role.LEAD_PROFESSIONAL, Role.BROKER)
ORDER_ROLES = (*BUDGET_ROLES, *PROVIDER_ROLES)
# Plans whose lines may be ordered: the money of their lines is committed once they are approved.
ORDERABLE_PLAN_STATUSES = ("approved", "active", "under_review")


def people_user_may_order_for(user: User) -> QuerySet[PersonSupported]:
    """People whose budget the user may act for: as consent holder, as named lead professional while the
    family's consent gives them access, or with the consent holder's grant to act (the rules of
    ``marketplace.services.orders.budget_authority``)."""
    today = timezone.localdate()
    acting_grants = AccessGrant.objects.filter(
        grantee=user, scope=AccessGrant.Scope.ACT, revoked_at__isnull=True
    ).filter(Q(until__isnull=True) | Q(until__gte=today))
    return (
        PersonSupported.objects.filter(
            Q(consent_holders__user=user, consent_holders__ended_at__isnull=True)
            | Q(lead_professional=user, pk__in=people_visible_to(user).values("pk"))
            | Q(pk__in=acting_grants.values("person"))
        )
        .distinct()
        .order_by("first_name", "last_name", "pk")
    )


def person_for_ordering(*, user: User, public_id: UUID) -> PersonSupported:
    return get_object_or_404(people_user_may_order_for(user), public_id=public_id)


def orderable_lines(person: PersonSupported) -> QuerySet[PlanLine]:
    """Lines of the person's approved plans, not stopped, that a provider or personal assistant gives."""
    return (
        PlanLine.objects.filter(
            plan__person=person,
            plan__status__in=ORDERABLE_PLAN_STATUSES,
            stopped_on__isnull=True,
            given_by=PlanLine.Giver.PROVIDER,
        )
        .select_related("plan__budget", "stream", "offer__live_version")
        .order_by("-plan__budget__starts_on", "pk")
    )


def plan_line_for_ordering(*, user: User, public_id: UUID) -> PlanLine:
    lines = PlanLine.objects.filter(plan__person__in=people_user_may_order_for(user)).select_related(
        "plan__person", "plan__budget", "stream", "offer__live_version"
    )
    return get_object_or_404(lines, public_id=public_id)


def line_is_orderable(line: PlanLine) -> bool:
    return orderable_lines(line.plan.person).filter(pk=line.pk).exists()


def offer_for_ordering(public_id: UUID) -> Offer:
    return get_object_or_404(Offer.objects.published().select_related("live_version"), public_id=public_id)


@dataclass(frozen=True)
class Funding:
    """Money an order may be paid from: an allocation of the person's budget, or a block contract."""

    key: str
    label: str
    allocation: Allocation | None = None
    block_contract: BlockContract | None = None


def allocation_available(allocation: Allocation) -> Decimal:
    return ledger.balance(ledger.allocation_account(allocation, AccountKind.AVAILABLE))


def current_allocations(person: PersonSupported) -> QuerySet[Allocation]:
    """The allocations of the person's budgets that have not ended: money an order or a purchase can use."""
    return Allocation.objects.filter(budget__person=person, budget__ends_on__gte=timezone.localdate()).select_related(
        "stream", "budget"
    )


def one_off_lines(person: PersonSupported) -> QuerySet[PlanLine]:
    """Lines of the person's approved plans, not stopped, whatever gives them: a one-off purchase may be
    for goods or a supplier the plan names without an offer."""
    return (
        PlanLine.objects.filter(plan__person=person, plan__status__in=ORDERABLE_PLAN_STATUSES, stopped_on__isnull=True)
        .select_related("plan__budget", "stream")
        .order_by("-plan__budget__starts_on", "pk")
    )


def people_with_one_off_purchases(user: User) -> QuerySet[PersonSupported]:
    """Whose one-off purchases the /orders/ page links to: people the user may buy for, and people with
    purchases the user can see."""
    seen = people_visible_to(user).filter(one_off_purchases__isnull=False)
    return (
        PersonSupported.objects.filter(
            Q(pk__in=people_user_may_order_for(user).values("pk")) | Q(pk__in=seen.values("pk"))
        )
        .distinct()
        .order_by("first_name", "last_name", "pk")
    )


def person_for_viewing(*, user: User, public_id: UUID) -> PersonSupported:
    """A person whose records the user may see (404 otherwise), for the lists of their purchases."""
    return get_object_or_404(people_visible_to(user), public_id=public_id)


def funding_choices(*, person: PersonSupported, offer: Offer, line: PlanLine | None = None) -> list[Funding]:
    """The person's current allocations (of the line's stream, for a line) and the council's block
    contracts with this provider that still have units left."""
    today = timezone.localdate()
    allocations = current_allocations(person)
    if line is not None:
        allocations = allocations.filter(budget=line.plan.budget, stream=line.stream)
    choices = [
        Funding(
            key=f"allocation-{allocation.public_id}",
            label=f"{allocation.stream.name}, budget {allocation.budget.financial_year}: "
            f"£{allocation_available(allocation):,.2f} available",
            allocation=allocation,
        )
        for allocation in allocations
    ]
    contracts = BlockContract.objects.filter(council=person.council, ends_on__gte=today).filter(
        Q(offer__isnull=True) | Q(offer=offer)
    )
    if offer.personal_assistant_id:
        contracts = contracts.filter(personal_assistant_id=offer.personal_assistant_id)
    else:
        contracts = contracts.filter(provider_organisation_id=offer.organisation_id)
    for contract in contracts:
        remaining = block_contract_remaining(contract)
        if remaining > 0:
            choices.append(
                Funding(
                    key=f"block-{contract.public_id}",
                    label=f"The council's block contract {contract.reference}: {plain(remaining)} "
                    f"{contract.unit}s left at £{contract.rate}",
                    block_contract=contract,
                )
            )
    return choices


@dataclass(frozen=True)
class OrderFigures:
    value: Decimal
    committed: Decimal
    approved: Decimal
    waiting: Decimal
    units_delivered: Decimal
    units_invoiced: Decimal


def order_figures(order: Order, *, value: Decimal) -> OrderFigures:
    """What the order page shows of the ledger: what the order still holds committed, and what its
    approved invoices settled (payable to the provider, less credit notes)."""
    approved = waiting = ZERO
    for invoice in order.invoices.prefetch_related("credit_notes"):
        payable = invoice.total - sum((note.total for note in invoice.credit_notes.all()), ZERO)
        if invoice.status == InvoiceStatus.APPROVED:
            approved += payable
        elif invoice.status in (InvoiceStatus.SUBMITTED, InvoiceStatus.QUERIED):
            waiting += payable
    return OrderFigures(
        value=value,
        committed=order_commitment(order),
        approved=approved,
        waiting=waiting,
        units_delivered=units_delivered(order),
        units_invoiced=units_invoiced(order),
    )


@dataclass(frozen=True)
class TimelineEntry:
    when: datetime
    what: str
    who: User | None
    reason: str = ""


def order_timeline(order: Order) -> list[TimelineEntry]:
    """The order's status changes and the changes proposed to it, newest first."""
    entries = [
        TimelineEntry(change.created_at, change.get_new_status_display(), change.actor, change.reason)
        for change in order.status_changes.select_related("actor")
    ]
    for change in order.changes.select_related("proposed_by", "decided_by"):
        entries.append(
            TimelineEntry(
                change.proposed_at,
                f"Change proposed: {plain(change.units)} {order.unit}s at £{change.rate}, "
                f"{change.starts_on:%-d %B %Y} to {change.ends_on:%-d %B %Y}",
                change.proposed_by,
                change.reason,
            )
        )
        if change.decided_at:
            entries.append(
                TimelineEntry(
                    change.decided_at,
                    f"Change {change.get_decision_display().lower()}",
                    change.decided_by,
                    change.decision_reason,
                )
            )
    return sorted(entries, key=lambda entry: entry.when, reverse=True)


def waiting_change(order: Order) -> OrderChange | None:
    return order.changes.filter(decision=OrderChange.Decision.WAITING).first()


def order_change_get(*, order: Order, public_id: UUID) -> OrderChange:
    return get_object_or_404(order.changes, public_id=public_id)


def invoices_of_order(order: Order) -> QuerySet[Invoice]:
    return order.invoices.prefetch_related("lines", "credit_notes").order_by("-submitted_at", "-pk")
