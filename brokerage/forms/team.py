from django import forms

from brokerage.models import PersonSupported, TeamMember


class MemberForm(forms.Form):
    name = forms.CharField(max_length=120)
    role = forms.CharField(max_length=120, help_text="For example, school nurse, class teacher, speech therapist")
    organisation_name = forms.CharField(label="Organisation", max_length=150, required=False)
    family_consented = forms.BooleanField(
        label="The family agrees that this person joins the team and sees what the team shares",
        error_messages={"required": "Add someone only once the family has agreed"},
    )


class MeetingForm(forms.Form):
    held_on = forms.DateField(
        label="Date of the meeting", input_formats=["%d/%m/%Y", "%Y-%m-%d"], help_text="For example, 12/5/2026"
    )
    attendees = forms.ModelMultipleChoiceField(
        label="Who came", queryset=TeamMember.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    decisions = forms.CharField(label="What was decided", widget=forms.Textarea(attrs={"rows": 5}))
    lead_professional_confirmed = forms.BooleanField(
        label="The meeting confirmed the lead professional", required=False
    )

    def __init__(self, *args, person: PersonSupported, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = person.team.filter(left_at__isnull=True)  # type: ignore[attr-defined]

    def meeting_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data["attendees"] = list(data["attendees"])
        return data
