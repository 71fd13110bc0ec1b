"""Forms for provider self-service: registration, profiles, offers with their nested rows, and files.

Forms only parse and check what was typed; the services in ``providers.services`` do the writing.
"""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.forms.boundfield import BoundField, BoundWidget

from accounts.models import Organisation, User
from providers.exceptions import PostcodeError
from providers.models import (
    AttendingType,
    CostUnit,
    EmploymentPreference,
    OfferVersion,
    PersonalAssistantProfile,
    ProviderProfile,
    Taxonomy,
    VatStatus,
    Weekday,
)
from providers.postcodes import locate, normalise_district, normalise_full
from providers.selectors.own import taxonomy_choices
from providers.services.offers import OfferContent, offer_content_of
from providers.services.registration import (
    EMAIL_TAKEN,
    charity_number_check,
    company_number_check,
    email_is_registered,
    home_postcode_check,
)

# Common languages in England and Wales (Census 2021), as ISO 639-1 codes. English first.
LANGUAGE_CHOICES = [
    ("en", "English"),
    ("cy", "Welsh"),
    ("ar", "Arabic"),
    ("bn", "Bengali"),
    ("zh", "Chinese"),
    ("fr", "French"),
    ("gu", "Gujarati"),
    ("hi", "Hindi"),
    ("it", "Italian"),
    ("lt", "Lithuanian"),
    ("pl", "Polish"),
    ("pt", "Portuguese"),
    ("pa", "Punjabi"),
    ("ro", "Romanian"),
    ("so", "Somali"),
    ("es", "Spanish"),
    ("ta", "Tamil"),
    ("tr", "Turkish"),
    ("ur", "Urdu"),
]
TIME_HINT = "Use the 24-hour clock, like 09:00 or 17:30"


def languages_field(current: list[str] | None = None) -> forms.MultipleChoiceField:
    """Checkboxes of common languages, keeping any other code already saved (e.g. from an import)."""
    known = {code for code, _name in LANGUAGE_CHOICES}
    extra = [(code, code) for code in current or [] if code not in known]
    return forms.MultipleChoiceField(
        label="Languages", choices=LANGUAGE_CHOICES + extra, required=False, widget=forms.CheckboxSelectMultiple
    )


def time_field(label: str, *, required: bool = True) -> forms.TimeField:
    return forms.TimeField(
        label=label,
        required=required,
        help_text=TIME_HINT,
        input_formats=["%H:%M", "%H.%M", "%H:%M:%S"],
        widget=forms.TimeInput(format="%H:%M", attrs={"inputmode": "numeric"}),
        error_messages={"invalid": f"Enter a time. {TIME_HINT}", "required": f"Enter the {label.lower()}"},
    )


class PoundsField(forms.DecimalField):
    """An amount in pounds; accepts "£18.50" and "1,200"."""

    def to_python(self, value: Any) -> Decimal | None:
        if isinstance(value, str):
            value = value.strip().replace("£", "").replace(",", "")
        return super().to_python(value)


# --- Error summaries ------------------------------------------------------------------------------


