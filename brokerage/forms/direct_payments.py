import uuid

from django import forms

from brokerage.forms.plans import DATE_FORMATS
from brokerage.models import Allocation, Budget, PaymentFrequency
from brokerage.services.direct_payments import dp_allocations, plan_categories

NOT_IN_PLAN = "other"


class SpendForm(forms.Form):
    allocation = forms.ModelChoiceField(
        label="Which direct payment", queryset=Allocation.objects.none(), empty_label=None
    )
    amount = forms.DecimalField(
        label="Amount (£)",
        max_digits=12,
        decimal_places=2,
        min_value=0.01,
        error_messages={
            "required": "Enter how much you spent",
            "invalid": "Enter the amount in pounds and pence, like 12.50",
            "min_value": "The amount must be more than £0",
            "max_decimal_places": "Enter the amount in pounds and pence, like 12.50",
        },
    )
    spent_on = forms.DateField(
        label="Date you spent it",
        input_formats=DATE_FORMATS,
        help_text="For example, 27/5/2026",
        error_messages={"required": "Enter the date you spent it", "invalid": "Enter a real date, like 27/5/2026"},
    )
    description = forms.CharField(
        label="What it was for",
        max_length=200,
        error_messages={"required": "Say what it was for", "max_length": "Use 200 characters or fewer"},
    )
    category = forms.ChoiceField(
        label="Kind of support",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the kind of support it paid for"},
    )
    receipt = forms.ImageField(
        label="Photo of the receipt (optional)",
        required=False,
        help_text="A PNG or JPEG image, smaller than 2MB. You do not need receipts for everything.",
    )

    def __init__(self, *args, budget: Budget, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["allocation"].queryset = dp_allocations(budget)  # type: ignore[attr-defined]
        self.categories = {str(term.pk): term for term in plan_categories(budget)}
        self.fields["category"].choices = [  # type: ignore[attr-defined]
            *((pk, term.name) for pk, term in self.categories.items()),
            (NOT_IN_PLAN, "Something not in the plan"),
        ]

    def spend_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data["category"] = self.categories.get(data["category"])
        return data


class ContingencyReleaseForm(forms.Form):
    allocation = forms.ModelChoiceField(label="From which money", queryset=Allocation.objects.none(), empty_label=None)
    amount = forms.DecimalField(
        label="Amount to release (£)",
        max_digits=12,
        decimal_places=2,
        min_value=0.01,
        error_messages={"required": "Enter the amount to release", "invalid": "Enter an amount, like 150.00"},
    )
    reason = forms.CharField(
        label="Why it is needed",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=500,
        error_messages={"required": "Say why the contingency is needed"},
    )
    request_id = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)

    def __init__(self, *args, budget: Budget, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["allocation"].queryset = budget.allocations.select_related("stream")  # type: ignore[attr-defined]


class FrequencyForm(forms.Form):
    frequency = forms.ChoiceField(label="How often", choices=PaymentFrequency.choices, widget=forms.RadioSelect)


class ResolveForm(forms.Form):
    note = forms.CharField(
        label="What you found and what was done",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        error_messages={"required": "Say what you found and what was done"},
    )
