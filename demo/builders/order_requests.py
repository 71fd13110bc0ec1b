"""Part D of #13 in the demo: Gemma (lead professional) has asked Sanjay (budget-holding manager) to approve
an order for Tom beyond her delegated authority, waiting in his queue at /orders/requests/; and Marcus's
broker organisation has declared an interest in one provider, which the council sees at /orders/interests/.

Everything goes through the services (notifications and audit rows as real use leaves them). What exists
already is left as it is, so a second run creates nothing.
"""

from decimal import Decimal

from django.utils import timezone

from accounts.models import Membership, Organisation
from accounts.roles import OrganisationKind, Role
from brokerage.models import PersonSupported
from demo.context import DemoContext
from marketplace.models import InterestDeclaration, Order, OrderRequest, OrderRequestKind
from marketplace.ordering_selectors import current_allocations, orderable_lines
from marketplace.services.interests import interest_declare
from marketplace.services.order_requests import order_request_create
from providers.models import CostUnit

FAMILY_EMAIL = "family@coventry.demo"
LEAD_EMAIL = "lead.professional@coventry.demo"
BROKER_EMAIL = "broker@coventry.demo"


def build(ctx: DemoContext) -> None:
    created = _request(ctx) + _interest(ctx)
    ctx.tally.record("Orders waiting for a manager and declared interests", created=created, existing=0)


def _request(ctx: DemoContext) -> int:
    claire, gemma = ctx.users.get(FAMILY_EMAIL), ctx.users.get(LEAD_EMAIL)
    if claire is None or gemma is None:
        return 0
    tom = PersonSupported.objects.filter(consent_holders__user=claire, lead_professional=gemma).order_by("pk").first()
    if tom is None or OrderRequest.objects.filter(person=tom).exists():
        return 0
    terms = _terms_from_plan(tom) or _terms_from_orders(tom)
    if terms is None:
        return 0
    budget = terms["allocation"].budget
    order_request_create(
        actor=gemma,
        kind=OrderRequestKind.BEYOND_AUTHORITY,
        reason="Tom's exams are in May: two extra hours a week until then",
        person=tom,
        units=Decimal("40"),
        starts_on=max(budget.starts_on, timezone.localdate()),
        ends_on=budget.ends_on,
        refusal="Beyond the lead professional's delegated authority",
        **terms,
    )
    return 1


def _interest(ctx: DemoContext) -> int:
    marcus = ctx.users.get(BROKER_EMAIL)
    membership = (
        Membership.objects.active().with_roles(Role.BROKER).filter(user=marcus).select_related("organisation").first()
        if marcus
        else None
    )
    if membership is None or InterestDeclaration.objects.filter(broker_organisation=membership.organisation).exists():
        return 0
    council = membership.organisation.council
    provider = (
        Organisation.objects.filter(kind=OrganisationKind.PROVIDER, council=council)
        .exclude(orders_received__placed_by=marcus)
        .order_by("-name")
        .first()
    )
    if provider is None:
        return 0
    interest_declare(
        actor=marcus,
        broker_organisation=membership.organisation,
        provider_organisation=provider,
        nature=f"One of our directors is a trustee of {provider.name}",
    )
    return 1


def _terms_from_plan(tom: PersonSupported) -> dict | None:
    line = next((line for line in orderable_lines(tom) if line.offer_id and line.offer.live_version_id), None)
    allocation = current_allocations(tom).filter(stream=line.stream).first() if line else None
    if line is None or allocation is None or line.unit not in CostUnit.values:
        return None
    return {
        "offer": line.offer,
        "plan_line": line,
        "allocation": allocation,
        "description": f"Extra {line.description.lower()}",
        "unit": line.unit,
        "rate": line.unit_cost,
    }


def _terms_from_orders(tom: PersonSupported) -> dict | None:
    """More of the support Tom already has from his budget, when no line of his plan names an offer."""
    order = (
        Order.objects.filter(person=tom, allocation__in=current_allocations(tom))
        .select_related("offer", "allocation__budget")
        .order_by("pk")
        .first()
    )
    if order is None:
        return None
    return {
        "offer": order.offer,
        "allocation": order.allocation,
        "description": f"More {order.description[:180]}",
        "unit": order.unit,
        "rate": order.rate,
    }
