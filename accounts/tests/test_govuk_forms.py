"""The GOV.UK form tags: error summary links lead to a control that can take focus."""

from django import forms

from accounts.templatetags.govuk_forms import govuk_error_summary


class ChoicesForm(forms.Form):
    name = forms.CharField()
    decision = forms.ChoiceField(choices=[("yes", "Yes"), ("no", "No")], widget=forms.RadioSelect)
    days = forms.MultipleChoiceField(choices=[("MO", "Monday"), ("TU", "Tuesday")], widget=forms.CheckboxSelectMultiple)


def test_error_summary_links_to_the_field_or_to_the_first_option_of_a_group():
    form = ChoicesForm(data={})
    form.is_valid()

    hrefs = [error["href"] for error in govuk_error_summary(form)["errors"]]

    assert hrefs == ["#id_name", "#id_decision_0", "#id_days_0"]
    html = form.as_div()
    assert 'id="id_decision_0"' in html and 'id="id_days_0"' in html
