"""What is left on a budget to plan new support with, for the find-support page.

"What is left" is the money on the budget's "available" accounts: neither committed to orders or plan
lines nor held back as contingency. Spread over the weeks still to run in the budget period, it says
how much new support a week the budget can take on.

Whose budgets: those of the people a user may see in a council where they have a casework or family
role, exactly as their caseload or family page shows them, so that nobody learns about a budget here
that they could not open.
"""

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_DOWN, Decimal

from django.db.models import Sum

from accounts.models import User
from accounts.permissions import user_councils
from brokerage.models import AccountKind, Budget, Posting
from brokerage.selectors.people import RECORD_ROLES, people_for_user

PENNY = Decimal("0.01")
ZERO = Decimal("0.00")
DAYS_IN_A_WEEK = Decimal(7)


@dataclass(frozen=True)
class BudgetHeadroom:
    budget: Budget
    available: Decimal
    weeks_left: Decimal

    @property
    def weekly(self) -> Decimal:
        # Rounded down: the page must never say that something fits when it is a penny over.
        return (self.available / self.weeks_left).quantize(PENNY, rounding=ROUND_DOWN)

    @property
    def ends_on(self) -> date:
        return self.budget.ends_on


def budgets_for_planning(*, user: User, day: date) -> list[Budget]:
    """The user's budgets not yet ended on ``day`` (including next year's, once it is set up), by
    person and then start date."""
    if not user.is_authenticated:
        return []
    budgets: dict[int, Budget] = {}
    for council in user_councils(user, *RECORD_ROLES):
        people = people_for_user(user=user, council=council)
        for budget in Budget.objects.filter(person__in=people, ends_on__gte=day).select_related("person"):
            budgets[budget.pk] = budget
    return sorted(
        budgets.values(), key=lambda b: (b.person.last_name, b.person.first_name, b.person.pk, b.starts_on, b.pk)
    )


def budget_weeks_left(budget: Budget, *, day: date) -> Decimal:
    """Weeks from ``day`` (or the budget's start, if later) to its last day, both counted; at least 1,
    so that the last days of a budget, or a budget already ended, never divide by less than a week."""
    first = max(day, budget.starts_on)
    days = (budget.ends_on - first).days + 1
    return max(Decimal(days) / DAYS_IN_A_WEEK, Decimal(1))


def budget_available(budget: Budget) -> Decimal:
    """Money on the budget's "available" accounts: not committed, not held back as contingency."""
    postings = Posting.objects.filter(account__allocation__budget=budget, account__kind=AccountKind.AVAILABLE)
    total = postings.aggregate(total=Sum("amount"))["total"]
    # SQLite sums decimals with trailing digits; money is always to the penny.
    return max((total or ZERO).quantize(PENNY), ZERO)


def budget_headroom(budget: Budget, *, day: date) -> BudgetHeadroom:
    return BudgetHeadroom(
        budget=budget, available=budget_available(budget), weeks_left=budget_weeks_left(budget, day=day)
    )
