"""Forms of the package builder and of the family agreeing the plan."""

from django import forms

from brokerage.models import FundingStream, Outcome, PlanLine, PlanLineSlot, SupportPlan, Weekday
from brokerage.services.packages import SlotTimes
from providers.models import CostOption, Offer

TIME_FORMATS = ["%H:%M", "%H.%M", "%H%M"]


class SlotFields(forms.Form):
    """One weekly time; on the "add to package" form it may be left empty."""

    weekday = forms.TypedChoiceField(label="Day", choices=Weekday.choices, coerce=int)
    starts_at = forms.TimeField(label="Starts at", input_formats=TIME_FORMATS, help_text="For example, 15:30")
    ends_at = forms.TimeField(label="Ends at", input_formats=TIME_FORMATS, help_text="For example, 17:30")

    def clean(self) -> dict:
        data = super().clean()
        starts_at, ends_at = data.get("starts_at"), data.get("ends_at")
        if starts_at and ends_at and starts_at >= ends_at:
            self.add_error("ends_at", "The end time must be after the start time")
        return data

    def times(self) -> SlotTimes:
        data = self.cleaned_data
        return SlotTimes(weekday=data["weekday"], starts_at=data["starts_at"], ends_at=data["ends_at"])


class SlotForm(SlotFields):
    @classmethod
    def for_slot(cls, data, slot: PlanLineSlot) -> "SlotForm":  # type: ignore[no-untyped-def]
        return cls(
            data,
            initial={
                "weekday": slot.weekday,
                "starts_at": slot.starts_at.strftime("%H:%M"),
                "ends_at": slot.ends_at.strftime("%H:%M"),
            },
        )


def _streams(plan: SupportPlan):  # type: ignore[no-untyped-def]
    return FundingStream.objects.filter(allocations__budget=plan.budget).distinct()


class PackageLineForm(SlotFields):
    """An offer becomes a weekly line: its price, how much a week, for how many weeks, and a first time."""

    cost_option = forms.ModelChoiceField(
        label="Price", queryset=CostOption.objects.none(), widget=forms.RadioSelect, empty_label=None
    )
    quantity = forms.DecimalField(
        label="How many a week",
        max_digits=8,
        decimal_places=2,
        min_value=0.01,
        help_text="Hours, sessions or days each week, in the offer's unit",
    )
    weeks = forms.IntegerField(label="For how many weeks", min_value=1, max_value=52)
    outcome = forms.ModelChoiceField(label="Outcome it works towards", queryset=Outcome.objects.none())
    stream = forms.ModelChoiceField(label="Funding stream", queryset=FundingStream.objects.none())

    field_order = ["cost_option", "quantity", "weeks", "outcome", "stream", "weekday", "starts_at", "ends_at"]

    def __init__(self, *args, plan: SupportPlan, offer: Offer, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["cost_option"].queryset = offer.live_version.cost_options.all()  # type: ignore[attr-defined]
        self.fields["cost_option"].label_from_instance = lambda option: (  # type: ignore[attr-defined]
            f"£{option.amount} {option.get_unit_display()}" + (f" ({option.description})" if option.description else "")
        )
        self.fields["outcome"].queryset = plan.outcomes.all()  # type: ignore[attr-defined]
        self.fields["stream"].queryset = _streams(plan)  # type: ignore[attr-defined]
        # The first weekly time is optional here: more are added on the timetable.
        for name in ("weekday", "starts_at", "ends_at"):
            self.fields[name].required = False
        self.fields["weekday"].choices = [("", "No time yet"), *Weekday.choices]  # type: ignore[attr-defined]
        self.fields["weekday"].label = "First weekly time: day"
        if plan.budget.starts_on and plan.budget.ends_on:
            self.fields["weeks"].initial = max(1, min(52, (plan.budget.ends_on - plan.budget.starts_on).days // 7))

    def clean(self) -> dict:
        data = super().clean()
        chosen = [data.get(name) not in (None, "") for name in ("weekday", "starts_at", "ends_at")]
        if any(chosen) and not all(chosen):
            self.add_error(
                "weekday" if not chosen[0] else "starts_at" if not chosen[1] else "ends_at",
                "Give the day, the start and the end of the time, or leave all three empty",
            )
        return data

    def slots(self) -> list[SlotTimes]:
        if self.cleaned_data.get("weekday") in (None, ""):
            return []
        return [self.times()]

    def line_fields(self) -> dict:
        data = self.cleaned_data
        return {name: data[name] for name in ("cost_option", "quantity", "weeks", "outcome", "stream")}


class LineChangeForm(forms.Form):
    quantity = forms.DecimalField(label="How many a week", max_digits=8, decimal_places=2, min_value=0.01)
    weeks = forms.IntegerField(label="For how many weeks", min_value=1, max_value=52)
    outcome = forms.ModelChoiceField(label="Outcome it works towards", queryset=Outcome.objects.none())

    def __init__(self, *args, line: PlanLine, **kwargs) -> None:  # type: ignore[no-untyped-def]
        kwargs.setdefault(
            "initial", {"quantity": line.quantity.normalize(), "weeks": line.periods, "outcome": line.outcome_id}
        )
        super().__init__(*args, **kwargs)
        self.fields["outcome"].queryset = line.plan.outcomes.all()  # type: ignore[attr-defined]


class OfferReferenceForm(forms.Form):
    offer = forms.UUIDField(
        label="Offer reference",
        help_text="The reference at the end of the offer's web address, from the find support page",
    )


class AskChangesForm(forms.Form):
    changes = forms.CharField(
        label="What would you like to change?",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Tell us what you would like to change"},
    )
