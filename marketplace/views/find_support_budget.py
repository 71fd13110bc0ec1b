"""The find-support page's budget box: for a signed-in budget holder, how many hours, sessions, days or
nights a week to price each result for, and which budget to measure it against.

Two more fields of the page's GET form (``units``, ``budget``), so it works without JavaScript and a
results page's address keeps them. A ``budget`` that is not one of the user's own (another family's, a
mistyped one) is ignored as if it had not been given: the box shows the user's first budget, and the
other budget's existence is not revealed.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django import forms
from django.http import QueryDict

from accounts.models import User
from brokerage.models import Budget
from brokerage.selectors.headroom import BudgetHeadroom, budget_headroom, budgets_for_planning

BUDGET_FIELDS = ("units", "budget")
DEFAULT_UNITS = Decimal(1)
# The hours in a week: no unit (an hour, a session, a day, a night) is bought more often than that.
MOST_UNITS = Decimal(168)


class UnitsForm(forms.Form):
    units = forms.DecimalField(
        min_value=Decimal("0.01"),
        max_value=MOST_UNITS,
        max_digits=5,
        decimal_places=2,
        error_messages={
            "required": "Enter how many a week, like 3 or 2.5",
            "invalid": "Enter how many a week as a number, like 3 or 2.5",
            "min_value": "Enter a number more than 0",
            "max_value": f"Enter a number no more than {MOST_UNITS}",
            "max_digits": f"Enter a number no more than {MOST_UNITS}",
            "max_decimal_places": "Enter the number with no more than 2 decimal places, like 2.5",
        },
    )


@dataclass(frozen=True)
class BudgetBox:
    budgets: list[Budget]
    headroom: BudgetHeadroom
    units_value: str  # as typed, to show it again
    units: Decimal | None  # None when what was typed is not a number of units
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def budget(self) -> Budget:
        return self.headroom.budget


def budget_box_for(user: User, params: QueryDict, *, day: date) -> BudgetBox | None:
    """The box for a user with at least one budget they may plan with; None for anyone else."""
    budgets = budgets_for_planning(user=user, day=day)
    if not budgets:
        return None
    chosen = next((budget for budget in budgets if str(budget.public_id) == params.get("budget", "")), budgets[0])
    typed = params.get("units", "").strip()
    form = UnitsForm({"units": typed or str(DEFAULT_UNITS)})
    valid = form.is_valid()
    return BudgetBox(
        budgets=budgets,
        headroom=budget_headroom(chosen, day=day),
        units_value=typed or str(DEFAULT_UNITS),
        units=form.cleaned_data["units"] if valid else None,
        errors={} if valid else {"units": form.errors["units"][0]},
    )
