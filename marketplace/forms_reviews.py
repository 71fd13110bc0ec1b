"""Forms of the review pages: they only parse input; who may review, reply or moderate is decided in
``marketplace.services.reviews``."""

from django import forms

from marketplace.models.reviews import REVIEW_TEXT_MAX

RATING_CHOICES = [
    (5, "5 – Very good"),
    (4, "4 – Good"),
    (3, "3 – Neither good nor poor"),
    (2, "2 – Poor"),
    (1, "1 – Very poor"),
]


def _long_text(label: str, *, help_text: str, what: str) -> forms.CharField:
    """A review's or a reply's text, with messages naming ``what`` it is ("review", "reply")."""
    return forms.CharField(
        label=label,
        help_text=help_text,
        max_length=REVIEW_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={
            "required": f"Enter your {what}",
            "max_length": f"Your {what} must be {REVIEW_TEXT_MAX} characters or fewer",
        },
    )


class ReviewForm(forms.Form):
    rating = forms.TypedChoiceField(
        label="How would you rate this support?",
        choices=RATING_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a rating from 1 to 5", "invalid_choice": "Choose a rating from 1 to 5"},
    )
    text = _long_text(
        "Tell other families about it",
        help_text=(
            "What went well, and what could be better. Do not include names or anything that could identify "
            "your child: the council checks every review before it is published."
        ),
        what="review",
    )


class ReplyForm(forms.Form):
    text = _long_text(
        "Your reply",
        help_text="It is shown under the review on your service's page. You can reply only once.",
        what="reply",
    )


class HideForm(forms.Form):
    reason = forms.CharField(
        label="Why are you hiding this review?",
        help_text="The family who wrote it is told this reason.",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter why you are hiding this review"},
    )


class ReviewFilterForm(forms.Form):
    status = forms.ChoiceField(
        label="Show",
        required=False,
        choices=[
            ("submitted", "Waiting to be checked"),
            ("published", "Published"),
            ("hidden", "Hidden"),
            ("", "All reviews"),
        ],
    )
