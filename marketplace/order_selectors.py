"""Reads for orders, invoices and one-off purchases: who may see which, what an order still holds in the
ledger, and what is waiting on each user.

Visibility: a provider sees the orders and invoices of organisations it is staff of (a personal
assistant, their own); a family member, young person, broker or lead professional sees those of the
people they may see through consent (``brokerage.services.consent.people_visible_to``) or as named lead
professional. Anything else answers 404.
"""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from uuid import UUID

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.models import Membership, User
from accounts.roles import Role
from brokerage.ledger import committed_under
from brokerage.models import AccessGrant
from brokerage.services.consent import people_visible_to
from marketplace.models import (
    BlockContract,
    DeliveryRecord,
    Invoice,
    InvoiceStatus,
    OneOffPurchase,
    Order,
    OrderChange,
    OrderStatus,
)
from marketplace.models.orders import LIVE_ORDER_STATUSES

ZERO = Decimal("0.00")
PENNY = Decimal("0.01")
# Late payment was the pilots' first complaint: invoices waiting longer than this are highlighted.
INVOICE_APPROVAL_DAYS = 10


# --- The ledger, as an order sees it --------------------------------------------------------------


def order_commitment(order: Order) -> Decimal:
    """Money the order still holds committed in the ledger; nothing for a block-contract order."""
    if order.allocation_id is None:
        return ZERO
    return committed_under(allocation=order.allocation, reference=order.ledger_reference)


def units_delivered(order: Order) -> Decimal:
    return sum(DeliveryRecord.objects.filter(order=order).values_list("units", flat=True), ZERO)


def units_invoiced(order: Order, *, refused_too: bool = False) -> Decimal:
    """Units on the order's invoices that still count: every one not refused (or every one at all)."""
    invoices = Invoice.objects.filter(order=order)
    if not refused_too:
        invoices = invoices.exclude(status=InvoiceStatus.REFUSED)
    return sum((line.units for invoice in invoices.prefetch_related("lines") for line in invoice.lines.all()), ZERO)


def block_contract_units_held(contract: BlockContract) -> Decimal:
    return sum(Order.objects.filter(block_contract=contract).values_list("block_units_held", flat=True), ZERO)


def block_contract_remaining(contract: BlockContract) -> Decimal:
    return contract.units_purchased - block_contract_units_held(contract)


# --- Who may see what ------------------------------------------------------------------------------


def _provider_scope(user: User) -> Q:
    organisations = Membership.objects.active().with_roles(Role.PROVIDER_STAFF).filter(user=user)
    return Q(provider_organisation__in=organisations.values("organisation")) | Q(personal_assistant__user=user)


def _person_scope(user: User, prefix: str = "") -> Q:
    # Consent is what grants access: a lead professional sees the orders through their grant, like anyone.
    return Q(**{f"{prefix}person__in": people_visible_to(user).values("pk")})


def orders_visible_to(user: User) -> QuerySet[Order]:
    return (
        Order.objects.filter(_provider_scope(user) | _person_scope(user))
        .select_related("person", "offer", "allocation__stream", "block_contract", "personal_assistant", "placed_by")
        .order_by("-placed_at", "-pk")
    )


def order_get_for(*, user: User, public_id: UUID) -> Order:
    return get_object_or_404(orders_visible_to(user), public_id=public_id)


def invoices_visible_to(user: User) -> QuerySet[Invoice]:
    provider = Q(provider_organisation__in=_provider_orgs(user)) | Q(personal_assistant__user=user)
    return (
        Invoice.objects.filter(provider | _person_scope(user, "order__"))
        .select_related("order__person", "order__offer")
        .order_by("-submitted_at", "-pk")
    )


def invoice_get_for(*, user: User, public_id: UUID) -> Invoice:
    return get_object_or_404(invoices_visible_to(user), public_id=public_id)


def one_off_purchases_visible_to(user: User) -> QuerySet[OneOffPurchase]:
    return OneOffPurchase.objects.filter(_person_scope(user)).select_related(
        "person", "allocation__stream", "requested_by", "pay_to", "receipt"
    )


def one_off_purchase_get_for(*, user: User, public_id: UUID) -> OneOffPurchase:
    return get_object_or_404(one_off_purchases_visible_to(user), public_id=public_id)


def _provider_orgs(user: User) -> QuerySet:
    return Membership.objects.active().with_roles(Role.PROVIDER_STAFF).filter(user=user).values("organisation")


