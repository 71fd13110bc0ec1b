"""Forms of the shortlist pages: they only parse input; the rules live in the services."""

from django import forms

from accounts.models import Membership
from marketplace.shortlist_selectors import COMPARE_MAX_OFFERS, ShortlistedOffer


class ShortlistOfferForm(forms.Form):
    """An "Add to shortlist" or "Remove from shortlist" button: which offer, and the page to go back to."""

    offer = forms.UUIDField()
    next = forms.CharField(required=False, max_length=2000)


class ShortlistNoteForm(forms.Form):
    note = forms.CharField(
        label="Your note",
        help_text="Only you can see this note. It is not shared with anyone you share your shortlist with.",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"max_length": "Your note must be 1000 characters or fewer"},
    )


class ShortlistCompareForm(forms.Form):
    offer = forms.MultipleChoiceField(
        label=f"Choose up to {COMPARE_MAX_OFFERS} offers to compare",
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": f"Choose between 2 and {COMPARE_MAX_OFFERS} offers to compare",
            "invalid_choice": "Choose offers from the shortlist",
        },
    )

    def __init__(self, *args: object, offers: list[ShortlistedOffer], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["offer"].choices = [(offer.public_id, offer.name) for offer in offers if offer.available]

    def clean_offer(self) -> list[str]:
        chosen = self.cleaned_data["offer"]
        if len(chosen) > COMPARE_MAX_OFFERS:
            raise forms.ValidationError(
                f"Choose no more than {COMPARE_MAX_OFFERS} offers to compare: you chose {len(chosen)}"
            )
        if len(chosen) < 2:
            raise forms.ValidationError("Choose at least 2 offers to compare")
        return chosen


class ShortlistShareForm(forms.Form):
    recipient = forms.ChoiceField(
        label="Who do you want to share your shortlist with?",
        help_text="Brokers and lead professionals who work in your council's area.",
        error_messages={
            "required": "Choose who to share your shortlist with",
            "invalid_choice": "Choose a broker or lead professional from the list",
        },
    )

    def __init__(self, *args: object, candidates: list[Membership], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.candidates = {str(membership.public_id): membership for membership in candidates}
        self.fields["recipient"].choices = [("", "Choose a person")] + [
            (public_id, f"{membership.user} – {membership.get_role_display()}, {membership.organisation.name}")
            for public_id, membership in self.candidates.items()
        ]

    def recipient_membership(self) -> Membership:
        return self.candidates[self.cleaned_data["recipient"]]
