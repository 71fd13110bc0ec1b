"""Forms for quality assurance. They parse input; the rules live in providers.services.qa."""

import datetime
import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from providers.models import (
    DBSLevel,
    DBSRefusal,
    InsuranceKind,
    Regulator,
    RegulatorRating,
    StatusCheckResult,
)

YES_NO = [("yes", "Yes"), ("no", "No")]


# Dates as people in the UK write them: 27/3/2024, 27 3 2024, 27 March 2024.
DATE_FORMATS = ["%d/%m/%Y", "%d %m %Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d", "%d %B %Y", "%d %b %Y"]


class DateField(forms.DateField):
    def __init__(self, *, label: str, example: str = "27/3/2024", hint: str = "", **kwargs) -> None:  # type: ignore[no-untyped-def]
        help_text = f"{hint} For example, {example}".strip()
        super().__init__(label=label, input_formats=DATE_FORMATS, help_text=help_text, **kwargs)
        self.error_messages["required"] = f"Enter the {label[0].lower()}{label[1:]}"
        self.error_messages["invalid"] = f"Enter a real date, for example {example}"
        self.widget.attrs.update({"autocomplete": "off", "spellcheck": "false"})


class NeverRenderedTextInput(forms.TextInput):
    """A certificate number is never written back into a page, even to re-show a form with errors."""

    def format_value(self, value: object) -> None:
        return None


def _required(form: forms.Form, messages: dict[str, str]) -> None:
    for name, message in messages.items():
        form.fields[name].error_messages["required"] = message


# --- Council policy ---------------------------------------------------------------------------------


class PolicyForm(forms.Form):
    dbs_recheck_months = forms.IntegerField(
        label="How many months is a DBS check current for, from its date of issue?",
        help_text="For checks not on the DBS Update Service. 36 months (3 years) is common.",
        min_value=1,
        max_value=120,
    )
    update_service_check_months = forms.IntegerField(
        label="How often must a check on the DBS Update Service be status checked, in months?",
        help_text="12 months means an annual status check.",
        min_value=1,
        max_value=36,
    )
    framework_needs_own_verification = forms.BooleanField(
        label="Your framework flags apply only to listings your council has verified itself",
        required=False,
    )

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        _required(
            self,
            {
                "dbs_recheck_months": "Enter how many months a DBS check is current for",
                "update_service_check_months": "Enter how often a status check must be made, in months",
            },
        )
        for name in ("dbs_recheck_months", "update_service_check_months"):
            self.fields[name].error_messages.update(
                invalid="Enter a whole number of months",
                min_value="Enter at least %(limit_value)s month",
                max_value="Enter no more than %(limit_value)s months",
            )


# --- Provider side ----------------------------------------------------------------------------------


class DBSCheckSubmitForm(forms.Form):
    person_name = forms.CharField(label="Full name on the certificate", max_length=120)
    level = forms.ChoiceField(label="Level of the check", choices=DBSLevel.choices, widget=forms.RadioSelect)
    certificate_number = forms.CharField(
        label="Certificate number",
        help_text="12 digits, at the top right of the certificate. We show only its last 4 digits.",
        widget=NeverRenderedTextInput(attrs={"autocomplete": "off", "inputmode": "numeric", "spellcheck": "false"}),
    )
    issue_date = DateField(label="Date of issue", example="27/3/2024")
    update_service = forms.ChoiceField(
        label="Is the certificate on the DBS Update Service?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        help_text="The Update Service lets a council check the certificate is still current.",
    )

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        _required(
            self,
            {
                "person_name": "Enter the full name on the certificate",
                "level": "Choose the level of the check",
                "certificate_number": "Enter the certificate number",
                "update_service": "Say whether the certificate is on the DBS Update Service",
            },
        )

    def clean_certificate_number(self) -> str:
        number = "".join(self.cleaned_data["certificate_number"].split())
        if not re.fullmatch(r"[0-9]{12}", number):
            raise ValidationError("Enter the 12-digit certificate number")
        return number

    def clean_issue_date(self) -> datetime.date:
        issued = self.cleaned_data["issue_date"]
        if issued > timezone.localdate():
            raise ValidationError("The date of issue must be today or in the past")
        return issued


