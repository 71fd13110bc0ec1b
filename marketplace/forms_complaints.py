"""Forms of the complaint pages: they only parse input; the rules live in ``marketplace.services.complaints``."""

from django import forms

from brokerage.models import PersonSupported
from marketplace.models import ComplaintOutcome, ComplaintStatus
from providers.models import Offer

WHOLE_PROVIDER = "whole"


def _text(label: str, *, limit: int, required_message: str, help_text: str = "", rows: int = 6) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        max_length=limit,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={"required": required_message, "max_length": f"{label} must be {limit} characters or fewer"},
    )


class ComplaintForm(forms.Form):
    person = forms.ChoiceField(
        label="Who is the support for?",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose who the support is for", "invalid_choice": "Choose someone from the list"},
    )
    offer = forms.ChoiceField(
        label="Which service is your complaint about?",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the service", "invalid_choice": "Choose a service from the list"},
    )
    what_happened = _text(
        "What happened",
        limit=5000,
        required_message="Say what happened",
        help_text="Say what went wrong and when, for example sessions missed or not what was agreed.",
    )
    what_they_want = _text(
        "What would you like to happen",
        limit=2000,
        required_message="Say what you would like to happen",
        help_text="For example, an apology, a refund of missed sessions or a change of worker.",
        rows=4,
    )

    def __init__(
        self,
        *args: object,
        people: list[PersonSupported],
        offers: list[Offer] | None = None,
        **kwargs: object,
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.people = {str(person.public_id): person for person in people}
        if len(people) > 1:
            self.fields["person"].choices = [
                (public_id, f"{person.first_name} {person.last_name}") for public_id, person in self.people.items()
            ]
        else:
            # One person (or a young person's own record): nothing to choose.
            del self.fields["person"]
        self.offers = {str(offer.public_id): offer for offer in offers or []}
        if offers:
            self.fields["offer"].choices = [
                *((public_id, offer.live_version.name) for public_id, offer in self.offers.items()),
                (WHOLE_PROVIDER, "Not one service: the provider as a whole"),
            ]
        else:
            del self.fields["offer"]

    def chosen_person(self) -> PersonSupported | None:
        if "person" not in self.fields:
            return next(iter(self.people.values()), None)
        return self.people.get(self.cleaned_data.get("person", ""))

    def chosen_offer(self) -> Offer | None:
        return self.offers.get(self.cleaned_data.get("offer", WHOLE_PROVIDER))


class ResponseForm(forms.Form):
    response = _text(
        "Your response",
        limit=5000,
        required_message="Enter your response",
        help_text="Say what you found, what you will do to put things right, and by when. The family reads this.",
    )


class EscalateForm(forms.Form):
    reason = _text(
        "Why does the response not put things right?",
        limit=2000,
        required_message="Say why the response does not put things right",
        rows=4,
    )


class DecideForm(forms.Form):
    outcome = forms.ChoiceField(
        label="Is the complaint upheld?",
        choices=ComplaintOutcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether the complaint is upheld"},
    )
    decision = _text(
        "The council's decision",
        limit=5000,
        required_message="Explain the council's decision",
        help_text="The family and the provider both read this. Say what the provider must do, if anything.",
    )


class CouncilFilterForm(forms.Form):
    status = forms.ChoiceField(label="Status", required=False, choices=[("", "Any"), *ComplaintStatus.choices])
    outcome = forms.ChoiceField(label="Outcome", required=False, choices=[("", "Any"), *ComplaintOutcome.choices])
    provider = forms.CharField(label="Provider name", required=False, max_length=100)
