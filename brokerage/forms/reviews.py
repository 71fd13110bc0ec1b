from decimal import Decimal

from django import forms

from accounts.templatetags.money import money_text
from brokerage.models import Outcome, PlanLine


class ReviewForm(forms.Form):
    """One score for each outcome; for each running line, whether it stops and what was delivered."""

    summary = forms.CharField(label="What the review found", widget=forms.Textarea(attrs={"rows": 4}))
    new_version = forms.BooleanField(
        label="Change or add support: start the next version of the plan",
        required=False,
        help_text="To change a line, stop it here and add the changed line to the next version",
    )

    def __init__(self, *args, outcomes: list[Outcome], lines: list[PlanLine], **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.outcomes, self.lines = outcomes, lines
        for outcome in outcomes:
            self.fields[f"score_{outcome.pk}"] = forms.IntegerField(
                label=f"Score now for: {outcome.description[:80]}",
                min_value=1,
                max_value=10,
                help_text=f"It was {outcome.baseline_score} out of 10 at the start",
            )
        for line in lines:
            self.fields[f"stop_{line.pk}"] = forms.BooleanField(
                label=f"Stop {line.description} ({money_text(line.total)})", required=False
            )
            self.fields[f"delivered_{line.pk}"] = forms.DecimalField(
                label=f"Delivered so far for {line.description} (£)",
                required=False,
                min_value=0,
                max_digits=12,
                decimal_places=2,
                help_text="What stays paid for; the rest goes back to the budget",
            )

    def clean(self) -> dict:
        data = super().clean()
        for line in self.lines:
            if data.get(f"stop_{line.pk}") and data.get(f"delivered_{line.pk}") is None:
                self.add_error(f"delivered_{line.pk}", f"Say how much of {line.description} was delivered")
        return data

    def scores(self) -> dict[Outcome, int]:
        return {outcome: self.cleaned_data[f"score_{outcome.pk}"] for outcome in self.outcomes}

    def stops(self) -> dict[PlanLine, Decimal]:
        return {
            line: self.cleaned_data[f"delivered_{line.pk}"]
            for line in self.lines
            if self.cleaned_data.get(f"stop_{line.pk}")
        }