def field_href(field: BoundField) -> str:
    # Checkboxes and radios have no element with the field's own id: link to the first option.
    if isinstance(field.field.widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
        return f"#{field.auto_id}_0"
    return f"#{field.id_for_label or field.auto_id}"


def error_summary(*forms_: forms.BaseForm | None, label: str = "") -> list[dict[str, str]]:
    """Errors for the GOV.UK error summary, each linking to its field; ``label`` names a nested row."""
    errors = []
    prefix = f"{label}: " if label else ""
    for form in forms_:
        if form is None or not form.is_bound:
            continue
        for message in form.non_field_errors():
            errors.append({"href": "", "message": prefix + message})
        for field in form:
            for message in field.errors:
                errors.append({"href": field_href(field), "message": prefix + message})
    return errors


# --- Registration ---------------------------------------------------------------------------------


class RegistrationKindForm(forms.Form):
    kind = forms.ChoiceField(
        label="What are you registering?",
        choices=[
            ("organisation", "A provider organisation, such as a charity, company or club"),
            ("personal_assistant", "Myself, as a personal assistant"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether you are registering an organisation or yourself"},
    )


class AccountForm(forms.Form):
    """The account fields both kinds of registration share."""

    first_name = forms.CharField(
        label="First name", max_length=150, error_messages={"required": "Enter your first name"}
    )
    last_name = forms.CharField(label="Last name", max_length=150, error_messages={"required": "Enter your last name"})
    email = forms.EmailField(
        label="Email address",
        help_text="You will use this to sign in",
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.com",
        },
    )
    password = forms.CharField(
        label="Create a password",
        strip=False,
        help_text="At least 10 characters, not a common password",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": "Create a password"},
    )
    council = forms.ModelChoiceField(
        queryset=Organisation.objects.councils().active(),
        empty_label="Choose a council",
        error_messages={"required": "Choose a council", "invalid_choice": "Choose a council from the list"},
    )

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if email_is_registered(email):
            raise ValidationError(EMAIL_TAKEN)
        return email

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        password = data.get("password")
        if password:
            someone = User(email=data.get("email", ""), first_name=data.get("first_name", ""))
            someone.last_name = data.get("last_name", "")
            try:
                validate_password(password, user=someone)
            except ValidationError as error:
                self.add_error("password", error)
        return data


class OrganisationRegistrationForm(AccountForm):
    legal_name = forms.CharField(
        label="Your organisation's legal name",
        max_length=200,
        help_text="As registered with the Charity Commission or Companies House",
        error_messages={"required": "Enter your organisation's legal name"},
    )
    trading_name = forms.CharField(
        label="Trading name (optional)",
        max_length=200,
        required=False,
        help_text="If families know you by another name",
    )
    charity_number = forms.CharField(label="Charity number (optional)", max_length=20, required=False)
    company_number = forms.CharField(label="Company number (optional)", max_length=20, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["council"].label = "The council you are registering with"
        self.fields[
            "council"
        ].help_text = "Its staff will check your organisation. Families in every area can find you."

    def clean_charity_number(self) -> str:
        return charity_number_check(self.cleaned_data["charity_number"])

    def clean_company_number(self) -> str:
        return company_number_check(self.cleaned_data["company_number"])


class PersonalAssistantRegistrationForm(AccountForm):
    home_postcode = forms.CharField(
        label="Your home postcode",
        max_length=20,
        help_text="We never show this to anyone. We use it to find families near you.",
        widget=forms.TextInput(attrs={"autocomplete": "postal-code"}),
        error_messages={"required": "Enter your home postcode"},
    )
    display_name = forms.CharField(
        label="The name families will see (optional)",
        max_length=80,
        required=False,
        help_text="If you leave this empty, we will use your first name and the first letter of your last name, "
        "like Sam K.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["council"].label = "The council whose personal assistant register you are joining"

    def clean_home_postcode(self) -> str:
        return home_postcode_check(self.cleaned_data["home_postcode"])[0]


# --- Profiles -------------------------------------------------------------------------------------


def profile_initial(profile: ProviderProfile | PersonalAssistantProfile, names: list[str]) -> dict[str, Any]:
    """What the provider last wrote: their changes waiting for checks over the published values."""
    initial = {name: getattr(profile, name) for name in names if name != "skills"}
    initial.update({name: value for name, value in profile.pending_changes.items() if name in names})
    return initial


class ProviderProfileForm(forms.Form):
    legal_name = forms.CharField(
        label="Legal name", max_length=200, error_messages={"required": "Enter your organisation's legal name"}
    )
    trading_name = forms.CharField(label="Trading name (optional)", max_length=200, required=False)
    charity_number = forms.CharField(label="Charity number (optional)", max_length=20, required=False)
    company_number = forms.CharField(label="Company number (optional)", max_length=20, required=False)
    description = forms.CharField(
        label="About your organisation",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="What you do, who for, and what makes your support right for a family",
        error_messages={"required": "Say what your organisation does"},
    )
    website = forms.URLField(label="Website (optional)", required=False, assume_scheme="https")
    email = forms.EmailField(
        label="Email address for families (optional)",
        required=False,
        error_messages={"invalid": "Enter an email address in the correct format, like name@example.com"},
    )
    phone = forms.CharField(label="Phone number (optional)", max_length=30, required=False)
    address = forms.CharField(
        label="Office address (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Shown on your public profile",
    )
    postcode = forms.CharField(label="Office postcode (optional)", max_length=20, required=False)
    accessibility = forms.CharField(
        label="Accessibility (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example, step-free access, a hearing loop or a changing places toilet",
    )

    FIELDS = ProviderProfile.REVIEWED_FIELDS

    def __init__(self, *args: Any, profile: ProviderProfile | None = None, **kwargs: Any) -> None:
        if profile is not None:
            kwargs.setdefault("initial", profile_initial(profile, self.FIELDS))
        super().__init__(*args, **kwargs)
        self.fields["languages"] = languages_field(profile.languages if profile else [])

    def clean_charity_number(self) -> str:
        return charity_number_check(self.cleaned_data["charity_number"])

    def clean_company_number(self) -> str:
        return company_number_check(self.cleaned_data["company_number"])

    def clean_postcode(self) -> str:
        raw = self.cleaned_data["postcode"]
        try:
            return normalise_full(raw) if raw.strip() else ""
        except PostcodeError as error:
            raise ValidationError(str(error)) from error

    def profile_changes(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.FIELDS}


class PersonalAssistantProfileForm(forms.Form):
    display_name = forms.CharField(
        label="The name families see",
        max_length=80,
        help_text="Your first name and the first letter of your last name is enough, like Sam K.",
        error_messages={"required": "Enter the name families will see"},
    )
    description = forms.CharField(
        label="About you",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="What you enjoy doing with children and young people, and the support you give",
        error_messages={"required": "Write something about yourself"},
    )
    home_postcode = forms.CharField(
        label="Your home postcode",
        max_length=20,
        help_text="Private: we never show it to anyone. We use it to work out distances.",
        widget=forms.TextInput(attrs={"autocomplete": "postal-code"}),
        error_messages={"required": "Enter your home postcode"},
    )
    areas = forms.CharField(
        label="Areas you cover",
        help_text="Postcode districts, separated by commas, like CV1, CV2, CV3",
        error_messages={"required": "Enter at least one postcode district you cover"},
    )
    available_days = forms.MultipleChoiceField(
        label="Days you are available", choices=Weekday.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    available_from = time_field("Available from (optional)", required=False)
    available_until = time_field("Available until (optional)", required=False)
    sleep_ins = forms.BooleanField(label="I can do sleep-ins", required=False)
    waking_nights = forms.BooleanField(label="I can do waking nights", required=False)
    experience = forms.CharField(
        label="Your experience (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="For example, years supporting disabled children, training and qualifications",
    )
    drives = forms.BooleanField(label="I have a driving licence", required=False)
    own_vehicle = forms.BooleanField(label="I have my own vehicle", required=False)
    employment_preference = forms.ChoiceField(
        label="How would you like to work?",
        choices=EmploymentPreference.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how you would like to work"},
    )
    accessibility = forms.CharField(
        label="Accessibility (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Anything families should know, for example if you use British Sign Language",
    )

    FIELDS = [*PersonalAssistantProfile.REVIEWED_FIELDS, "skills", "home_postcode"]

    def __init__(self, *args: Any, profile: PersonalAssistantProfile, **kwargs: Any) -> None:
        initial = profile_initial(profile, self.FIELDS)
        initial["areas"] = ", ".join(initial.get("areas") or [])
        initial["skills"] = profile.pending_changes.get("skills") or [term.pk for term in profile.skills.all()]
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        self.fields["skills"] = forms.ModelMultipleChoiceField(
            label="Skills and training (optional)",
            queryset=taxonomy_choices(Taxonomy.Kind.SKILL, profile.council),
            required=False,
            widget=forms.CheckboxSelectMultiple,
        )
        self.fields["languages"] = languages_field(profile.languages)
        self.order_fields(["display_name", "description", "home_postcode", "areas", "available_days"])
        self.home_district = profile.home_district

    def clean_home_postcode(self) -> str:
        postcode, self.home_district = home_postcode_check(self.cleaned_data["home_postcode"])
        return postcode

    def clean_areas(self) -> list[str]:
        districts: list[str] = []
        for part in self.cleaned_data["areas"].replace(";", ",").split(","):
            if not part.strip():
                continue
            try:
                district = normalise_district(part)
            except PostcodeError as error:
                raise ValidationError(
                    f"“{part.strip()}” is not a postcode district. Enter districts like CV1, CV2"
                ) from error
            if district not in districts:
                districts.append(district)
        if not districts:
            raise ValidationError("Enter at least one postcode district you cover")
        return districts

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("available_from"), data.get("available_until")
        if start and end and end <= start:
            self.add_error("available_until", "The time you are available until must be after the time you start")
        return data

    def profile_changes(self) -> dict[str, Any]:
        changes = {name: self.cleaned_data[name] for name in self.FIELDS}
        changes["skills"] = list(self.cleaned_data["skills"])
        changes["home_district"] = self.home_district
        return changes


class UploadForm(forms.Form):
    file = forms.FileField(
        label="Upload a file",
        error_messages={"required": "Select a file", "empty": "The selected file is empty"},
    )

    def __init__(self, *args: Any, label: str, hint: str, accept: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].label = label
        self.fields["file"].help_text = hint
        self.fields["file"].widget.attrs["accept"] = accept


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label="Why are you withdrawing this offer?",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The council's checkers see this",
        error_messages={"required": "Say why you are withdrawing this offer"},
    )


# --- Offers and their nested rows -----------------------------------------------------------------


class OfferForm(forms.Form):
    name = forms.CharField(
        label="Name of the offer",
        max_length=150,
        help_text="For example, Saturday club or Personal assistant support at home",
        error_messages={"required": "Enter the name of the offer"},
    )
    description = forms.CharField(
        label="Description",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="What happens, who it is for, and what a family can expect",
        error_messages={"required": "Describe the offer"},
    )
    minimum_age = forms.IntegerField(
        label="Youngest age",
        min_value=0,
        max_value=120,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        error_messages={"required": "Enter the youngest age you support", "invalid": "Enter the age as a number"},
    )
    maximum_age = forms.IntegerField(
        label="Oldest age",
        min_value=0,
        max_value=120,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        error_messages={"required": "Enter the oldest age you support", "invalid": "Enter the age as a number"},
    )
    attending_types = forms.MultipleChoiceField(
        label="Where is the support given?",
        choices=AttendingType.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose where the support is given"},
    )
    url = forms.URLField(label="Web page about this offer (optional)", required=False, assume_scheme="https")
    email = forms.EmailField(
        label="Email address for enquiries (optional)",
        required=False,
        error_messages={"invalid": "Enter an email address in the correct format, like name@example.com"},
    )
    accessibility = forms.CharField(
        label="Accessibility (optional)", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    capacity_places = forms.IntegerField(
        label="Places free now (optional)",
        min_value=0,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    capacity_hours = forms.DecimalField(
        label="Hours a week free now (optional)", min_value=0, max_digits=6, decimal_places=1, required=False
    )
    capacity_note = forms.CharField(
        label="Anything else about availability (optional)",
        max_length=200,
        required=False,
        help_text="For example, a waiting list for Saturdays",
    )

    def __init__(self, *args: Any, council: Organisation | None, languages: list[str] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["categories"] = forms.ModelMultipleChoiceField(
            label="What kind of support is it?",
            queryset=taxonomy_choices(Taxonomy.Kind.SERVICE_CATEGORY, council),
            widget=forms.CheckboxSelectMultiple,
            error_messages={"required": "Choose at least one kind of support"},
        )
        self.fields["needs"] = forms.ModelMultipleChoiceField(
            label="Needs and disabilities you support (optional)",
            queryset=taxonomy_choices(Taxonomy.Kind.NEED, council),
            required=False,
            widget=forms.CheckboxSelectMultiple,
        )
        self.fields["languages"] = languages_field(languages)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        youngest, oldest = data.get("minimum_age"), data.get("maximum_age")
        if youngest is not None and oldest is not None and youngest > oldest:
            self.add_error("maximum_age", "The oldest age must be the same as or more than the youngest age")
        return data

    def category_groups(self) -> list[tuple[BoundWidget, Any, list[tuple[BoundWidget, Any]]]]:
        """Top-level kinds of support, each with its narrower kinds, as (option, term, children)."""
        terms = list(self.fields["categories"].queryset)
        options = {str(option.data["value"]): option for option in self["categories"]}
        present = {term.pk for term in terms}
        children: dict[int, list] = defaultdict(list)
        for term in terms:
            if term.parent_id in present:
                children[term.parent_id].append((options[str(term.pk)], term))
        return [(options[str(term.pk)], term, children[term.pk]) for term in terms if term.parent_id not in present]


class RowForm(forms.Form):
    """One row of a nested list (a cost, a time, an area, a venue). A row left empty is ignored."""

    def is_blank(self) -> bool:
        return all(not str(self[name].data or "").strip() for name in self.fields)

    def has_changed(self) -> bool:
        # Django skips validating an empty-permitted form that has not changed; for us that means blank.
        return not self.is_blank()

    def to_row(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class CostOptionForm(RowForm):
    amount = PoundsField(
        label="Amount in pounds",
        min_value=0,
        max_digits=12,
        decimal_places=2,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        error_messages={
            "required": "Enter the amount in pounds",
            "invalid": "Enter the amount in pounds, like 18.50",
            "min_value": "The amount cannot be less than £0",
            "max_decimal_places": "Enter the amount to the nearest penny, like 18.50",
        },
    )
    unit = forms.ChoiceField(
        label="For each",
        choices=[("", "Choose"), *CostUnit.choices],
        error_messages={"required": "Choose what the amount is for"},
    )
    vat_status = forms.ChoiceField(
        label="VAT", choices=[("", "Choose"), *VatStatus.choices], error_messages={"required": "Choose the VAT status"}
    )
    description = forms.CharField(
        label="Description (optional)", max_length=200, required=False, help_text="For example, evenings and weekends"
    )


class ScheduleForm(RowForm):
    weekday = forms.ChoiceField(
        label="Day", choices=[("", "Choose"), *Weekday.choices], error_messages={"required": "Choose the day"}
    )
    opens_at = time_field("Starts")
    closes_at = time_field("Ends")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("opens_at") and data.get("closes_at") and data["closes_at"] <= data["opens_at"]:
            self.add_error("closes_at", "The end time must be after the start time")
        return data


class ServiceAreaForm(RowForm):
    """A postcode district, or a whole council area chosen from the list (stored as its ONS code)."""

    scope = forms.ChoiceField(
        label="Area", required=False, error_messages={"invalid_choice": "Choose an area from the list"}
    )
    postcode_district = forms.CharField(
        label="Postcode district",
        max_length=5,
        required=False,
        help_text="Like CV1",
    )

    def __init__(self, *args: Any, council_areas: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.council_areas = council_areas
        self.fields["scope"].choices = [("", "A postcode district")] + [
            (code, f"The whole of {name}") for code, name in council_areas.items()
        ]

    def is_blank(self) -> bool:
        return not str(self["postcode_district"].data or "").strip() and not self["scope"].data

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("scope") or "postcode_district" in self.errors:
            return data
        try:
            data["postcode_district"] = normalise_district(data.get("postcode_district", ""))
        except PostcodeError:
            self.add_error("postcode_district", "Enter a postcode district, like CV1")
        return data

    def to_row(self) -> dict[str, Any]:
        code = self.cleaned_data["scope"]
        if code:
            return {"postcode_district": "", "council_code": code, "name": self.council_areas[code]}
        district = self.cleaned_data["postcode_district"]
        return {"postcode_district": district, "council_code": "", "name": district}


class LocationForm(RowForm):
    name = forms.CharField(
        label="Venue name", max_length=150, error_messages={"required": "Enter the name of the venue"}
    )
    address = forms.CharField(
        label="Address",
        max_length=300,
        help_text="Without the postcode",
        error_messages={"required": "Enter the address"},
    )
    postcode = forms.CharField(label="Postcode", max_length=20, error_messages={"required": "Enter the postcode"})

    def clean_postcode(self) -> str:
        try:
            self.place = locate(normalise_full(self.cleaned_data["postcode"]))
        except PostcodeError as error:
            raise ValidationError(str(error)) from error
        return self.place.postcode

    def to_row(self) -> dict[str, Any]:
        return {
            **self.cleaned_data,
            "latitude": self.place.latitude,
            "longitude": self.place.longitude,
            "council_code": self.place.council_code,
        }


class RowFormSet(forms.BaseFormSet):
    """Rows may be left blank, including ones shown filled in before; blank rows are ignored."""

    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        return {**self.form_kwargs, "empty_permitted": True}

    def rows(self) -> list[dict[str, Any]]:
        return [form.to_row() for form in self.forms if not form.is_blank()]


@dataclass(frozen=True)
class RowSet:
    form: type[RowForm]
    row_label: str  # "Cost", numbered on the page: "Cost 1", "Cost 2"
    title: str
    hint: str
    add_label: str


ROW_SETS = {
    "cost_options": RowSet(
        CostOptionForm,
        "Cost",
        "Costs",
        "What families pay. Add a row for each price, for example a weekday rate and a weekend rate.",
        "Add another cost",
    ),
    "schedules": RowSet(
        ScheduleForm,
        "Time",
        "Days and times",
        "When the support runs. Leave this empty if you agree times with each family.",
        "Add another day",
    ),
    "service_areas": RowSet(
        ServiceAreaForm,
        "Area",
        "Areas you cover",
        "For support at home or online: the postcode districts you cover, or a whole council area.",
        "Add another area",
    ),
    "locations": RowSet(
        LocationForm,
        "Venue",
        "Venues",
        "For support at a venue: where it happens. Families search by distance from the postcode.",
        "Add another venue",
    ),
}


class OfferEditor:
    """The offer page: the main form and a formset for each kind of nested row, checked together.

    Without JavaScript, "Add another" is a submit button; the page comes back with what was typed
    (unchecked, so no errors show yet) and one more empty row in that list.
    """

    def __init__(
        self,
        *,
        council: Organisation | None,
        data: Any = None,
        initial: dict[str, Any] | None = None,
        rows: dict[str, list[dict[str, Any]]] | None = None,
        known_areas: dict[str, str] | None = None,
        extra: int = 1,
    ) -> None:
        initial = initial or {}
        self.council_areas = dict(known_areas or {})
        if council is not None and council.ons_code:
            self.council_areas[council.ons_code] = council.name
        self.form = OfferForm(data, initial=initial, council=council, languages=initial.get("languages"))
        self.formsets = {}
        for prefix, row_set in ROW_SETS.items():
            existing = (rows or {}).get(prefix, [])
            formset_class = forms.formset_factory(row_set.form, formset=RowFormSet, extra=extra)
            kwargs = {"council_areas": self.council_areas} if prefix == "service_areas" else {}
            self.formsets[prefix] = formset_class(data, initial=existing, prefix=prefix, form_kwargs=kwargs)

    @classmethod
    def for_version(cls, version: OfferVersion | None, *, council: Organisation | None) -> "OfferEditor":
        if version is None:
            return cls(council=council, initial={"languages": ["en"], "minimum_age": 0, "maximum_age": 25})
        content = offer_content_of(version)
        initial = {name: getattr(content, name) for name in OfferContent.SCALAR_FIELDS}
        initial["categories"] = [term.pk for term in content.categories]
        initial["needs"] = [term.pk for term in content.needs]
        rows = {
            "cost_options": content.cost_options,
            "schedules": content.schedules,
            "service_areas": [
                {"scope": area["council_code"] if not area["postcode_district"] else "", **area}
                for area in content.service_areas
            ],
            "locations": content.locations,
        }
        return cls(council=council, initial=initial, rows=rows, known_areas=known_council_areas(version))

    @classmethod
    def with_row_added(cls, data: Any, add_to: str, *, council: Organisation | None, known_areas: dict[str, str]):  # type: ignore[no-untyped-def]
        """The page as it was typed, unchecked, with one more empty row in ``add_to``."""
        typed = cls(council=council, data=data, known_areas=known_areas)
        initial = {name: field.data for name, field in ((n, typed.form[n]) for n in typed.form.fields)}
        rows = {
            prefix: [{name: form[name].data for name in form.fields} for form in formset.forms]
            for prefix, formset in typed.formsets.items()
        }
        if add_to in rows:
            rows[add_to].append({})
        return cls(council=council, initial=initial, rows=rows, known_areas=known_areas, extra=0)

    def is_valid(self) -> bool:
        results = [self.form.is_valid()] + [formset.is_valid() for formset in self.formsets.values()]
        return all(results)

    def content(self) -> OfferContent:
        data = self.form.cleaned_data
        return OfferContent(
            **{name: data[name] for name in OfferContent.SCALAR_FIELDS},
            categories=list(data["categories"]),
            needs=list(data["needs"]),
            **{prefix: formset.rows() for prefix, formset in self.formsets.items()},
        )

    def error_summary(self) -> list[dict[str, str]]:
        errors = error_summary(self.form)
        for prefix, formset in self.formsets.items():
            label = ROW_SETS[prefix].row_label
            for message in formset.non_form_errors():
                errors.append({"href": f"#{prefix}", "message": message})
            for number, form in enumerate(formset.forms, start=1):
                errors.extend(error_summary(form, label=f"{label} {number}"))
        return errors

    def sections(self) -> list[dict[str, Any]]:
        """The nested lists for the template, each with its rows numbered from 1."""
        return [
            {"prefix": prefix, "row_set": ROW_SETS[prefix], "formset": formset}
            for prefix, formset in self.formsets.items()
        ]


def known_council_areas(version: OfferVersion | None) -> dict[str, str]:
    """Council areas an offer already names, so that editing keeps them even if not the provider's own."""
    if version is None:
        return {}
    return dict(version.service_areas.exclude(council_code="").values_list("council_code", "name"))
