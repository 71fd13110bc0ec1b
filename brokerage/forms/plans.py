import datetime

from django import forms

from accounts.models import Organisation
from accounts.roles import OrganisationKind
from brokerage.models import (
    ApprovalRequest,
    Budget,
    FundingStream,
    HeldAs,
    LineFrequency,
    LocalityFund,
    Outcome,
    OutcomeDomain,
    PlanLine,
    SupportPlan,
)
from providers.models import Offer, Taxonomy, TaxonomyTerm

UNITS = [(unit, unit) for unit in ("hour", "session", "day", "night", "week", "item", "trip")]
DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]


class BudgetForm(forms.Form):
    financial_year = forms.IntegerField(
        min_value=2000, max_value=2100, help_text="The year it starts: 2026 means April 2026 to March 2027"
    )
    starts_on = forms.DateField(
        required=False, input_formats=DATE_FORMATS, help_text="Leave empty for 1 April; for example, 1/4/2026"
    )
    ends_on = forms.DateField(
        required=False, input_formats=DATE_FORMATS, help_text="Leave empty for 31 March; for example, 31/3/2027"
    )

    def period(self) -> dict:
        year = self.cleaned_data["financial_year"]
        return {
            "financial_year": year,
            "starts_on": self.cleaned_data["starts_on"] or datetime.date(year, 4, 1),
            "ends_on": self.cleaned_data["ends_on"] or datetime.date(year + 1, 3, 31),
        }


class AllocationForm(forms.Form):
    stream = forms.ModelChoiceField(label="Funding stream", queryset=FundingStream.objects.none())
    amount = forms.DecimalField(label="Amount (£)", max_digits=12, decimal_places=2, min_value=0.01)
    held_as = forms.ChoiceField(label="How the money is held", choices=HeldAs.choices, widget=forms.RadioSelect)
    isf_provider = forms.ModelChoiceField(
        label="Provider holding the individual service fund", queryset=Organisation.objects.none(), required=False
    )
    broker_organisation = forms.ModelChoiceField(
        label="Broker managing the money", queryset=Organisation.objects.none(), required=False
    )

    def __init__(self, *args, budget: Budget, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["stream"].queryset = FundingStream.objects.filter(  # type: ignore[attr-defined]
            council=budget.council, financial_year=budget.financial_year
        )
        in_council = Organisation.objects.filter(council=budget.council)
        self.fields["isf_provider"].queryset = in_council.filter(kind=OrganisationKind.PROVIDER)  # type: ignore[attr-defined]
        self.fields["broker_organisation"].queryset = in_council.filter(kind=OrganisationKind.BROKER)  # type: ignore[attr-defined]


class PlanForm(forms.Form):
    family_own_support = forms.CharField(
        label="What the family and their network will do themselves",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )


class OutcomeForm(forms.Form):
    domain = forms.ChoiceField(label="Outcome area", choices=OutcomeDomain.choices)
    description = forms.CharField(
        label="The outcome",
        help_text="Specific, measurable, achievable, relevant and time-bound",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    baseline_score = forms.IntegerField(
        label="Where things are now, from 1 to 10", min_value=1, max_value=10, help_text="10 is the outcome met"
    )


class LineForm(forms.Form):
    offer_public_id = forms.UUIDField(
        label="Offer from the directory (its reference)",
        required=False,
        help_text="The reference at the end of the offer's web address. Leave empty for an item not in the directory",
    )
    description = forms.CharField(max_length=200, required=False, help_text="Leave empty to use the offer's name")
    category = forms.ModelChoiceField(label="Kind of support", queryset=TaxonomyTerm.objects.none(), required=False)
    supplier_name = forms.CharField(label="Who gives it", max_length=150, required=False)
    given_by = forms.ChoiceField(label="Given by", choices=PlanLine.Giver.choices)
    outcome = forms.ModelChoiceField(label="Outcome it serves", queryset=Outcome.objects.none(), required=False)
    stream = forms.ModelChoiceField(label="Funding stream", queryset=FundingStream.objects.none())
    quantity = forms.DecimalField(max_digits=8, decimal_places=2, min_value=0.01, help_text="Each time it recurs")
    unit = forms.ChoiceField(choices=UNITS)
    unit_cost = forms.DecimalField(label="Cost of one unit (£)", max_digits=10, decimal_places=2, min_value=0)
    frequency = forms.ChoiceField(choices=LineFrequency.choices, widget=forms.RadioSelect)
    periods = forms.IntegerField(
        label="For how many weeks or months", min_value=1, max_value=520, initial=1, help_text="1 for a one-off"
    )
    starts_on = forms.DateField(required=False, input_formats=DATE_FORMATS, help_text="For example, 1/4/2026")
    ends_on = forms.DateField(required=False, input_formats=DATE_FORMATS, help_text="For example, 31/3/2027")
    by_direct_payment = forms.BooleanField(label="Paid by direct payment to the family", required=False)
    is_pa_wage = forms.BooleanField(label="This is a personal assistant's pay", required=False)

    def __init__(self, *args, plan: SupportPlan, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["outcome"].queryset = plan.outcomes.all()  # type: ignore[attr-defined]
        self.fields["stream"].queryset = FundingStream.objects.filter(  # type: ignore[attr-defined]
            allocations__budget=plan.budget
        ).distinct()
        self.fields["category"].queryset = (  # type: ignore[attr-defined]
            TaxonomyTerm.objects.for_council(plan.budget.council)
            .of_kind(Taxonomy.Kind.SERVICE_CATEGORY)
            .filter(is_active=True)
        )

    def clean(self) -> dict:
        data = super().clean()
        offer = None
        if data.get("offer_public_id"):
            offer = (
                Offer.objects.published()
                .select_related("live_version")
                .filter(public_id=data["offer_public_id"])
                .first()
            )
            if offer is None:
                self.add_error("offer_public_id", "There is no published offer with this reference")
                return data
        data["offer"] = offer
        if not data.get("description"):
            if offer is None:
                self.add_error("description", "Describe the item, or give an offer from the directory")
            else:
                data["description"] = offer.live_version.name[:200]
        if not data.get("category"):
            first = offer.live_version.categories.first() if offer else None
            if first is None:
                self.add_error("category", "Choose the kind of support")
            data["category"] = first
        return data

    def line_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("offer_public_id", None)
        return data


class StatusForm(forms.Form):
    reason = forms.CharField(label="Why (optional)", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class SubmitForm(forms.Form):
    reason = forms.CharField(
        label="Why the family needs this",
        required=False,
        help_text="If it is more than you may approve, a budget-holding manager reads this with the numbers",
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[c for c in ApprovalRequest.Decision.choices if c[0] != ApprovalRequest.Decision.WAITING],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether you approve the request"},
    )
    locality_fund = forms.ModelChoiceField(
        label="Add the money from",
        queryset=LocalityFund.objects.none(),
        required=False,
        empty_label="No money from a locality fund",
    )
    amount = forms.DecimalField(
        label="Amount to add from the fund (£)",
        max_digits=12,
        decimal_places=2,
        min_value=0,
        required=False,
        help_text="Leave empty to add what was asked for",
    )
    reason = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}), help_text="Needed to decline")

    def __init__(self, *args, manager, request: ApprovalRequest, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["locality_fund"].queryset = LocalityFund.objects.filter(  # type: ignore[attr-defined]
            managers=manager,
            council=request.plan.budget.council,
            financial_year=request.plan.budget.financial_year,
        )
