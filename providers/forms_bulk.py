"""Forms for the bulk pages: a CSV file to import, and a council's own taxonomy term."""

import io
from pathlib import PurePath

from django import forms

MAX_CSV_BYTES = 10 * 1024 * 1024


class CsvUploadForm(forms.Form):
    csv_file = forms.FileField(
        label="Upload a CSV file",
        help_text="Save your spreadsheet as CSV (comma separated values). The file must be smaller than 10MB.",
        error_messages={"required": "Select a CSV file", "empty": "The selected file is empty"},
    )

    def clean_csv_file(self) -> str:
        """The file's text. Excel saves CSV as UTF-8 with a byte order mark, or as Windows-1252."""
        uploaded = self.cleaned_data["csv_file"]
        if PurePath(uploaded.name).suffix.lower() != ".csv":
            raise forms.ValidationError("The selected file must be a CSV")
        if uploaded.size > MAX_CSV_BYTES:
            raise forms.ValidationError("The selected file must be smaller than 10MB")
        content = uploaded.read()
        for encoding in ("utf-8-sig", "cp1252"):
            try:
                return content.decode(encoding)
            except UnicodeDecodeError:
                continue
        raise forms.ValidationError("The selected file must be text: save it from your spreadsheet as CSV UTF-8")

    def lines(self) -> io.StringIO:
        return io.StringIO(self.cleaned_data["csv_file"], newline="")


class TaxonomyTermForm(forms.Form):
    name = forms.CharField(
        label="Name",
        max_length=120,
        help_text="As families and providers will see it, for example Sensory play",
        error_messages={"required": "Enter a name for the term", "max_length": "Name must be 120 characters or fewer"},
    )
    description = forms.CharField(
        label="Description",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="One or two sentences saying what the term covers",
        error_messages={"required": "Enter a description of the term"},
    )
