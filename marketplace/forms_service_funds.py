"""Forms of the individual service fund pages: the provider's monthly statement (hours × rate per plan line, and
other spending) and the council's query."""

from datetime import date
from decimal import Decimal

from django import forms

from brokerage.models import Allocation, PlanLine, ServiceFundFrequency, ServiceFundPolicy
from brokerage.services.service_funds import LineInput

OTHER_ROWS = 3
MONEY = {"max_digits": 10, "decimal_places": 2, "min_value": Decimal("0.00")}


class StatementForm(forms.Form):
    """One pair of fields (units delivered, rate) per plan line the fund pays for, then a few rows of other
    spending (what it was, amount). Empty units mean nothing was delivered on that line."""

    month = forms.TypedChoiceField(label="Which month is the statement for?", coerce=date.fromisoformat)

    def __init__(self, data=None, *, plan_lines: list[PlanLine], months: list[date] | None, initial_lines=None):  # type: ignore[no-untyped-def]
        super().__init__(data)
        self.plan_lines = plan_lines
        if months is None:
            del self.fields["month"]
        else:
            self.fields["month"].choices = [(m.isoformat(), f"{m:%B %Y}") for m in months]
        given = {line.plan_line_id: line for line in initial_lines or [] if line.plan_line_id}
        for line in plan_lines:
            before = given.get(line.pk)
            self.fields[f"quantity_{line.pk}"] = forms.DecimalField(
                label=f"{line.unit.capitalize()}s delivered",
                required=False,
                max_digits=8,
                decimal_places=2,
                min_value=Decimal("0.00"),
                initial=before.quantity if before else None,
            )
            self.fields[f"rate_{line.pk}"] = forms.DecimalField(
                label=f"Rate per {line.unit}, £",
                initial=before.rate if before else line.unit_cost,
                **MONEY,
            )
        others = [line for line in initial_lines or [] if not line.plan_line_id]
        for row in range(OTHER_ROWS):
            before = others[row] if row < len(others) else None
            self.fields[f"other_description_{row}"] = forms.CharField(
                label="What it was for", required=False, max_length=200, initial=before.description if before else ""
            )
            self.fields[f"other_amount_{row}"] = forms.DecimalField(
                label="Amount, £", required=False, initial=before.total if before else None, **MONEY
            )

    # What the plan expects of each line in the month (a ``Planned`` by plan line id), shown as a hint.
    planned: dict = {}  # type: ignore[type-arg]

    @property
    def line_groups(self) -> list[tuple[PlanLine, object, forms.BoundField, forms.BoundField]]:
        return [
            (line, self.planned.get(line.pk), self[f"quantity_{line.pk}"], self[f"rate_{line.pk}"])
            for line in self.plan_lines
        ]

    @property
    def other_groups(self) -> list[tuple[int, forms.BoundField, forms.BoundField]]:
        return [(row + 1, self[f"other_description_{row}"], self[f"other_amount_{row}"]) for row in range(OTHER_ROWS)]

    def clean(self) -> dict:  # type: ignore[type-arg]
        data = super().clean()
        for row in range(OTHER_ROWS):
            text, amount = data.get(f"other_description_{row}"), data.get(f"other_amount_{row}")
            if amount and not text:
                self.add_error(f"other_description_{row}", "Say what the money was spent on")
            if text and not amount:
                self.add_error(f"other_amount_{row}", "Enter the amount spent")
        return data

    @property
    def lines(self) -> list[LineInput]:
        data = self.cleaned_data
        entered = [
            LineInput(line, line.description, data[f"quantity_{line.pk}"], data[f"rate_{line.pk}"])
            for line in self.plan_lines
            if data.get(f"quantity_{line.pk}")
        ]
        entered += [
            LineInput(None, data[f"other_description_{row}"], Decimal("1"), data[f"other_amount_{row}"])
            for row in range(OTHER_ROWS)
            if data.get(f"other_amount_{row}")
        ]
        return entered


def statement_months(allocation: Allocation, today: date) -> list[date]:
    """Months of the budget that have started and have no statement yet, earliest first."""
    budget = allocation.budget
    sent = set(allocation.isf_statements.values_list("period_start", flat=True))
    months, month = [], budget.starts_on.replace(day=1)
    while month <= min(budget.ends_on, today):
        if month not in sent:
            months.append(month)
        month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return months


class QueryForm(forms.Form):
    reason = forms.CharField(
        label="What should the provider check or correct?",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )


class PolicyForm(forms.ModelForm):
    class Meta:
        model = ServiceFundPolicy
        fields = ["surplus_action", "carry_forward_weeks", "tolerance_percent", "tolerance_amount"]
        labels = {
            "surplus_action": "What happens to unspent money at the end of a fund's period?",
            "carry_forward_weeks": "When carrying forward, at most how many weeks of planned support?",
            "tolerance_percent": "Tolerance as a percentage of the planned amount",
            "tolerance_amount": "Tolerance in pounds",
        }
        widgets = {"surplus_action": forms.RadioSelect}


class FrequencyForm(forms.Form):
    frequency = forms.ChoiceField(
        label="How often is the provider paid?", choices=ServiceFundFrequency.choices, widget=forms.RadioSelect
    )
