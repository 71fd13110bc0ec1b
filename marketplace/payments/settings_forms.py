"""The form of the payment settings page. The Stripe keys are never written back into the page, not even
when the form comes back with an error: the stored ones are shown masked beside it, and a blank box keeps
them."""

from django import forms
from django.core.exceptions import ValidationError

from marketplace.payments.council_settings import finance_code_check, secret_key_check, webhook_secret_check
from marketplace.payments.models import Gateway

GATEWAY_LABELS = {
    Gateway.PAYMENT_FILE: "Payment file: the council's finance system pays everyone by bank transfer",
    Gateway.STRIPE_CONNECT: "Stripe Connect: providers and personal assistants with a Stripe account are paid "
    "by Stripe transfer; everyone else by payment file",
}


def _secret_input() -> forms.PasswordInput:
    # A password box never renders the value it was given (render_value=False), and is not shown on screen.
    return forms.PasswordInput(attrs={"autocomplete": "off", "spellcheck": "false"}, render_value=False)


def _checked(check, value: str, field: str) -> str:  # type: ignore[no-untyped-def]
    try:
        return check(value)
    except ValidationError as error:
        raise ValidationError(error.message_dict[field]) from error


class PaymentSettingsForm(forms.Form):
    gateway = forms.ChoiceField(
        label="How the council pays",
        choices=[(value, GATEWAY_LABELS[value]) for value in Gateway.values],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how the council pays", "invalid_choice": "Choose how the council pays"},
        help_text="Direct payments to families always go by payment file.",
    )
    finance_code = forms.CharField(
        label="Finance code (optional)",
        max_length=30,
        required=False,
        help_text="The cost-centre code put on every line of the payment file, for example CYP-DP-4410",
    )
    secret_key = forms.CharField(
        label="New Stripe secret key",
        required=False,
        widget=_secret_input(),
        help_text="Starts with sk_live_ or sk_test_ (rk_ for a restricted key). Leave blank to keep the one you have.",
    )
    webhook_secret = forms.CharField(
        label="New webhook signing secret",
        required=False,
        widget=_secret_input(),
        help_text="Starts with whsec_. Stripe shows it on the webhook endpoint's page. Leave blank to keep it.",
    )
    remove_keys = forms.BooleanField(
        label="Remove the Stripe keys",
        required=False,
        help_text="Only when the council pays by payment file",
    )

    def clean_finance_code(self) -> str:
        return _checked(finance_code_check, self.cleaned_data["finance_code"], "finance_code")

    def clean_secret_key(self) -> str:
        value = self.cleaned_data["secret_key"]
        return _checked(secret_key_check, value, "secret_key") if value.strip() else ""

    def clean_webhook_secret(self) -> str:
        value = self.cleaned_data["webhook_secret"]
        return _checked(webhook_secret_check, value, "webhook_secret") if value.strip() else ""
