"""Forms for framework contracts. They parse input; the rules live in providers.services.frameworks."""

from django import forms

from accounts.models import Organisation
from providers.models import CostUnit, FrameworkContract

DATE_FORMATS = ["%d/%m/%Y", "%d %m %Y", "%d-%m-%Y", "%Y-%m-%d", "%d %B %Y", "%d %b %Y"]


class DayField(forms.DateField):
    """A date typed as day, month and year, as people write it in the UK."""

    def __init__(self, *, label: str, example: str, required_message: str, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(label=label, input_formats=DATE_FORMATS, help_text=f"For example, {example}", **kwargs)
        self.error_messages["required"] = required_message
        self.error_messages["invalid"] = f"Enter a real date, for example {example}"
        self.widget.attrs.update({"autocomplete": "off", "spellcheck": "false"})


class FrameworkForm(forms.Form):
    reference = forms.CharField(
        label="Reference", max_length=40, help_text="Your contract reference. Each framework needs its own."
    )
    name = forms.CharField(
        label="Name",
        max_length=150,
        help_text="For example, Short Breaks Framework. Listings show it with your council's name and the years.",
    )
    starts_on = DayField(label="Start date", example="1/4/2026", required_message="Enter the start date")
    ends_on = DayField(label="End date", example="31/3/2030", required_message="Enter the end date")
    terms = forms.CharField(
        label="Terms (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="What providers on the framework agree to, in plain English.",
    )

    def __init__(self, *args, framework: FrameworkContract | None = None, **kwargs) -> None:  # type: ignore[no-untyped-def]
        if framework is not None:
            kwargs.setdefault(
                "initial",
                {
                    "reference": framework.reference,
                    "name": framework.name,
                    "starts_on": framework.starts_on.strftime("%d/%m/%Y"),
                    "ends_on": framework.ends_on.strftime("%d/%m/%Y"),
                    "terms": framework.terms,
                },
            )
        super().__init__(*args, **kwargs)
        self.fields["reference"].error_messages["required"] = "Enter the framework's reference"
        self.fields["name"].error_messages["required"] = "Enter the framework's name"

    def clean(self) -> dict:
        cleaned = super().clean()
        starts_on, ends_on = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts_on and ends_on and starts_on >= ends_on:
            self.add_error("ends_on", "The end date must be after the start date")
        return cleaned


class LotForm(forms.Form):
    number = forms.IntegerField(label="Lot number", min_value=1, max_value=99)
    name = forms.CharField(label="Name of the lot", max_length=150, help_text="For example, Community short breaks")
    categories = forms.ModelMultipleChoiceField(
        label="Which services does this lot cover?",
        queryset=None,
        to_field_name="code",
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply.",
    )
    rate = forms.DecimalField(
        label="Rate in pounds (optional)",
        required=False,
        min_value=0,
        max_digits=12,
        decimal_places=2,
        help_text="What the framework pays, for example 22.50",
    )
    rate_unit = forms.ChoiceField(
        label="The rate is for (optional)", required=False, choices=[("", "Choose"), *CostUnit.choices]
    )

    def __init__(self, *args, categories, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["categories"].queryset = categories
        self.fields["number"].error_messages.update(
            {
                "required": "Enter the lot number",
                "invalid": "Enter the lot number as a whole number, like 2",
                "min_value": "The lot number must be 1 or more",
                "max_value": "The lot number must be 99 or less",
            }
        )
        self.fields["name"].error_messages["required"] = "Enter the name of the lot"
        self.fields["categories"].error_messages["required"] = "Choose at least one service category the lot covers"
        self.fields["categories"].error_messages["invalid_choice"] = "Choose service categories from the list"
        self.fields["rate"].error_messages.update(
            {
                "invalid": "Enter the rate as an amount in pounds, like 22.50",
                "min_value": "The rate cannot be less than 0",
                "max_decimal_places": "Enter the rate in pounds and pence, like 22.50",
            }
        )

    def clean(self) -> dict:
        cleaned = super().clean()
        rate, unit = cleaned.get("rate"), cleaned.get("rate_unit")
        if rate is not None and not unit and "rate_unit" not in self.errors:
            self.add_error("rate_unit", "Choose what the rate is for")
        if unit and rate is None and "rate" not in self.errors:
            self.add_error("rate", "Enter the rate, or leave both empty")
        return cleaned


class ProviderSearchForm(forms.Form):
    q = forms.CharField(label="Name of the provider organisation", max_length=200, required=False)


class AdmitForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label="Which provider are you admitting?",
        queryset=Organisation.objects.none(),
        to_field_name="public_id",
        widget=forms.RadioSelect,
    )
    admitted_on = DayField(label="Date admitted", example="1/4/2026", required_message="Enter the date admitted")
    reason = forms.CharField(
        label="Note for the history (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example, the tender evaluation that admitted them.",
    )

    def __init__(self, *args, organisations, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.fields["organisation"].label_from_instance = _provider_label
        self.fields["organisation"].error_messages["required"] = "Choose the provider you are admitting"
        self.fields["organisation"].error_messages["invalid_choice"] = (
            "Search again and choose a provider from the list"
        )


def _provider_label(organisation: Organisation) -> str:
    return (
        f"{organisation.name} (registered with {organisation.council})" if organisation.council else organisation.name
    )


class MembershipReasonForm(forms.Form):
    reason = forms.CharField(
        label="Why are you making this change?",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="The provider's staff are told this reason, and it is kept in the membership's history.",
    )

    def __init__(self, *args, required_message: str, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["reason"].error_messages["required"] = required_message
