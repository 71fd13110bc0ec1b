"""Render Django form fields with GOV.UK Frontend markup.

``{% govuk_field form.email %}`` gives the label, hint, error message and input with the classes
and ARIA wiring GOV.UK Frontend expects; ``{% govuk_error_summary form %}`` the error summary that
links to each field in error.
"""

from django import forms, template
from django.forms.boundfield import BoundField

register = template.Library()

_WIDGET_TEMPLATES = {
    forms.CheckboxInput: "checkbox",
    forms.CheckboxSelectMultiple: "checkboxes",
    forms.RadioSelect: "radios",
    forms.Select: "select",
    forms.SelectMultiple: "select",
    forms.Textarea: "textarea",
    forms.ClearableFileInput: "file",
    forms.FileInput: "file",
}

_INPUT_CLASSES = {
    "checkbox": "govuk-checkboxes__input",
    "select": "govuk-select",
    "textarea": "govuk-textarea",
    "file": "govuk-file-upload",
}

_ERROR_CLASSES = {
    "select": " govuk-select--error",
    "textarea": " govuk-textarea--error",
    "file": " govuk-file-upload--error",
}


def _kind(field: BoundField) -> str:
    for widget_class in type(field.field.widget).__mro__:
        if widget_class in _WIDGET_TEMPLATES:
            return _WIDGET_TEMPLATES[widget_class]
    return "input"


@register.inclusion_tag("includes/govuk_field.html")
def govuk_field(field: BoundField, width: str = "", label_size: str = "") -> dict[str, object]:
    kind = _kind(field)
    described_by = []
    if field.help_text:
        described_by.append(f"{field.auto_id}-hint")
    if field.errors:
        described_by.append(f"{field.auto_id}-error")
    css = _INPUT_CLASSES.get(kind, "govuk-input")
    if field.errors and kind not in {"checkbox", "checkboxes", "radios"}:
        css += _ERROR_CLASSES.get(kind, " govuk-input--error")
    if width:
        css += f" govuk-input--width-{width}" if width.isdigit() else f" govuk-!-width-{width}"
    attrs = {"class": css}
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    return {
        "field": field,
        "kind": kind,
        "widget_html": field.as_widget(attrs=attrs) if kind not in {"checkboxes", "radios"} else "",
        "label_size": label_size,
    }


@register.inclusion_tag("includes/govuk_error_summary.html")
def govuk_error_summary(*forms_: forms.BaseForm) -> dict[str, object]:
    errors = []
    for form in forms_:
        if form is None or not form.is_bound:
            continue
        for message in form.non_field_errors():
            errors.append({"href": "", "message": message})
        for field in form:
            for message in field.errors:
                errors.append({"href": f"#{_error_target(field)}", "message": message})
    return {"errors": errors}


def _error_target(field: forms.BoundField) -> str:
    """The id an error summary link moves focus to: a group of radios or checkboxes has no id of its own
    (Django gives none), so the link goes to its first option, as GOV.UK Frontend's summaries do."""
    if field.id_for_label:
        return field.id_for_label
    if isinstance(field.field.widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
        return f"{field.auto_id}_0"
    return field.auto_id
