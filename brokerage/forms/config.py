"""Forms for a council's budget settings. They parse input; the rules live in brokerage.services.config."""

from django import forms

from accounts.models import Organisation
from accounts.roles import Role
from brokerage.models import BrokeragePolicy, DelegatedAuthority, FundingStream, LocalityFund, RASAnswer, RASQuestion
from brokerage.selectors.config import budget_holding_managers_for, service_categories_for, streams_for
from brokerage.services.config import DELEGATED_ROLES


def _pounds(label: str, help_text: str, required_message: str, *, required: bool = True) -> forms.DecimalField:
    field = forms.DecimalField(
        label=label, help_text=help_text, required=required, min_value=0, max_digits=12, decimal_places=2
    )
    field.error_messages.update(
        {
            "required": required_message,
            "invalid": "Enter an amount in pounds, like 71.00",
            "min_value": "The amount cannot be less than 0",
            "max_decimal_places": "Enter an amount in pounds and pence, like 71.50",
            "max_digits": "Enter a smaller amount",
        }
    )
    field.widget.attrs.update({"inputmode": "decimal", "spellcheck": "false"})
    return field


def _whole(label: str, help_text: str, required_message: str, *, min_value: int, max_value: int) -> forms.IntegerField:
    field = forms.IntegerField(label=label, help_text=help_text, min_value=min_value, max_value=max_value)
    field.error_messages.update(
        {
            "required": required_message,
            "invalid": f"{label} must be a whole number",
            "min_value": f"{label} must be {min_value} or more",
            "max_value": f"{label} must be {max_value} or less",
        }
    )
    field.widget.attrs.update({"inputmode": "numeric"})
    return field


class YearForm(forms.Form):
    """Which financial year the settings page shows."""

    year = forms.TypedChoiceField(label="Financial year", coerce=int)

    def __init__(self, *args, years: list[int], **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(year, f"April {year} to March {year + 1}") for year in years]


