"""Tom's family (``order_factories.family``) with a delegated authority for lead professionals, a
budget-holding manager in his council, and a request beyond Lena's authority."""

from decimal import Decimal

from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from brokerage.models import DelegatedAuthority
from marketplace.models import OrderRequest, OrderRequestKind
from marketplace.services.order_requests import order_request_create
from marketplace.services.orders import ledger_year
from marketplace.tests.order_factories import ORDER_END, ORDER_START, Family, Provider, member


def authority(tom: Family, limit: str = "500.00") -> None:
    DelegatedAuthority.objects.create(
        council=tom.council,
        financial_year=ledger_year(timezone.localdate()),
        role=Role.LEAD_PROFESSIONAL,
        limit_per_person=Decimal(limit),
    )


def manager(tom: Family) -> User:
    return member(Role.BUDGET_HOLDING_MANAGER, tom.council, first_name="Sanjay")


def terms(tom: Family, seller: Provider, *, units: str = "40", rate: str = "20.00") -> dict:
    return {
        "person": tom.person,
        "offer": seller.offer,
        "units": Decimal(units),
        "unit": "hour",
        "rate": Decimal(rate),
        "starts_on": ORDER_START,
        "ends_on": ORDER_END,
        "allocation": tom.allocation,
        "description": "Maths tuition",
    }


def beyond_authority_request(tom: Family, seller: Provider, **more) -> OrderRequest:  # type: ignore[no-untyped-def]
    return order_request_create(
        actor=tom.lead_professional,
        kind=OrderRequestKind.BEYOND_AUTHORITY,
        reason="Tom's exams are in May",
        **terms(tom, seller, **more),
    )