class DeclarationForm(forms.Form):
    staff_count = forms.IntegerField(label="How many of your staff work with children?", min_value=0)
    evidence = forms.FileField(
        label="Upload your evidence",
        help_text="A PDF, such as your safer-recruitment policy and your record of staff DBS checks. Up to 5MB.",
    )
    code_of_conduct_accepted = forms.BooleanField(
        label="I accept the brokers' code of conduct: I act for the family, and I am independent of the "
        "providers I place with",
        required=False,
    )

    def __init__(self, *args, is_broker: bool = False, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        if is_broker:
            self.fields["code_of_conduct_accepted"].required = True
        else:
            del self.fields["code_of_conduct_accepted"]
        _required(self, {"staff_count": "Enter how many staff work with children", "evidence": "Choose a file"})
        if is_broker:
            _required(self, {"code_of_conduct_accepted": "Accept the brokers' code of conduct"})


class InsuranceForm(forms.Form):
    kind = forms.ChoiceField(label="Kind of insurance", choices=InsuranceKind.choices, widget=forms.RadioSelect)
    insurer = forms.CharField(label="Insurer", max_length=120)
    cover_amount = forms.DecimalField(
        label="Amount of cover, in pounds",
        min_value=0,
        max_digits=12,
        decimal_places=2,
        help_text="For example, 5000000",
    )
    expires_on = DateField(label="Date the policy ends", example="31/3/2027")
    certificate = forms.FileField(label="Upload the insurance certificate", help_text="A PDF, up to 5MB")

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        _required(
            self,
            {
                "kind": "Choose the kind of insurance",
                "insurer": "Enter the name of the insurer",
                "cover_amount": "Enter the amount of cover",
                "certificate": "Choose a file",
            },
        )


class ReferenceForm(forms.Form):
    referee_name = forms.CharField(label="Referee's full name", max_length=120)
    relationship = forms.CharField(
        label="How do they know you?",
        max_length=120,
        help_text="For example, former employer, or a family I worked for",
    )
    referee_email = forms.EmailField(label="Referee's email address")

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        _required(
            self,
            {
                "referee_name": "Enter the referee's full name",
                "relationship": "Say how the referee knows you",
                "referee_email": "Enter the referee's email address",
            },
        )
        self.fields["referee_email"].error_messages["invalid"] = "Enter an email address like name@example.org"


# --- Officer side -----------------------------------------------------------------------------------


class DecisionForm(forms.Form):
    """Approve or return a listing; returning needs a reason the provider can act on."""

    decision = forms.ChoiceField(
        label="Your decision",
        choices=[("approve", "Approve: the public sees it"), ("return", "Return it to the provider with a reason")],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label="Reason",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="The provider sees this. It is needed when you return it.",
    )

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        _required(self, {"decision": "Choose whether to approve or return it"})

    def clean(self) -> dict:
        data = super().clean()
        if data.get("decision") == "return" and not data.get("reason", "").strip():
            self.add_error("reason", "Give a reason, so that the provider knows what to change")
        return data


class EvidenceDecisionForm(forms.Form):
    """Accept or refuse a declaration or an insurance certificate, against its evidence."""

    decision = forms.ChoiceField(
        label="Your decision",
        choices=[("accept", "Accept: the evidence is right"), ("refuse", "Do not accept")],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label="What is wrong with the evidence?",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed when you do not accept it. About the document only: never about a person's record.",
    )

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        _required(self, {"decision": "Choose whether to accept it"})

    def clean(self) -> dict:
        data = super().clean()
        if data.get("decision") == "refuse" and not data.get("reason", "").strip():
            self.add_error("reason", "Say what is wrong with the evidence, so that they can put it right")
        return data


class DBSVerifyForm(forms.Form):
    original_seen_on = DateField(label="Date you saw the original certificate", example="27/3/2026")


class DBSRefuseForm(forms.Form):
    refusal = forms.ChoiceField(
        label="Why can it not be accepted?", choices=DBSRefusal.choices, widget=forms.RadioSelect
    )
    original_seen_on = DateField(
        label="Date you saw the original certificate",
        required=False,
        example="27/3/2026",
        hint="Leave it empty if you did not see it.",
    )

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        _required(self, {"refusal": "Choose why the check cannot be accepted"})


class StatusCheckForm(forms.Form):
    checked_on = DateField(label="Date of the status check", example="27/3/2026")
    result = forms.ChoiceField(
        label="What did the status check show?", choices=StatusCheckResult.choices, widget=forms.RadioSelect
    )

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        _required(self, {"result": "Choose what the status check showed"})


class RegistrationForm(forms.Form):
    regulator = forms.ChoiceField(label="Regulator", choices=Regulator.choices, widget=forms.RadioSelect)
    registration_id = forms.CharField(
        label="Registration number", max_length=20, help_text="The CQC location ID (like 1-123456789) or Ofsted URN"
    )
    rating = forms.ChoiceField(label="Latest rating", choices=RegulatorRating.choices, widget=forms.RadioSelect)
    inspection_date = DateField(
        label="Date of the latest inspection",
        required=False,
        example="12/5/2025",
        hint="Leave it empty if not yet inspected.",
    )

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        _required(
            self,
            {
                "regulator": "Choose the regulator",
                "registration_id": "Enter the registration number",
                "rating": "Choose the latest rating",
            },
        )

    def clean_registration_id(self) -> str:
        value = self.cleaned_data["registration_id"].strip().upper()
        if not re.fullmatch(r"[A-Z0-9-]{4,20}", value):
            raise ValidationError("Enter the registration number as the regulator shows it, like 1-123456789")
        return value


class ReferenceDecisionForm(forms.Form):
    satisfactory = forms.ChoiceField(
        label="Was the reference satisfactory?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        help_text="Record only the outcome: what the referee said is not kept here.",
    )

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        _required(self, {"satisfactory": "Say whether the reference was satisfactory"})
