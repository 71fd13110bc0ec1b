"""Orders that wait on a budget-holding manager: a lead professional's order beyond their delegated
authority, or a broker's order with a provider their organisation declared an interest in.

The requester asks with a reason (``order_request_create``); the council's budget-holding managers are
told. A manager approves (``order_request_approve``: the order is placed through
``marketplace.services.orders.order_place`` with the approval as its authority, under the request's row
lock, so two approvals at once place one order) or declines with a reason; the requester may withdraw
the request while it waits. The requester is told of the decision, and the family of an approved order.
"""

from decimal import Decimal

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.events import audit_record
from accounts.models import User
from accounts.notifications import notification_send, notification_send_many
from brokerage.exceptions import BrokerageError, NotAllowed
from brokerage.models import Allocation, PersonSupported, PlanLine
from brokerage.services.consent import consent_holder
from brokerage.services.plans import budget_holding_managers
from marketplace.models import BlockContract, Order
from marketplace.models.invoices import priced
from marketplace.models.order_requests import (
    InterestDeclaration,
    OrderRequest,
    OrderRequestKind,
    OrderRequestStatus,
)
from marketplace.services.orders import budget_authority, order_place
from providers.models import Offer


def _link(request: OrderRequest) -> str:
    return reverse("marketplace:order-request", args=[request.public_id])


def _audit(*, actor: User, action: str, request: OrderRequest, summary: str, reason: str = "") -> None:
    audit_record(
        actor=actor,
        action=action,
        target=request,
        council=request.person.council,
        summary=summary,
        reason=reason,
        data={"kind": request.kind, "value": str(request.value)},
    )


@transaction.atomic
def order_request_create(
    *,
    actor: User,
    kind: str,
    reason: str,
    person: PersonSupported,
    offer: Offer,
    units: Decimal,
    unit: str,
    rate: Decimal | None,
    starts_on,  # type: ignore[no-untyped-def]
    ends_on,  # type: ignore[no-untyped-def]
    description: str = "",
    allocation: Allocation | None = None,
    block_contract: BlockContract | None = None,
    plan_line: PlanLine | None = None,
    vat_status: str = "",
    schedule: str = "",
    frequency: str = "",
    pa_employment: str = "",
    refusal: str = "",
    interest: InterestDeclaration | None = None,
) -> OrderRequest:
    """Ask the council's budget-holding managers to approve an order the actor could not place."""
    if budget_authority(user=actor, person=person) is None:
        raise NotAllowed(f"You cannot act for {person.first_name}'s budget")
    if not reason.strip():
        raise BrokerageError("Say why this support is needed")
    if block_contract is not None:
        rate = block_contract.rate
    request = OrderRequest(
        kind=kind,
        person=person,
        offer=offer,
        plan_line=plan_line,
        allocation=allocation,
        block_contract=block_contract,
        description=description or str(offer),
        units=units,
        unit=unit,
        rate=rate,
        starts_on=starts_on,
        ends_on=ends_on,
        schedule=schedule,
        pa_employment=pa_employment,
        refusal=refusal,
        interest=interest,
        requested_by=actor,
        reason=reason.strip(),
    )
    if vat_status:
        request.vat_status = vat_status
    if frequency:
        request.frequency = frequency
    request.value = priced(units=units, rate=rate or Decimal("0"), vat_status=request.vat_status).gross
    request.full_clean()
    request.save()
    _audit(
        actor=actor,
        action="order_request.created",
        request=request,
        summary=f"Asked a manager to approve {request.description} for {person} (£{request.value:,.2f})",
        reason=request.reason,
    )
    why = "it is beyond their delegated authority"
    if kind == OrderRequestKind.INTEREST_SIGN_OFF:
        why = f"{interest.broker_organisation} has declared an interest in {interest.provider_name}"  # type: ignore[union-attr]
    notification_send_many(
        recipients=budget_holding_managers(person.council),
        subject=f"An order waits for your approval: {request.description}",
        body=f"{actor} asks you to approve an order of £{request.value:,.2f} for {person}, because {why}. "
        f"Their reason: {request.reason}",
        link=_link(request),
    )
    return request