class FundingStreamForm(forms.Form):
    name = forms.CharField(label="Name", max_length=120, help_text="For example, Early help (flexible funding)")
    code = forms.SlugField(
        label="Short code (optional)",
        max_length=60,
        required=False,
        help_text="Letters, numbers and hyphens, used in CSV files. Left empty, it is made from the name.",
    )
    finance_code = forms.CharField(
        label="Finance code", max_length=30, help_text="The code of this money in your council's finance system"
    )
    direct_payment_allowed = forms.BooleanField(
        label="Families may take this money as a direct payment", required=False
    )
    price_per_point = _pounds(
        "RAS price point in pounds (optional)",
        "What one RAS point is worth from this stream, for example 71.00. Without it, the RAS gives no money "
        "from this stream.",
        "",
        required=False,
    )
    excluded_categories = forms.ModelMultipleChoiceField(
        label="Kinds of support this stream may not pay for (optional)",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    excluded_by_direct_payment = forms.ModelMultipleChoiceField(
        label="Kinds of support it may not pay for by direct payment (optional)",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="For example, residential short breaks",
    )
    restriction_note = forms.CharField(
        label="Why (optional)",
        max_length=300,
        required=False,
        help_text="Shown when a plan line is refused, for example the legal limits on health money",
    )
    carries_over = forms.BooleanField(
        label="Unspent money carries over to next year", required=False, help_text="Otherwise it returns to the stream"
    )
    surplus_weeks = _whole(
        "Weeks of spend a family may keep",
        "For direct payments: a surplus above this many weeks of spend is returned",
        "Enter how many weeks of spend a family may keep",
        min_value=0,
        max_value=52,
    )

    def __init__(self, *args, council: Organisation, stream: FundingStream | None = None, **kwargs) -> None:  # type: ignore[no-untyped-def]
        if stream is not None:
            kwargs.setdefault(
                "initial",
                {
                    "name": stream.name,
                    "code": stream.code,
                    "finance_code": stream.finance_code,
                    "direct_payment_allowed": stream.direct_payment_allowed,
                    "price_per_point": stream.price_per_point,
                    "excluded_categories": list(stream.excluded_categories.all()),
                    "excluded_by_direct_payment": list(stream.excluded_by_direct_payment.all()),
                    "restriction_note": stream.restriction_note,
                    "carries_over": stream.carries_over,
                    "surplus_weeks": stream.surplus_weeks,
                },
            )
        else:
            kwargs.setdefault("initial", {"direct_payment_allowed": True, "surplus_weeks": 10})
        super().__init__(*args, **kwargs)
        categories = service_categories_for(council)
        self.fields["excluded_categories"].queryset = categories
        self.fields["excluded_by_direct_payment"].queryset = categories
        self.fields["name"].error_messages["required"] = "Enter the stream's name"
        self.fields["finance_code"].error_messages["required"] = "Enter the stream's finance code"
        self.fields["code"].error_messages["invalid"] = "The short code may contain only letters, numbers and hyphens"


class BrokeragePolicyForm(forms.Form):
    consent_age = _whole(
        "Age at which consent passes to the young person",
        "Usually 18",
        "Enter the age at which consent passes to the young person",
        min_value=16,
        max_value=25,
    )
    national_living_wage = _pounds(
        "National Living Wage in pounds an hour",
        "Plans warn when a personal assistant is paid less. It changes each April.",
        "Enter the National Living Wage",
    )
    review_interval_months = _whole(
        "Months between reviews",
        "Usually 6",
        "Enter how many months there are between reviews",
        min_value=1,
        max_value=24,
    )
    ras_difference_threshold = _pounds(
        "RAS difference to talk through, in pounds",
        "When the family's and the worker's indicative budgets differ by more than this, both are asked to talk it "
        "through",
        "Enter the RAS difference to talk through",
    )
    contingency_percent = forms.DecimalField(
        label="Contingency as a percentage of the budget",
        help_text="Held back for crises or changing needs, for example 10. Enter 0 for none.",
        min_value=0,
        max_value=50,
        max_digits=5,
        decimal_places=2,
    )
    contingency_weeks = _whole(
        "Or: contingency in weeks of planned spend",
        "Enter 0 to use the percentage instead",
        "Enter the contingency in weeks, or 0",
        min_value=0,
        max_value=52,
    )
    monitoring_unusual_multiple = _whole(
        "Unusual spend: times the weekly cost",
        "Direct payment spending above this many times the plan's weekly cost for its kind of support is flagged "
        "for a look, for example 3",
        "Enter how many times the weekly cost makes a spend unusual",
        min_value=1,
        max_value=52,
    )
    monitoring_unusual_amount = _pounds(
        "Unusual spend: amount in pounds",
        "Any single direct payment spend above this is flagged for a look, for example 250.00",
        "Enter the amount above which a single spend is flagged",
    )
    monitoring_quiet_weeks = _whole(
        "Weeks without spending before a direct payment is flagged",
        "For example 8",
        "Enter how many weeks without spending are flagged",
        min_value=1,
        max_value=52,
    )

    def __init__(self, *args, policy: BrokeragePolicy, **kwargs) -> None:  # type: ignore[no-untyped-def]
        kwargs.setdefault(
            "initial",
            {
                "consent_age": policy.consent_age,
                "national_living_wage": policy.national_living_wage,
                "review_interval_months": policy.review_interval_months,
                "ras_difference_threshold": policy.ras_difference_threshold,
                "contingency_percent": policy.contingency_percent,
                "contingency_weeks": policy.contingency_weeks,
                "monitoring_unusual_multiple": policy.monitoring_unusual_multiple,
                "monitoring_unusual_amount": policy.monitoring_unusual_amount,
                "monitoring_quiet_weeks": policy.monitoring_quiet_weeks,
            },
        )
        super().__init__(*args, **kwargs)
        self.fields["contingency_percent"].error_messages.update(
            {
                "required": "Enter the contingency percentage, or 0",
                "invalid": "Enter the contingency as a number, like 10",
                "min_value": "The contingency cannot be less than 0%",
                "max_value": "The contingency cannot be more than 50%",
                "max_decimal_places": "Enter the percentage to 2 decimal places at most",
                "max_digits": "Enter the percentage to 2 decimal places at most",
            }
        )

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("contingency_weeks") and cleaned.get("contingency_percent"):
            self.add_error("contingency_weeks", "Enter a contingency in weeks or as a percentage, not both")
        return cleaned


class DelegatedAuthorityForm(forms.Form):
    role = forms.ChoiceField(label="Role", widget=forms.RadioSelect)
    limit_per_person = _pounds(
        "Limit per person for the year, in pounds",
        "What someone in this role may approve for one person in the year without a budget-holding manager, "
        "for example 3000",
        "Enter the limit in pounds",
    )

    def __init__(self, *args, limit: DelegatedAuthority | None = None, **kwargs) -> None:  # type: ignore[no-untyped-def]
        if limit is not None:
            kwargs.setdefault("initial", {"role": limit.role, "limit_per_person": limit.limit_per_person})
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [(role, Role(role).label) for role in DELEGATED_ROLES]
        self.fields["role"].error_messages["required"] = "Choose the role"


class ManagerChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:  # type: ignore[no-untyped-def]
        return f"{obj.get_full_name() or obj.email} ({obj.email})"


class LocalityFundForm(forms.Form):
    name = forms.CharField(label="Name", max_length=120, help_text="For example, North locality fund")
    stream = forms.ModelChoiceField(
        label="Funding stream",
        queryset=None,
        to_field_name="public_id",
        help_text="Money approved from this fund counts as this stream",
        empty_label="Choose a stream",
    )
    managers = ManagerChoiceField(
        label="Budget-holding managers who approve from it",
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply",
    )

    def __init__(  # type: ignore[no-untyped-def]
        self, *args, council: Organisation, financial_year: int, fund: LocalityFund | None = None, **kwargs
    ) -> None:
        if fund is not None:
            kwargs.setdefault(
                "initial", {"name": fund.name, "stream": fund.stream.public_id, "managers": list(fund.managers.all())}
            )
        super().__init__(*args, **kwargs)
        self.fields["stream"].queryset = streams_for(council=council, financial_year=financial_year)
        self.fields["managers"].queryset = budget_holding_managers_for(council)
        self.fields["name"].error_messages["required"] = "Enter the fund's name"
        self.fields["stream"].error_messages["required"] = "Choose the funding stream"
        self.fields["managers"].error_messages["required"] = "Choose at least one budget-holding manager"


class QuestionnaireForm(forms.Form):
    name = forms.CharField(label="Name", max_length=120, help_text="For example, Early help RAS")
    is_active = forms.BooleanField(
        label="Open: workers and families can complete it",
        required=False,
        help_text="Closing it keeps the results already given",
    )

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["name"].error_messages["required"] = "Enter the questionnaire's name"


class QuestionnaireCopyForm(forms.Form):
    name = forms.CharField(label="Name of the copy", max_length=120)

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["name"].error_messages["required"] = "Enter a name for the copy"


class QuestionForm(forms.Form):
    text = forms.CharField(label="Question", max_length=300)
    help_text = forms.CharField(
        label="Hint (optional)", max_length=300, required=False, help_text="Shown under the question"
    )
    stream = forms.ModelChoiceField(
        label="Its points count towards",
        queryset=None,
        to_field_name="public_id",
        empty_label="Choose a stream",
    )

    def __init__(
        self, *args, council: Organisation, financial_year: int, question: RASQuestion | None = None, **kwargs
    ) -> None:  # type: ignore[no-untyped-def]
        if question is not None:
            kwargs.setdefault(
                "initial", {"text": question.text, "help_text": question.help_text, "stream": question.stream.public_id}
            )
        super().__init__(*args, **kwargs)
        self.fields["stream"].queryset = streams_for(council=council, financial_year=financial_year)
        self.fields["text"].error_messages["required"] = "Enter the question"
        self.fields["stream"].error_messages["required"] = "Choose the funding stream its points count towards"


class AnswerForm(forms.Form):
    text = forms.CharField(label="Answer", max_length=200)
    points = _whole(
        "Points", "Whole points, 0 or more", "Enter the points for this answer", min_value=0, max_value=32767
    )

    def __init__(self, *args, answer: RASAnswer | None = None, **kwargs) -> None:  # type: ignore[no-untyped-def]
        if answer is not None:
            kwargs.setdefault("initial", {"text": answer.text, "points": answer.points})
        super().__init__(*args, **kwargs)
        self.fields["text"].error_messages["required"] = "Enter the answer"
