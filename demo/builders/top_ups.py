"""Top-ups in the demo: Coventry's bank account for families' transfers, one contribution paid by bank transfer
and recorded by the finance team, and one still waiting for the money, so that the family's and the finance
officers' pages have something to show. Card payments need Stripe, so the demo has none.

Everything goes through ``marketplace.payments.top_ups``; a person who already has top-ups is left as they are,
so a second run creates nothing.
"""

from decimal import Decimal

from brokerage.models import Allocation
from brokerage.services.consent import consent_holder
from demo.context import DemoContext
from demo.councils import COVENTRY
from marketplace.payments.top_up_models import TopUp, TopUpMethod, TopUpReason, TopUpSettings
from marketplace.payments.top_ups import bank_transfer_received, top_up_create

FINANCE_LOGIN = "finance@coventry.demo"
# A sort code from the range banks publish for testing (never a real account).
BANK = {"bank_account_name": "Coventry City Council", "bank_sort_code": "404784", "bank_account_number": "70872490"}
# (amount, recorded as received): the first is in the budget, the second waits for the family's transfer.
CONTRIBUTIONS = ((Decimal("45.00"), True), (Decimal("20.00"), False))


def build(ctx: DemoContext) -> None:
    council = ctx.organisations[COVENTRY.slug]
    TopUpSettings.objects.get_or_create(council=council, defaults=BANK)
    finance = ctx.users[FINANCE_LOGIN]
    allocations = (
        Allocation.objects.filter(budget__council=council)
        .select_related("budget__person")
        .order_by("budget__person__last_name", "pk")
    )
    created = existing = 0
    for allocation, (amount, received) in zip(_one_per_person(allocations), CONTRIBUTIONS, strict=False):
        if TopUp.objects.filter(allocation__budget__person=allocation.budget.person).exists():
            existing += 1
            continue
        holder = consent_holder(allocation.budget.person)
        if holder is None:
            continue
        made = top_up_create(
            allocation=allocation,
            actor=holder.user,
            reason=TopUpReason.CONTRIBUTION,
            amount=amount,
            method=TopUpMethod.BANK_TRANSFER,
        )
        if received:
            bank_transfer_received(top_up=made, actor=finance, amount=amount)
        created += 1
    ctx.tally.record("Top-ups paid into budgets by bank transfer", created=created, existing=existing)


def _one_per_person(allocations) -> list[Allocation]:  # type: ignore[no-untyped-def]
    seen: set[int] = set()
    chosen = []
    for allocation in allocations:
        if allocation.budget.person_id not in seen and consent_holder(allocation.budget.person) is not None:
            seen.add(allocation.budget.person_id)
            chosen.append(allocation)
    return chosen
