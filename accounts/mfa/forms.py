"""The code fields of two-step verification: what they accept and what they say when it is wrong."""

import re

from django import forms

from accounts.mfa.services import normalise_recovery_code

_SECURITY_CODE = re.compile(r"^\d{6}$")


class SecurityCodeForm(forms.Form):
    """A 6-digit code from an authenticator app. Spaces are ignored (apps show "123 456")."""

    code = forms.CharField(
        label="Security code",
        help_text="The 6-digit code your authenticator app shows for Support Exchange.",
        error_messages={"required": "Enter the security code"},
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "spellcheck": "false",
                "autocapitalize": "off",
            }
        ),
    )

    def clean_code(self) -> str:
        code = "".join(self.cleaned_data["code"].split())
        if not _SECURITY_CODE.match(code):
            raise forms.ValidationError("The security code must be 6 numbers, like 123456")
        return code


class RecoveryCodeForm(forms.Form):
    code = forms.CharField(
        label="Recovery code",
        help_text="One of the 10 codes you saved when you set up two-step verification, like abcde-fghjk.",
        error_messages={"required": "Enter a recovery code"},
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "off"}),
    )

    def clean_code(self) -> str:
        code = normalise_recovery_code(self.cleaned_data["code"])
        if len(code) != 10:
            raise forms.ValidationError("A recovery code is 10 letters and numbers, like abcde-fghjk")
        return code


class ResetReasonForm(forms.Form):
    reason = forms.CharField(
        label="Why are you resetting their two-step verification?",
        help_text="For example, they lost the phone with their authenticator app. This is kept in the history.",
        error_messages={"required": "Enter why you are resetting their two-step verification"},
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
