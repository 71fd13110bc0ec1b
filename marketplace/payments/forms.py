"""Forms of the payment-run screens: they only parse what the finance officer sent. The rules (a banking
day, two finance officers, which confirmations are allowed) live in ``marketplace.payments.runs``."""

from django import forms

from marketplace.forms_orders import date_field

# A bank's confirmation file for one run is a few thousand lines at most; anything far bigger is the
# wrong file, and reading it would only hold up the request.
CONFIRMATION_FILE_MAX_BYTES = 2 * 1024 * 1024
OUTCOME_CHOICES = [
    ("paid", "Paid: the bank confirmed the money reached the payee"),
    ("rejected", "Rejected: the bank did not send it"),
    ("returned", "Returned: the money came back from the payee's bank"),
]


class PrepareForm(forms.Form):
    pay_on = date_field(
        "Pay on",
        example="27/3/2026",
        help_text="A banking working day: the date the money should reach payees. For example, 27/3/2026",
    )


class CancelForm(forms.Form):
    reason = forms.CharField(
        label="Why you are cancelling the run",
        help_text="The other finance officers read this. What it would have paid can go into the next run.",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": "Say why you are cancelling the run",
            "max_length": "The reason must be 2000 characters or fewer",
        },
    )


class ConfirmPaymentForm(forms.Form):
    outcome = forms.ChoiceField(
        label="What did the bank say?",
        choices=OUTCOME_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what the bank said about this payment"},
    )
    reason = forms.CharField(
        label="Why (if rejected or returned)",
        help_text="As the bank gave it, for example: account closed. What it paid can go into the next run.",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": "The reason must be 2000 characters or fewer"},
    )

    def clean(self) -> dict:
        data = super().clean() or {}
        if data.get("outcome") in ("rejected", "returned") and not data.get("reason", "").strip():
            self.add_error("reason", "Say why the bank rejected or returned the payment")
        return data


class ConfirmationUploadForm(forms.Form):
    confirmations = forms.FileField(
        label="The bank's confirmation file (CSV)",
        help_text="Nothing is changed unless every line of the file can be applied.",
        error_messages={"required": "Choose the bank's confirmation file", "empty": "The file you chose is empty"},
    )

    def clean_confirmations(self) -> str:
        upload = self.cleaned_data["confirmations"]
        if upload.size > CONFIRMATION_FILE_MAX_BYTES:
            raise forms.ValidationError("The file must be smaller than 2 MB")
        try:
            return upload.read().decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise forms.ValidationError("The file must be a CSV file saved as UTF-8") from error
