"""The finance officer's postings export: a date range entered as GOV.UK date inputs (day, month, year)."""

import datetime

from django import forms
from django.core.exceptions import ValidationError

# A range longer than this is almost certainly a typing mistake in the year, not an audit request.
LONGEST_RANGE_DAYS = 366 * 10


class DateInputWidget(forms.MultiWidget):
    """Three boxes, day, month and year, as in the GOV.UK date input pattern."""

    def __init__(self) -> None:
        boxes = [
            forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
            forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
            forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        ]
        super().__init__(boxes)

    def id_for_label(self, id_: str) -> str:
        # The error summary links to the day box, as the GOV.UK date input pattern asks.
        return f"{id_}_0" if id_ else ""

    def decompress(self, value: datetime.date | None) -> list[object]:
        return [value.day, value.month, value.year] if value else [None, None, None]


class GovukDateField(forms.MultiValueField):
    widget = DateInputWidget

    def __init__(self, *, label: str, example: str, **kwargs) -> None:  # type: ignore[no-untyped-def]
        parts = (forms.CharField(), forms.CharField(), forms.CharField())
        super().__init__(parts, label=label, help_text=f"For example, {example}", require_all_fields=False, **kwargs)
        self.error_messages["required"] = f"Enter the {label[0].lower()}{label[1:]}"
        self.error_messages["incomplete"] = f"The {label[0].lower()}{label[1:]} must include a day, month and year"

    def compress(self, data_list: list[str]) -> datetime.date | None:
        if not data_list or not any(data_list):
            return None
        if not all(data_list):
            raise ValidationError(self.error_messages["incomplete"])
        try:
            day, month, year = (int(part.strip()) for part in data_list)
            if year < 1000:
                raise ValueError
            return datetime.date(year, month, day)
        except ValueError as error:
            raise ValidationError(f"The {self.label[0].lower()}{self.label[1:]} must be a real date") from error


class PostingsExportForm(forms.Form):
    starts_on = GovukDateField(label="From date", example="1 4 2026")
    ends_on = GovukDateField(label="To date", example="31 3 2027")

    @property
    def starts_on_boxes(self) -> list[tuple[int, str, int, str]]:
        return self._boxes("starts_on")

    @property
    def ends_on_boxes(self) -> list[tuple[int, str, int, str]]:
        return self._boxes("ends_on")

    def _boxes(self, name: str) -> list[tuple[int, str, int, str]]:
        """(index, label, width, value) of the day, month and year boxes, to re-show what was typed."""
        value = self[name].value()
        if not isinstance(value, list | tuple):
            value = self.fields[name].widget.decompress(value)
        typed = ["" if part is None else str(part) for part in value]
        return [(0, "Day", 2, typed[0]), (1, "Month", 2, typed[1]), (2, "Year", 4, typed[2])]

    def clean(self) -> dict:
        cleaned = super().clean()
        starts_on, ends_on = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts_on and ends_on:
            if ends_on < starts_on:
                self.add_error("ends_on", "The to date must be the same as or after the from date")
            elif (ends_on - starts_on).days > LONGEST_RANGE_DAYS:
                self.add_error("ends_on", "The range must be 10 years or less")
        return cleaned
