"""Forms of the data-protection pages: they only parse input."""

from django import forms


class PersonSearchForm(forms.Form):
    q = forms.CharField(
        label="Name, or the start of it",
        required=False,
        max_length=80,
        help_text="The child's or young person's first or last name.",
    )


class ErasureForm(forms.Form):
    reason = forms.CharField(
        label="Why is this record being erased?",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="For example, the family's request under Article 17 and the date it was received. It is kept.",
        error_messages={"required": "Say why this record is being erased"},
    )
    confirm = forms.BooleanField(
        label="I understand that this cannot be undone",
        error_messages={"required": "Confirm that you understand this cannot be undone"},
    )
