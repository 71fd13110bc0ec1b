"""Reads for top-ups: a family sees the top-ups of the people they hold consent for, a finance officer every
top-up of the council they act for; anyone else's answers 404."""

from uuid import UUID

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from accounts.models import Organisation, User
from accounts.roles import Role
from brokerage.models import Budget
from marketplace.payments.top_up_models import TopUp, TopUpStatus

FINANCE_ROLES = (Role.FINANCE_OFFICER,)


def _with_related(top_ups: QuerySet[TopUp]) -> QuerySet[TopUp]:
    return top_ups.select_related(
        "council", "allocation__stream", "allocation__budget__person", "plan_line", "offer", "requested_by"
    )


def top_ups_for_family(*, user: User, council: Organisation) -> QuerySet[TopUp]:
    """Top-ups into the budgets of the people the user holds consent for now."""
    return _with_related(
        TopUp.objects.filter(
            council=council,
            allocation__budget__person__consent_holders__user=user,
            allocation__budget__person__consent_holders__ended_at__isnull=True,
        )
    )


def top_ups_for_council(*, council: Organisation, status: str = "", query: str = "") -> QuerySet[TopUp]:
    """The council's top-ups, newest first; ``query`` matches the reference (as typed from a bank statement,
    in any case and with or without the dash) or the person's name."""
    top_ups = TopUp.objects.filter(council=council)
    if status:
        top_ups = top_ups.filter(status=status)
    for word in query.split():
        reference = word.upper().replace("-", "").removeprefix("TU")
        top_ups = top_ups.filter(
            Q(reference__iexact=f"TU-{reference}")
            | Q(allocation__budget__person__first_name__icontains=word)
            | Q(allocation__budget__person__last_name__icontains=word)
        )
    return _with_related(top_ups)


def top_up_get_for(*, user: User, role: str, council: Organisation, public_id: UUID) -> TopUp:
    if role in FINANCE_ROLES:
        top_ups = top_ups_for_council(council=council)
    else:
        top_ups = top_ups_for_family(user=user, council=council)
    return get_object_or_404(top_ups, public_id=public_id)


def budget_for_family(*, user: User, council: Organisation, public_id: UUID) -> Budget:
    """A budget the user may pay into: one of a person they hold consent for, in the council they act for."""
    budgets = Budget.objects.filter(
        council=council, person__consent_holders__user=user, person__consent_holders__ended_at__isnull=True
    )
    return get_object_or_404(budgets.select_related("person"), public_id=public_id)


def waiting_bank_transfers(council: Organisation) -> QuerySet[TopUp]:
    return top_ups_for_council(council=council, status=TopUpStatus.WAITING).filter(method="bank_transfer")
