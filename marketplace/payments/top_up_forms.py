"""Forms of the top-up pages: asking to pay into a budget, recording a bank transfer, a refund, and the
council's top-up settings."""

import re
from decimal import Decimal

from django import forms

from brokerage.models import Budget, PlanLine
from marketplace.payments.top_up_models import TopUpMethod, TopUpReason

MONEY_ERRORS = {
    "required": "Enter an amount in pounds, for example 25.00",
    "invalid": "Enter an amount in pounds, for example 25.00",
    "max_decimal_places": "Enter the amount in pounds and pence, for example 25.50",
    "min_value": "Enter an amount of at least £0.01",
    "max_digits": "Enter a smaller amount",
}


def _money_field(label: str, help_text: str = "") -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        min_value=Decimal("0.01"),
        max_digits=10,
        decimal_places=2,
        error_messages=MONEY_ERRORS,
        help_text=help_text,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false"}),
    )


class TopUpForm(forms.Form):
    allocation = forms.ModelChoiceField(
        label="Which part of the budget is it for?",
        queryset=None,
        empty_label=None,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose which part of the budget it is for"},
    )
    reason = forms.ChoiceField(
        label="Why are you paying?",
        choices=TopUpReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose why you are paying", "invalid_choice": "Choose why you are paying"},
    )
    plan_line = forms.ModelChoiceField(
        label="Which support in the plan is it for? (if you chose a dearer option)",
        queryset=None,
        required=False,
        empty_label="Not for one line of the plan",
        error_messages={"invalid_choice": "Choose a line of the plan"},
    )
    amount = _money_field("How much are you paying?")
    method = forms.ChoiceField(
        label="How do you want to pay?",
        choices=[
            (TopUpMethod.CARD, "By debit or credit card, now (this needs JavaScript)"),
            (TopUpMethod.BANK_TRANSFER, "By bank transfer from your own bank, quoting a reference"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how you want to pay", "invalid_choice": "Choose how you want to pay"},
    )

    def __init__(self, *args, budget: Budget, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["allocation"].queryset = budget.allocations.select_related("stream")
        self.fields["allocation"].label_from_instance = lambda allocation: allocation.stream.name
        self.fields["plan_line"].queryset = PlanLine.objects.filter(plan__budget=budget).order_by("plan__version", "id")
        allocations = list(self.fields["allocation"].queryset)
        if len(allocations) == 1 and "allocation" not in self.initial:
            self.initial["allocation"] = allocations[0].pk


class BankTransferReceivedForm(forms.Form):
    amount = _money_field("Amount received", "As it shows on the council's bank statement")


class RefundForm(forms.Form):
    amount = _money_field("Amount to refund")
    reason = forms.CharField(
        label="Why is it being refunded?",
        max_length=300,
        error_messages={"required": "Enter why it is being refunded"},
        help_text="The family is told this.",
    )


PUBLISHABLE_KEY = re.compile(r"^pk_(live|test)_[A-Za-z0-9]+$")


class TopUpSettingsForm(forms.Form):
    stripe_publishable_key = forms.CharField(
        label="Stripe publishable key",
        required=False,
        max_length=200,
        help_text="Starts with pk_live_ or pk_test_; from the same Stripe account as the secret key in the "
        "payment settings. Leave blank to keep the one you have.",
    )
    bank_account_name = forms.CharField(label="Name of the account", max_length=70, required=False)
    bank_sort_code = forms.CharField(
        label="Sort code", required=False, help_text="6 digits. Leave blank to keep the one you have."
    )
    bank_account_number = forms.CharField(
        label="Account number", required=False, help_text="8 digits. Leave blank to keep the one you have."
    )

    def clean_stripe_publishable_key(self) -> str:
        key = self.cleaned_data["stripe_publishable_key"].strip()
        if key and not PUBLISHABLE_KEY.match(key):
            raise forms.ValidationError("Enter a publishable key that starts with pk_live_ or pk_test_")
        return key

    def clean_bank_sort_code(self) -> str:
        digits = re.sub(r"[\s-]", "", self.cleaned_data["bank_sort_code"])
        if digits and not re.fullmatch(r"\d{6}", digits):
            raise forms.ValidationError("Enter a sort code of 6 digits, like 30-94-57")
        return digits

    def clean_bank_account_number(self) -> str:
        digits = re.sub(r"\s", "", self.cleaned_data["bank_account_number"])
        if digits and not re.fullmatch(r"\d{8}", digits):
            raise forms.ValidationError("Enter an account number of 8 digits")
        return digits
