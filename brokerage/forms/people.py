from django import forms

from brokerage.models import ConsentHolder
from brokerage.services.people import Contact


class PersonForm(forms.Form):
    first_name = forms.CharField(max_length=80)
    last_name = forms.CharField(max_length=80)
    date_of_birth = forms.DateField(help_text="For example, 14/5/2014", input_formats=["%d/%m/%Y", "%Y-%m-%d"])
    postcode = forms.CharField(max_length=8, required=False)
    caf_reference = forms.CharField(label="Assessment (CAF) reference", max_length=40, required=False)
    needs_notes = forms.CharField(
        label="What the family wants professionals to know", widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    relationship = forms.ChoiceField(
        label="Who gives consent for them", choices=ConsentHolder.Relationship.choices, widget=forms.RadioSelect
    )
    holder_first_name = forms.CharField(label="Consent holder's first name", max_length=150)
    holder_last_name = forms.CharField(label="Consent holder's last name", max_length=150)
    holder_email = forms.EmailField(
        label="Consent holder's email address",
        help_text="If they have no account yet, we email them an invitation to set one up",
    )
    consent_given = forms.BooleanField(
        label="The consent holder agrees that you see these records and act on them with the family",
        error_messages={"required": "You can record someone only with their consent holder's agreement"},
    )

    def holder(self) -> Contact:
        data = self.cleaned_data
        return Contact(data["holder_email"], data["holder_first_name"], data["holder_last_name"])

    def person_fields(self) -> dict:
        names = ("first_name", "last_name", "date_of_birth", "postcode", "caf_reference", "needs_notes", "relationship")
        return {name: self.cleaned_data[name] for name in names}


class HandoverForm(forms.Form):
    first_name = forms.CharField(label="Young person's first name", max_length=150)
    last_name = forms.CharField(label="Young person's last name", max_length=150)
    email = forms.EmailField(
        label="Young person's email address",
        help_text="If they have no account yet, we email them an invitation to set one up",
    )

    def contact(self) -> Contact:
        data = self.cleaned_data
        return Contact(data["email"], data["first_name"], data["last_name"])


class AccessLogFilterForm(forms.Form):
    q = forms.CharField(label="Child's or viewer's name", required=False, max_length=100)
