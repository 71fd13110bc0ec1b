from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm, PasswordResetForm, SetPasswordForm

from accounts.models import User


class SignInForm(AuthenticationForm):
    """Email and password; the field stays called ``username`` for Django and django-axes."""

    username = forms.EmailField(
        label="Email address", widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"})
    )
    password = forms.CharField(
        label="Password", strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
    error_messages = {
        "invalid_login": "Enter a correct email address and password. Both may be case-sensitive.",
        "inactive": "This account has been closed. Ask your organisation's administrator.",
    }

    def clean_username(self) -> str:
        return self.cleaned_data["username"].strip().lower()


class ResetRequestForm(PasswordResetForm):
    email = forms.EmailField(
        label="Email address",
        help_text="We will send a link to reset your password if this address has an account.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


class NewPasswordForm(SetPasswordForm):
    """Labels in the service's own words."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = "New password"
        self.fields["new_password1"].help_text = "At least 10 characters, not a common password."
        self.fields["new_password2"].label = "Confirm new password"


class ChangePasswordForm(PasswordChangeForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = "Current password"
        self.fields["new_password1"].label = "New password"
        self.fields["new_password1"].help_text = "At least 10 characters, not a common password."
        self.fields["new_password2"].label = "Confirm new password"


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["first_name", "last_name", "phone_number", "prefers_sms"]
        labels = {"first_name": "First name", "last_name": "Last name", "phone_number": "Mobile number"}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["first_name"].required = True
        self.fields["last_name"].required = True

    def clean_phone_number(self) -> str:
        number = "".join(ch for ch in self.cleaned_data["phone_number"] if ch.isdigit() or ch == "+")
        if number and not _is_uk_mobile(number):
            raise forms.ValidationError("Enter a UK mobile number, like 07700 900 982")
        return number


def _is_uk_mobile(number: str) -> bool:
    if number.startswith("+44"):
        number = "0" + number[3:]
    return len(number) == 11 and number.startswith("07") and number.isdigit()
