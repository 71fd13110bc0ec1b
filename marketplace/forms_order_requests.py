"""Forms of quick purchase, order requests and brokers' declared interests."""

from django import forms

from accounts.models import Organisation
from accounts.roles import OrganisationKind
from brokerage.models import LineFrequency
from marketplace.forms_orders import OrderForm
from providers.models import PersonalAssistantProfile


class QuickPurchaseForm(OrderForm):
    """The order form with how often the support comes; money is chosen for you when only one fits."""

    frequency = forms.ChoiceField(
        label="How often", choices=LineFrequency.choices, initial=LineFrequency.WEEKLY, widget=forms.RadioSelect
    )

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        if len(self.funding) == 1:
            self.fields["funding"].initial = next(iter(self.funding))

    def order_terms(self) -> dict:
        return {**super().order_terms(), "frequency": self.cleaned_data["frequency"]}


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label="Why is this needed?",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text="The manager reads this with the order's figures",
        error_messages={"required": "Say why this support is needed"},
    )


class DecisionForm(forms.Form):
    reason = forms.CharField(
        label="Your reason",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        required=False,
        help_text="Needed when you decline; the person who asked reads it",
    )


class InterestForm(forms.Form):
    provider = forms.ChoiceField(
        label="Which provider or personal assistant",
        error_messages={"required": "Choose the provider", "invalid_choice": "Choose a provider from the list"},
    )
    nature = forms.CharField(
        label="What is the interest?",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text="For example, 'Our director is a trustee of the provider'",
        error_messages={"required": "Say what ties your organisation to the provider"},
    )

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        organisations = Organisation.objects.filter(kind=OrganisationKind.PROVIDER).order_by("name")
        assistants = PersonalAssistantProfile.objects.select_related("user").order_by("pk")
        self.providers: dict[str, object] = {f"org-{org.public_id}": org for org in organisations}
        self.providers.update({f"pa-{pa.pk}": pa for pa in assistants})
        self.fields["provider"].choices = [
            ("", "Choose"),
            *(
                (key, f"{value} (personal assistant)" if key.startswith("pa-") else str(value))
                for key, value in self.providers.items()
            ),
        ]

    def declaration_terms(self) -> dict:
        chosen = self.providers[self.cleaned_data["provider"]]
        if isinstance(chosen, PersonalAssistantProfile):
            return {"personal_assistant": chosen, "nature": self.cleaned_data["nature"]}
        return {"provider_organisation": chosen, "nature": self.cleaned_data["nature"]}
