"""Forms of the family workspace: asking for help, and the practitioner's answer. They parse input; the
rules live in marketplace.services.help_requests."""

from django import forms

from accounts.models import User
from marketplace.family_selectors import COUNCIL_CHOICE, HelpChoice
from marketplace.models import ContactPreference

MESSAGE_LIMIT = 2000


class HelpAskForm(forms.Form):
    to = forms.ChoiceField(
        label="Who would you like to ask?",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose who to ask", "invalid_choice": "Choose someone from the list"},
    )
    message = forms.CharField(
        label="What would you like help with?",
        help_text="For example: we would like help choosing a personal assistant",
        max_length=MESSAGE_LIMIT,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "required": "Enter what you would like help with",
            "max_length": f"Your message must be {MESSAGE_LIMIT} characters or fewer",
        },
    )
    contact_by = forms.ChoiceField(
        label="How would you like them to reply?",
        choices=ContactPreference.choices,
        initial=ContactPreference.EMAIL,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how you would like them to reply"},
    )

    def __init__(self, *args, choices: list[HelpChoice], **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.people = {choice.value: choice.user for choice in choices}
        self.fields["to"].choices = [(choice.value, choice.label) for choice in choices]
        if len(choices) == 1:
            self.fields["to"].initial = COUNCIL_CHOICE

    def recipient(self) -> User | None:
        """The practitioner chosen, or None for the council's brokers."""
        return self.people[self.cleaned_data["to"]]


class HelpAnswerForm(forms.Form):
    answer = forms.CharField(
        label="Your answer",
        help_text="The family sees this, and we tell them by email or text message",
        max_length=MESSAGE_LIMIT,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "required": "Enter your answer",
            "max_length": f"Your answer must be {MESSAGE_LIMIT} characters or fewer",
        },
    )
