"""Forms for council administration. They parse input; the rules live in accounts.services."""

from django import forms
from django.core.exceptions import ValidationError

from accounts.models import Organisation
from accounts.roles import ROLES_BY_KIND, OrganisationKind, Role, role_allowed_for_kind

REGISTRABLE_KINDS = [(kind.value, kind.label) for kind in OrganisationKind if kind != OrganisationKind.COUNCIL]


def _roles_hint() -> str:
    """Which roles each kind of organisation can hold, for the hint under the role field."""
    plurals = {
        OrganisationKind.COUNCIL: "Councils",
        OrganisationKind.PROVIDER: "Provider organisations",
        OrganisationKind.BROKER: "Broker organisations",
        OrganisationKind.NHS: "NHS bodies",
    }
    return " ".join(f"{plurals[kind]}: {', '.join(_role_labels(kind))}." for kind in OrganisationKind)


def _role_labels(kind: str) -> list[str]:
    return [role.label.lower() for role in Role if role in ROLES_BY_KIND[kind]]


class OrganisationCreateForm(forms.Form):
    name = forms.CharField(label="Name of the organisation", max_length=200)
    kind = forms.ChoiceField(
        label="What kind of organisation is it?", choices=REGISTRABLE_KINDS, widget=forms.RadioSelect
    )
    email = forms.EmailField(label="Contact email address", required=False)
    phone = forms.CharField(label="Contact phone number", max_length=30, required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["name"].error_messages["required"] = "Enter the name of the organisation"
        self.fields["kind"].error_messages["required"] = "Choose what kind of organisation it is"
        self.fields["email"].error_messages["invalid"] = "Enter an email address like name@example.org"


class OrganisationUpdateForm(forms.Form):
    name = forms.CharField(label="Name of the organisation", max_length=200)
    email = forms.EmailField(label="Contact email address", required=False)
    phone = forms.CharField(label="Contact phone number", max_length=30, required=False)
    is_active = forms.BooleanField(
        label="The organisation is open",
        required=False,
        help_text="When an organisation is closed, nobody can act for it until it is reopened.",
    )
    reason = forms.CharField(
        label="Why are you making this change? (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="This is kept in the organisation's history.",
    )

    def __init__(self, *args, organisation: Organisation, **kwargs) -> None:  # type: ignore[no-untyped-def]
        kwargs.setdefault(
            "initial",
            {
                "name": organisation.name,
                "email": organisation.email,
                "phone": organisation.phone,
                "is_active": organisation.is_active,
            },
        )
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        self.fields["name"].error_messages["required"] = "Enter the name of the organisation"
        self.fields["email"].error_messages["invalid"] = "Enter an email address like name@example.org"
        if organisation.is_council:
            # A council administrator cannot close their own council, so is not offered it.
            del self.fields["is_active"]

    def clean(self) -> dict:
        cleaned = super().clean()
        cleaned.setdefault("is_active", self.organisation.is_active)
        return cleaned


class RoleInOrganisationForm(forms.Form):
    """An organisation within the council and a role that kind of organisation can hold."""

    organisation = forms.ModelChoiceField(
        label="Organisation",
        queryset=Organisation.objects.none(),
        to_field_name="public_id",
        empty_label="Choose an organisation",
    )
    role = forms.ChoiceField(label="Role", choices=[("", "Choose a role"), *Role.choices])

    def __init__(self, *args, organisations, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.fields["organisation"].error_messages["required"] = "Choose an organisation"
        self.fields["organisation"].error_messages["invalid_choice"] = "Choose one of your council's organisations"
        self.fields["role"].error_messages["required"] = "Choose a role"
        self.fields["role"].help_text = _roles_hint()

    def clean(self) -> dict:
        cleaned = super().clean()
        organisation, role = cleaned.get("organisation"), cleaned.get("role")
        if organisation and role and not role_allowed_for_kind(role, organisation.kind):
            allowed = _role_labels(organisation.kind)
            self.add_error(
                "role",
                ValidationError(
                    f"{organisation} is a {organisation.get_kind_display().lower()}, which cannot have the role "
                    f"{Role(role).label.lower()}. Choose {' or '.join(allowed)}"
                ),
            )
        return cleaned


class InviteForm(RoleInOrganisationForm):
    email = forms.EmailField(
        label="Email address",
        help_text="If this address already has an account, we add the role to that account instead.",
    )
    first_name = forms.CharField(label="First name", max_length=150)
    last_name = forms.CharField(label="Last name", max_length=150)

    field_order = ["email", "first_name", "last_name", "organisation", "role"]

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["email"].error_messages["required"] = "Enter their email address"
        self.fields["email"].error_messages["invalid"] = "Enter an email address like name@example.org"
        self.fields["first_name"].error_messages["required"] = "Enter their first name"
        self.fields["last_name"].error_messages["required"] = "Enter their last name"


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label="Why are you making this change?",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="This is kept in the user's history.",
    )

    def __init__(self, *args, required_message: str, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["reason"].error_messages["required"] = required_message
