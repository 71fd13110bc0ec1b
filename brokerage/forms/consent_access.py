"""Forms for the consent holder's "who can see the record" page. They parse input; the rules live in
brokerage.services.consent."""

from django import forms
from django.utils import timezone

from accounts.models import Membership, User
from brokerage.models import AccessGrant


def practitioner_choices(memberships: list[Membership]) -> list[tuple[str, str]]:
    """One choice per person, naming each role they hold and where, so that two Sam Smiths can be told apart."""
    places: dict[User, list[str]] = {}
    for membership in memberships:
        places.setdefault(membership.user, []).append(f"{membership.get_role_display()}, {membership.organisation}")
    return [(str(user.public_id), f"{user} ({'; '.join(where)})") for user, where in places.items()]


class AccessGiveForm(forms.Form):
    grantee = forms.ChoiceField(
        label="Who may see the record",
        help_text="Lead professionals and brokers working in your council's area",
        error_messages={"required": "Choose who may see the record", "invalid_choice": "Choose someone from the list"},
    )
    scope = forms.ChoiceField(
        label="What they may do",
        choices=AccessGrant.Scope.choices,
        initial=AccessGrant.Scope.READ,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what they may do"},
    )
    spending_limit = forms.DecimalField(
        label="Spending limit in pounds (only if they may place orders)",
        help_text="The most they may order for you, for example 250.00",
        required=False,
        min_value=0,
        max_digits=12,
        decimal_places=2,
        error_messages={
            "invalid": "Enter an amount in pounds, like 250.00",
            "min_value": "The amount cannot be less than 0",
            "max_decimal_places": "Enter an amount in pounds and pence, like 250.50",
        },
    )
    until = forms.DateField(
        label="Until (optional)",
        required=False,
        help_text="For example, 31/3/2027. Leave empty for access until you withdraw it.",
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        error_messages={"invalid": "Enter a date like 31/3/2027"},
    )

    def __init__(self, *args, memberships: list[Membership], **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.users = {str(m.user.public_id): m.user for m in memberships}
        self.fields["grantee"].choices = [("", "Choose someone"), *practitioner_choices(memberships)]
        self.fields["spending_limit"].widget.attrs.update({"inputmode": "decimal", "spellcheck": "false"})

    def clean_until(self):  # type: ignore[no-untyped-def]
        until = self.cleaned_data["until"]
        if until and until < timezone.localdate():
            raise forms.ValidationError("The date must be today or in the future")
        return until

    def clean(self) -> dict:
        data = super().clean()
        if data.get("scope") == AccessGrant.Scope.ACT and data.get("spending_limit") is None:
            self.add_error("spending_limit", "Enter a spending limit, or let them only see the plan and budget")
        if data.get("scope") == AccessGrant.Scope.READ:
            data["spending_limit"] = None
        return data

    def grantee_user(self) -> User:
        return self.users[self.cleaned_data["grantee"]]

    def terms(self) -> dict:
        return {name: self.cleaned_data[name] for name in ("scope", "spending_limit", "until")}


class AccessWithdrawForm(forms.Form):
    reason = forms.CharField(
        label="Why (optional)",
        required=False,
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Kept in the record's history",
    )
