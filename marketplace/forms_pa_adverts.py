"""Forms for PA recruitment: the advert, sending it, a PA's reply, meetings and the employer's checklist."""

from datetime import datetime

from django import forms
from django.utils import timezone

from marketplace.models import ClosedReason, EmployerChecklist, PAAdvert
from providers.exceptions import PostcodeError
from providers.postcodes import normalise_district

DATE_INPUT = forms.DateInput(attrs={"type": "date"})


class PAAdvertForm(forms.ModelForm):
    person = forms.TypedChoiceField(label="Who is the PA for?", coerce=str, required=True)

    class Meta:
        model = PAAdvert
        fields = [
            "title",
            "hours_per_week",
            "days_and_times",
            "postcode_district",
            "tasks",
            "skills_wanted",
            "hourly_pay",
            "start_date",
            "closing_date",
            "about_family",
        ]
        widgets = {
            "start_date": DATE_INPUT,
            "closing_date": DATE_INPUT,
            "days_and_times": forms.Textarea(attrs={"rows": 3}),
            "tasks": forms.Textarea(attrs={"rows": 4}),
            "skills_wanted": forms.Textarea(attrs={"rows": 4}),
            "about_family": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "about_family": "Optional. Only write what you are happy for PAs to read.",
        }

    def __init__(self, *args, people: list | None = None, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        if people is None:
            del self.fields["person"]
        else:
            self.fields["person"].choices = [(str(p.public_id), f"{p.first_name} {p.last_name}") for p in people]
            self.fields["person"].help_text = "PAs see only the first half of the postcode and what you write below."

    def clean_postcode_district(self) -> str:
        value = self.cleaned_data["postcode_district"]
        try:
            return normalise_district(value)
        except PostcodeError:
            raise forms.ValidationError("Enter the first half of a postcode, like CV3") from None


class PAAdvertCloseForm(forms.Form):
    reason = forms.ChoiceField(
        label="Why are you closing the advert?", choices=ClosedReason.choices, widget=forms.RadioSelect
    )


class PAAdvertSendForm(forms.Form):
    pas = forms.MultipleChoiceField(
        label="PAs to send the advert to", required=False, widget=forms.CheckboxSelectMultiple
    )
    publish_to_area = forms.BooleanField(
        label="Also publish the advert to every PA whose listing covers the area", required=False
    )

    def __init__(self, *args, candidates: list, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["pas"].choices = [
            (c.offer_public_id, f"{c.pa.display_name}: {c.offer_name}") for c in candidates if not c.already_sent
        ]

    def clean(self) -> dict:
        cleaned = super().clean()
        if not cleaned.get("pas") and not cleaned.get("publish_to_area"):
            raise forms.ValidationError("Choose at least one PA, or publish the advert to PAs in the area")
        return cleaned


class PAReplyForm(forms.Form):
    message = forms.CharField(
        label="Your message to the family",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=4000,
        help_text="Say why you would be a good fit: your experience and what you enjoy.",
    )
    availability = forms.CharField(
        label="When you are available",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        required=False,
        help_text="Days, times and when you could start.",
    )


class PAReplyDeclineForm(forms.Form):
    message = forms.CharField(
        label="A message to the PA (optional)",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        required=False,
    )


class PAMeetingForm(forms.Form):
    date = forms.DateField(label="Date", widget=DATE_INPUT)
    time = forms.TimeField(label="Time", widget=forms.TimeInput(attrs={"type": "time"}), help_text="For example, 16:30")
    by_video = forms.BooleanField(label="Meet by video call", required=False)
    place = forms.CharField(label="Where", max_length=200, help_text="A place you both know, or the video call link")
    note = forms.CharField(label="Note for the PA (optional)", widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def starts_at(self) -> datetime:
        naive = datetime.combine(self.cleaned_data["date"], self.cleaned_data["time"])
        return timezone.make_aware(naive)


class PAMeetingAnswerForm(forms.Form):
    answer = forms.ChoiceField(
        label="Can you come?",
        choices=[("accept", "Yes, I can come"), ("another_time", "No, I need another time")],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label="Message to the family",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="If you need another time, say which times suit you.",
    )


class EmployerChecklistForm(forms.ModelForm):
    class Meta:
        model = EmployerChecklist
        fields = [
            "right_to_work_checked_on",
            "right_to_work_document",
            "dbs_umbrella_body",
            "dbs_applied_on",
            "dbs_received_on",
            "insurer",
            "insurance_ends_on",
            "payroll_service",
            "contract_signed_on",
        ]
        widgets = {name: DATE_INPUT for name in fields if name.endswith("_on")}
        labels = {
            "right_to_work_checked_on": "Date you checked their right to work",
            "right_to_work_document": "Document you checked",
            "contract_signed_on": "Date the contract was signed",
        }
        help_texts = {
            "right_to_work_document": "Record only the kind of document. Do not upload or copy it here.",
            "dbs_umbrella_body": "The organisation that made the DBS application for you. "
            "Never write the certificate number or what it says here.",
            "payroll_service": "The service that works out tax and National Insurance and pays the PA.",
        }
