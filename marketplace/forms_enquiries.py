"""Forms of the enquiry pages: they only parse input; the rules live in ``marketplace.services.enquiries``."""

from django import forms

from brokerage.models import PersonSupported

NOBODY = "nobody"
SHARE_CHOICES = [
    ("first_name", "Their first name"),
    ("age", "Their age"),
    ("needs", "Their needs, as recorded in their plan"),
    ("area", "The first part of their postcode, for example CV3"),
]
MESSAGE_LIMIT = 5000


class EnquiryForm(forms.Form):
    person = forms.ChoiceField(
        label="Who is your question about?",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose who your question is about",
            "invalid_choice": "Choose someone from the list",
        },
    )
    share = forms.MultipleChoiceField(
        label="What do you want to share with the provider?",
        help_text="The provider sees only what you tick here, never the rest of the record. Select all that apply.",
        choices=SHARE_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose what to share from the list"},
    )
    question = forms.CharField(
        label="Your question",
        help_text="For example, ask if there is a place on Saturdays, or whether they can support your child's needs.",
        max_length=MESSAGE_LIMIT,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={
            "required": "Enter your question",
            "max_length": f"Your question must be {MESSAGE_LIMIT} characters or fewer",
        },
    )

    def __init__(self, *args: object, people: list[PersonSupported], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.people = {str(person.public_id): person for person in people}
        if people:
            self.fields["person"].choices = [
                *((public_id, f"{person.first_name} {person.last_name}") for public_id, person in self.people.items()),
                (NOBODY, "Nobody in particular: it is a general question"),
            ]
        else:
            # Nobody to choose from: a general question, and nothing of a record to share.
            del self.fields["person"]
            del self.fields["share"]

    def chosen_person(self) -> PersonSupported | None:
        return self.people.get(self.cleaned_data.get("person", NOBODY))

    def chosen_share(self) -> list[str]:
        return self.cleaned_data.get("share", [])


class MessageForm(forms.Form):
    body = forms.CharField(
        label="Your message",
        max_length=MESSAGE_LIMIT,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "required": "Enter your message",
            "max_length": f"Your message must be {MESSAGE_LIMIT} characters or fewer",
        },
    )
    attachment = forms.FileField(
        label="Attach a file (optional)",
        help_text="A PDF, or a PNG or JPEG image, up to 5MB for a PDF and 2MB for an image.",
        required=False,
        widget=forms.FileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg"}),
        error_messages={
            "invalid": "The selected file could not be read: choose it again",
            "empty": "The file is empty",
        },
    )


class ReportForm(forms.Form):
    reason = forms.CharField(
        label="What is wrong with this message?",
        help_text=(
            "For example, it asks for personal details it should not, it is unkind, or it worries you about "
            "someone's safety. The council's quality-assurance officers will read the message and your report."
        ),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "required": "Tell us what is wrong with the message",
            "max_length": "Your report must be 2000 characters or fewer",
        },
    )


class ReportResolveForm(forms.Form):
    resolution = forms.CharField(
        label="What did you do?",
        help_text="For example, who you spoke to and what you decided. This is kept in the audit trail.",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "required": "Say what you did about the report",
            "max_length": "What you did must be 2000 characters or fewer",
        },
    )
