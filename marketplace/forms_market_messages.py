"""The commissioner's message to providers: who it goes to, what it says, and an event to link."""

import uuid

from django import forms

from accounts.models import Organisation
from marketplace import market_message_selectors as selectors
from providers.models import FrameworkLot, TaxonomyTerm


class MarketMessageForm(forms.Form):
    audience = forms.ChoiceField(
        label="Who should get this message?",
        help_text="Every provider and personal assistant of your council with a published offer in a kind of "
        "support, or every admitted member of a framework lot.",
        error_messages={"required": "Choose who should get this message"},
    )
    subject = forms.CharField(
        max_length=150,
        error_messages={"required": "Enter a subject", "max_length": "Keep the subject under 150 characters"},
    )
    body = forms.CharField(
        label="Message",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": "Enter your message", "max_length": "Keep the message under 5,000 characters"},
    )
    event = forms.TypedChoiceField(
        label="Link an event (optional)",
        help_text="One of your council's upcoming events on this site, such as a provider forum.",
        required=False,
        coerce=int,
        empty_value=None,
    )
    token = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, council: Organisation, **kwargs) -> None:  # type: ignore[no-untyped-def]
        kwargs.setdefault("initial", {}).setdefault("token", uuid.uuid4().hex)
        super().__init__(*args, **kwargs)
        self.categories = {term.pk: term for term in selectors.categories_for(council)}
        self.lots = {lot.pk: lot for lot in selectors.lots_for(council)}
        self.fields["audience"].choices = [
            ("", "Choose"),
            ("Kinds of support", [(f"category-{pk}", term.name) for pk, term in self.categories.items()]),
            (
                "Framework lots",
                [(f"lot-{pk}", f"{lot.framework.name}, lot {lot.number}: {lot.name}") for pk, lot in self.lots.items()],
            ),
        ]
        self.fields["event"].choices = [("", "No event")] + [
            (event.page_id, event.label) for event in selectors.upcoming_events(council)
        ]

    def clean_token(self) -> str:
        token = self.cleaned_data["token"]
        try:
            return uuid.UUID(token).hex
        except ValueError:
            raise forms.ValidationError("Start the message again") from None

    @property
    def category(self) -> TaxonomyTerm | None:
        kind, _, pk = self.cleaned_data["audience"].partition("-")
        return self.categories[int(pk)] if kind == selectors.CATEGORY else None

    @property
    def lot(self) -> FrameworkLot | None:
        kind, _, pk = self.cleaned_data["audience"].partition("-")
        return self.lots[int(pk)] if kind == selectors.LOT else None

    @property
    def audience_label(self) -> str:
        return dict(self._flat_choices("audience")).get(self.cleaned_data["audience"], "")

    @property
    def event_label(self) -> str:
        return (
            dict(self._flat_choices("event")).get(self.cleaned_data["event"], "") if self.cleaned_data["event"] else ""
        )

    def _flat_choices(self, name: str) -> list[tuple[object, str]]:
        flat: list[tuple[object, str]] = []
        for value, label in self.fields[name].choices:
            flat += label if isinstance(label, list | tuple) else [(value, label)]
        return flat

    def reach(self, council: Organisation) -> selectors.Reach:
        if self.category is not None:
            return selectors.reach_of_category(council, self.category)
        assert self.lot is not None
        return selectors.reach_of_lot(council, self.lot)
