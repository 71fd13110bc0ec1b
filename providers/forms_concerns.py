"""Forms for concerns. They parse input; the rules live in providers.services.concerns."""

from django import forms

YES_NO = [("yes", "Yes"), ("no", "No")]


class ReportForm(forms.Form):
    description = forms.CharField(
        label="What happened?",
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=10000,
        help_text="Say what you saw or heard, when and where, and who was there. Only the council's quality "
        "team can read this.",
    )
    involves_harm_to_child = forms.TypedChoiceField(
        label="Does this involve harm, or risk of harm, to a child?",
        choices=YES_NO,
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        help_text="If you answer yes, the council's designated officer for allegations (LADO) is told.",
    )
    reporter_email = forms.EmailField(
        label="Your email address",
        help_text="We use it only to tell you how your concern is going.",
    )

    def __init__(self, *args, signed_in: bool, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        if signed_in:
            # Signed-in reporters are kept informed through their account.
            del self.fields["reporter_email"]
        else:
            self.fields["reporter_email"].error_messages.update(
                {
                    "required": "Enter your email address, so that we can tell you what happens",
                    "invalid": "Enter an email address like name@example.org",
                }
            )
        self.fields["description"].error_messages.update(
            {
                "required": "Tell us what happened",
                "max_length": "Keep it to 10,000 characters or fewer; the officer can ask you for more",
            }
        )
        self.fields["involves_harm_to_child"].error_messages["required"] = (
            "Say whether this involves harm, or risk of harm, to a child"
        )


class NoteForm(forms.Form):
    text = forms.CharField(label="Note", widget=forms.Textarea(attrs={"rows": 5}))
    shared_with_reporter = forms.BooleanField(
        label="Share this note with the person who reported the concern",
        required=False,
        help_text="They are sent it as you write it. Say what stage things are at, not what you have found.",
    )

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["text"].error_messages["required"] = "Enter the note"


class CloseForm(forms.Form):
    outcome = forms.CharField(
        label="What was the outcome?", widget=forms.Textarea(attrs={"rows": 5}), help_text="Kept on the concern."
    )
    share_outcome = forms.BooleanField(
        label="Share this outcome with the person who reported the concern",
        required=False,
        help_text="Leave this unticked if the outcome names people or says what was found.",
    )

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["outcome"].error_messages["required"] = "Enter the outcome of the enquiry"


class ReinstateForm(forms.Form):
    reason = forms.CharField(
        label="Why are you putting the listing back in the directory?",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Kept in the listing's history.",
    )

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["reason"].error_messages["required"] = "Enter why you are putting the listing back in the directory"