def _people_user_may_act_for(user: User) -> Q:
    """Budget authority, as a filter on people: consent holder, named lead professional while the
    family's consent stands, or an active grant to act."""
    today = timezone.localdate()
    acting_grants = AccessGrant.objects.filter(
        grantee=user, scope=AccessGrant.Scope.ACT, revoked_at__isnull=True
    ).filter(Q(until__isnull=True) | Q(until__gte=today))
    return (
        Q(person__consent_holders__user=user, person__consent_holders__ended_at__isnull=True)
        | Q(person__lead_professional=user, person__in=people_visible_to(user).values("pk"))
        | Q(person__in=acting_grants.values("person"))
    )


# --- What is waiting on someone -------------------------------------------------------------------


@dataclass(frozen=True)
class WaitingItem:
    """Something a user must act on, and since when. ``overdue`` marks invoices waiting for approval
    longer than ``INVOICE_APPROVAL_DAYS``."""

    kind: str
    what: str
    record: Order | OrderChange | Invoice | OneOffPurchase
    since: datetime
    age_days: int
    overdue: bool = False


def _item(kind: str, what: str, record, since: datetime, now: datetime, limit: int | None = None) -> WaitingItem:  # type: ignore[no-untyped-def]
    age = (now - since).days
    return WaitingItem(kind, what, record, since, age, overdue=limit is not None and age > limit)


@dataclass(frozen=True)
class InvoiceWait:
    """How long an invoice has waited for the budget holder's decision; ``days`` is None once decided."""

    days: int | None
    overdue: bool


def invoice_wait(invoice: Invoice, *, now: datetime | None = None) -> InvoiceWait:
    if invoice.status != InvoiceStatus.SUBMITTED:
        return InvoiceWait(None, False)
    days = ((now or timezone.now()) - invoice.submitted_at).days
    return InvoiceWait(days, days > INVOICE_APPROVAL_DAYS)


def one_off_purchase_wait(purchase: OneOffPurchase, *, now: datetime | None = None) -> InvoiceWait:
    """How long a one-off purchase has waited for approval; the same highlight as invoices."""
    if purchase.status != OneOffPurchase.Status.SUBMITTED:
        return InvoiceWait(None, False)
    days = ((now or timezone.now()) - purchase.requested_at).days
    return InvoiceWait(days, days > INVOICE_APPROVAL_DAYS)


def waiting_on(user: User, *, now: datetime | None = None) -> list[WaitingItem]:
    """Everything waiting on the user, oldest first: orders to answer and queried invoices (providers);
    changes, invoices and one-off purchases to decide (budget holders)."""
    now = now or timezone.now()
    items: list[WaitingItem] = []
    provider = _provider_scope(user)
    for order in Order.objects.filter(provider, status=OrderStatus.PLACED).select_related("person", "offer"):
        items.append(_item("order_to_answer", f"Accept or decline: {order.description}", order, order.placed_at, now))
    queried = Invoice.objects.filter(
        Q(provider_organisation__in=_provider_orgs(user)) | Q(personal_assistant__user=user),
        status=InvoiceStatus.QUERIED,
    )
    for invoice in queried:
        items.append(
            _item(
                "invoice_queried",
                f"Answer the query on invoice {invoice.number}",
                invoice,
                invoice.status_changed_at,
                now,
            )
        )
    acts = _people_user_may_act_for(user)
    changes = OrderChange.objects.filter(
        decision=OrderChange.Decision.WAITING, order__in=Order.objects.filter(acts).values("pk")
    ).select_related("order")
    for change in changes:
        items.append(
            _item("change_to_decide", f"Change proposed to {change.order.description}", change, change.proposed_at, now)
        )
    invoices = Invoice.objects.filter(
        status=InvoiceStatus.SUBMITTED, order__in=Order.objects.filter(acts).values("pk")
    ).select_related("order")
    for invoice in invoices:
        items.append(
            _item(
                "invoice_to_approve",
                f"Approve or query invoice {invoice.number}",
                invoice,
                invoice.submitted_at,
                now,
                INVOICE_APPROVAL_DAYS,
            )
        )
    purchases = OneOffPurchase.objects.filter(acts, status=OneOffPurchase.Status.SUBMITTED).exclude(
        Q(kind=OneOffPurchase.Kind.REIMBURSEMENT) & (Q(requested_by=user) | Q(pay_to=user))
    )
    for purchase in purchases.distinct():
        items.append(
            _item(
                "one_off_to_approve",
                f"Approve or refuse: {purchase.description}",
                purchase,
                purchase.requested_at,
                now,
                INVOICE_APPROVAL_DAYS,
            )
        )
    return sorted(items, key=lambda item: item.since)


def live_orders_of(person_pk: int) -> QuerySet[Order]:
    return Order.objects.filter(person_id=person_pk, status__in=LIVE_ORDER_STATUSES)