def _waiting_lock(request: OrderRequest) -> OrderRequest:
    request = OrderRequest.objects.select_for_update(of=("self",)).select_related("person__council").get(pk=request.pk)
    if request.status != OrderRequestStatus.WAITING:
        raise BrokerageError(f"This request is already {request.get_status_display().lower()}")
    return request


def _manager_required(*, actor: User, request: OrderRequest) -> None:
    if actor not in budget_holding_managers(request.person.council):
        raise NotAllowed("Only a budget-holding manager of the council can decide this request")


def _decide(request: OrderRequest, *, actor: User, status: str, reason: str) -> None:
    request.status = status
    request.decided_by = actor
    request.decided_at = timezone.now()
    request.decision_reason = reason.strip()
    request.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])


@transaction.atomic
def order_request_approve(*, request: OrderRequest, actor: User, reason: str = "") -> Order:
    """Approve and place the order, once: under the request's row lock, a second approval finds it decided."""
    request = _waiting_lock(request)
    _manager_required(actor=actor, request=request)
    _decide(request, actor=actor, status=OrderRequestStatus.APPROVED, reason=reason)
    order = order_place(
        actor=actor,
        person=request.person,
        offer=request.offer,
        units=request.units,
        unit=request.unit,
        rate=request.rate,
        starts_on=request.starts_on,
        ends_on=request.ends_on,
        description=request.description,
        allocation=request.allocation,
        block_contract=request.block_contract,
        plan_line=request.plan_line,
        vat_status=request.vat_status,
        schedule=request.schedule,
        frequency=request.frequency,
        pa_employment=request.pa_employment,
        approved_request=request,
    )
    request.order = order
    request.save(update_fields=["order"])
    _audit(
        actor=actor,
        action="order_request.approved",
        request=request,
        summary=f"Approved {request.description} for {request.person}: order {order.public_id} placed",
        reason=request.decision_reason,
    )
    order_link = reverse("marketplace:order", args=[order.public_id])
    notification_send(
        recipient=request.requested_by,
        subject=f"Order approved: {request.description}",
        body=f"{actor} approved your request and placed the order with {order.provider_name}.",
        link=order_link,
    )
    holder = consent_holder(request.person)
    if holder is not None:
        declared = ""
        if request.interest_id:
            declared = (
                f" {request.interest.broker_organisation} has declared an interest in "  # type: ignore[union-attr]
                f"{request.interest.provider_name}: {request.interest.nature}"  # type: ignore[union-attr]
            )
        notification_send(
            recipient=holder.user,
            subject=f"New order for {request.person.first_name}: {request.description}",
            body=f"{order.units} {order.unit} from {order.provider_name}, {order.starts_on:%-d %B %Y} to "
            f"{order.ends_on:%-d %B %Y}, asked for by {request.requested_by} and approved by {actor}.{declared}",
            link=order_link,
        )
    return order


@transaction.atomic
def order_request_decline(*, request: OrderRequest, actor: User, reason: str) -> OrderRequest:
    if not reason.strip():
        raise BrokerageError("Say why you decline the request")
    request = _waiting_lock(request)
    _manager_required(actor=actor, request=request)
    _decide(request, actor=actor, status=OrderRequestStatus.DECLINED, reason=reason)
    _audit(
        actor=actor,
        action="order_request.declined",
        request=request,
        summary=f"Declined {request.description} for {request.person}",
        reason=request.decision_reason,
    )
    notification_send(
        recipient=request.requested_by,
        subject=f"Order declined: {request.description}",
        body=f"{actor} declined your request: {request.decision_reason}",
        link=_link(request),
    )
    return request


@transaction.atomic
def order_request_withdraw(*, request: OrderRequest, actor: User) -> OrderRequest:
    request = _waiting_lock(request)
    if request.requested_by_id != actor.pk:
        raise NotAllowed("Only the person who asked can withdraw the request")
    _decide(request, actor=actor, status=OrderRequestStatus.WITHDRAWN, reason="")
    _audit(
        actor=actor,
        action="order_request.withdrawn",
        request=request,
        summary=f"Withdrew the request for {request.description} for {request.person}",
    )
    return request
