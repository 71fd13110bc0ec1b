"""Forms of the bank-details pages. The sort code and account number are never written back into the
page, not even when the form comes back with an error: the person types them again."""

from django import forms
from django.core.exceptions import ValidationError

from marketplace.payments.bank_accounts import account_number_normalise, sort_code_normalise


class UnrenderedTextInput(forms.TextInput):
    """A text box that never puts the value it was given back into the page."""

    def format_value(self, value: object) -> None:
        return None


def _number_input() -> UnrenderedTextInput:
    return UnrenderedTextInput(attrs={"autocomplete": "off", "spellcheck": "false", "inputmode": "numeric"})


class BankDetailsForm(forms.Form):
    account_name = forms.CharField(
        label="Name on the account",
        max_length=70,
        error_messages={"required": "Enter the name on the account"},
        help_text="As it appears on bank statements",
    )
    sort_code = forms.CharField(
        label="Sort code",
        max_length=12,
        widget=_number_input(),
        error_messages={"required": "Enter a sort code"},
        help_text="Must be 6 digits long",
    )
    account_number = forms.CharField(
        label="Account number",
        max_length=12,
        widget=_number_input(),
        error_messages={"required": "Enter an account number"},
        help_text="Must be between 6 and 8 digits long",
    )
    building_society_roll = forms.CharField(
        label="Building society roll number (if you have one)",
        max_length=18,
        required=False,
        help_text="You can find it on your card, statement or passbook",
    )

    def clean_sort_code(self) -> str:
        return _field_checked(sort_code_normalise, self.cleaned_data["sort_code"], "sort_code")

    def clean_account_number(self) -> str:
        return _field_checked(account_number_normalise, self.cleaned_data["account_number"], "account_number")


def _field_checked(check, value: str, field: str) -> str:  # type: ignore[no-untyped-def]
    try:
        return check(value)
    except ValidationError as error:
        raise ValidationError(error.message_dict[field]) from error


class CallbackForm(forms.Form):
    note = forms.CharField(
        label="What happened on the call",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter who you called, on which number from our records, and what they said"},
        help_text="Who you spoke to, the number you called (one shown above), and that they confirmed the details",
    )


class ApproveForm(forms.Form):
    """Nothing to fill in: approving is a button, and a refusal is shown on this form."""


class RejectForm(forms.Form):
    reason = forms.CharField(
        label="Why you are rejecting these details",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter why you are rejecting these bank details"},
        help_text="The payee is told this",
    )
