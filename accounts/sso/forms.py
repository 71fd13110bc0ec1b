from django import forms

from accounts.models import CouncilSignOn


class CouncilAccountForm(forms.Form):
    email = forms.EmailField(
        label="Work email address",
        help_text="We will send you to your council's sign-in page.",
        error_messages={
            "required": "Enter your work email address",
            "invalid": "Enter an email address in the correct format, like name@council.gov.uk",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()


class SignOnForm(forms.Form):
    """A council's connection to its identity provider; the client secret is never shown back."""

    issuer_url = forms.URLField(
        label="Issuer URL",
        assume_scheme="https",
        max_length=500,
        help_text="From your identity provider, for example https://login.microsoftonline.com/<tenant>/v2.0. "
        "We read its settings from /.well-known/openid-configuration.",
        error_messages={"required": "Enter the issuer URL", "invalid": "Enter the issuer URL as an https address"},
    )
    client_id = forms.CharField(
        label="Client ID",
        max_length=255,
        help_text="Also called the application ID.",
        error_messages={"required": "Enter the client ID"},
    )
    client_secret = forms.CharField(
        label="Client secret",
        strip=True,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}, render_value=False),
        error_messages={"required": "Enter the client secret"},
    )
    allowed_email_domains = forms.CharField(
        label="Work email domains",
        help_text="Separate several with commas, for example council.gov.uk, council.nhs.uk. "
        "Only staff whose address ends in one of these can sign in this way.",
        error_messages={"required": "Enter at least one email domain, like council.gov.uk"},
    )
    password_sign_in_allowed = forms.BooleanField(
        label="Staff may still sign in with a password",
        required=False,
        help_text="Untick to make your staff sign in through your identity provider only.",
    )
    is_enabled = forms.BooleanField(
        label="Single sign-on is on",
        required=False,
        help_text="We check the connection before turning it on.",
    )

    def __init__(self, *args, config: CouncilSignOn | None = None, **kwargs) -> None:  # type: ignore[no-untyped-def]
        if config is not None:
            kwargs.setdefault(
                "initial",
                {
                    "issuer_url": config.issuer_url,
                    "client_id": config.client_id,
                    "allowed_email_domains": ", ".join(config.allowed_email_domains),
                    "password_sign_in_allowed": config.password_sign_in_allowed,
                    "is_enabled": config.is_enabled,
                },
            )
        else:
            kwargs.setdefault("initial", {"password_sign_in_allowed": True})
        super().__init__(*args, **kwargs)
        if config is not None:
            self.fields["client_secret"].required = False
            self.fields[
                "client_secret"
            ].help_text = f"The stored secret ends {config.client_secret_hint}. Leave this empty to keep it."
