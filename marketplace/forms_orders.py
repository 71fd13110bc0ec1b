"""Forms of the order and invoice pages: they only parse input; the rules (money available, authority,
what an invoice may charge) live in ``marketplace.services.orders``, ``invoices`` and ``deliveries``."""

import datetime
from decimal import Decimal

from django import forms

from accounts.models import User
from brokerage.models import Allocation, PlanLine
from marketplace.models import OneOffPurchase, PAEmployment
from marketplace.ordering_selectors import Funding
from marketplace.services.deliveries import TimesheetEntry
from marketplace.services.invoices import LineInput
from providers.models import CostUnit, VatStatus

DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
INVOICE_LINES = 4
TIMESHEET_DAYS = 7
NO_LINE = "none"


def date_field(label: str, *, example: str, required: bool = True, help_text: str = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        input_formats=DATE_FORMATS,
        help_text=help_text or f"For example, {example}",
        error_messages={
            "required": f"Enter the {label.lower()}",
            "invalid": f"Enter the {label.lower()} as a date, for example {example}",
        },
    )


def units_field(label: str, *, required: bool = True, help_text: str = "") -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=required,
        max_digits=8,
        decimal_places=2,
        min_value=Decimal("0.01"),
        help_text=help_text,
        error_messages={
            "required": f"Enter {label.lower()}",
            "invalid": f"Enter {label.lower()} as a number, like 2 or 1.5",
            "min_value": f"{label} must be more than 0",
            "max_decimal_places": f"{label} can have at most 2 decimal places",
        },
    )


def money_field(label: str, *, required: bool = True, help_text: str = "") -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=required,
        max_digits=10,
        decimal_places=2,
        min_value=Decimal("0"),
        help_text=help_text,
        error_messages={
            "required": f"Enter the {label.lower().replace(' (£)', '')}",
            "invalid": "Enter an amount in pounds, like 25 or 25.50",
            "min_value": "The amount cannot be negative",
            "max_decimal_places": "Enter pounds and pence only, like 25.50",
        },
    )


class ReasonForm(forms.Form):
    """One text box: a reason, a question or an answer, with the words the page needs."""

    reason = forms.CharField(max_length=2000, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, label: str, required_message: str, help_text: str = "", required: bool = True, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        field = self.fields["reason"]
        field.label, field.help_text, field.required = label, help_text, required
        field.error_messages = {
            "required": required_message,
            "max_length": f"{label} must be 2000 characters or fewer",
        }


# --- Placing an order -------------------------------------------------------------------------------


class OrderForm(forms.Form):
    plan_line = forms.ChoiceField(
        label="Which line of the plan is this for?",
        widget=forms.RadioSelect,
        required=False,
        error_messages={"invalid_choice": "Choose a line of the plan from the list"},
    )
    description = forms.CharField(
        label="What you are ordering",
        max_length=200,
        help_text="The provider sees this, for example 'Maths tuition for Tom'",
        error_messages={"required": "Say what you are ordering"},
    )
    units = units_field("How many in all", help_text="For the whole order, for example 30 hours")
    unit = forms.ChoiceField(label="Counted", choices=CostUnit.choices, initial=CostUnit.HOUR)
    rate = money_field(
        "Rate agreed (£)",
        required=False,
        help_text="For one hour, session or other unit. A block contract's own rate applies to it",
    )
    vat_status = forms.ChoiceField(
        label="VAT on the rate", choices=VatStatus.choices, initial=VatStatus.NOT_REGISTERED, widget=forms.RadioSelect
    )
    schedule = forms.CharField(
        label="When (optional)",
        max_length=200,
        required=False,
        help_text="For example, Tuesdays and Thursdays, 5 to 6pm",
    )
    starts_on = date_field("Start date", example="6/4/2026")
    ends_on = date_field("End date", example="30/10/2026")
    funding = forms.ChoiceField(
        label="Paid from",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the money that pays", "invalid_choice": "Choose money from the list"},
    )
    pa_employment = forms.ChoiceField(
        label="How the personal assistant works for you",
        choices=PAEmployment.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether the personal assistant is employed by the family"},
    )

    def __init__(  # type: ignore[no-untyped-def]
        self, *args, funding: list[Funding], lines: list[PlanLine] | None, by_personal_assistant: bool, **kwargs
    ) -> None:
        super().__init__(*args, **kwargs)
        self.funding = {choice.key: choice for choice in funding}
        self.fields["funding"].choices = [(choice.key, choice.label) for choice in funding]
        self.lines = {str(line.public_id): line for line in lines or []}
        if lines:
            self.fields["plan_line"].choices = [
                *((key, f"{line.description}: {line.stream.name}") for key, line in self.lines.items()),
                (NO_LINE, "None: this is not for a line of the plan"),
            ]
        else:
            del self.fields["plan_line"]
        if not by_personal_assistant:
            del self.fields["pa_employment"]

    def clean(self) -> dict:
        data = super().clean()
        chosen = self.funding.get(data.get("funding", ""))
        if chosen is not None and chosen.allocation is not None and data.get("rate") is None:
            self.add_error("rate", "Enter the rate agreed with the provider")
        return data

    def chosen_funding(self) -> Funding:
        return self.funding[self.cleaned_data["funding"]]

    def chosen_line(self) -> PlanLine | None:
        return self.lines.get(self.cleaned_data.get("plan_line") or NO_LINE)

    def order_terms(self) -> dict:
        data = self.cleaned_data
        funding = self.chosen_funding()
        return {
            "description": data["description"],
            "units": data["units"],
            "unit": data["unit"],
            "rate": data["rate"],
            "vat_status": data["vat_status"],
            "schedule": data["schedule"],
            "starts_on": data["starts_on"],
            "ends_on": data["ends_on"],
            "allocation": funding.allocation,
            "block_contract": funding.block_contract,
            "pa_employment": data.get("pa_employment", ""),
        }


class ChooseWhoForm(forms.Form):
    person = forms.ChoiceField(
        label="Who is the support for?",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose who the support is for", "invalid_choice": "Choose someone from the list"},
    )

    def __init__(self, *args, people: list, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = [(str(person.public_id), str(person)) for person in people]


# --- The provider answers ---------------------------------------------------------------------------


class ChangeForm(forms.Form):
    units = units_field("How many in all")
    rate = money_field("Rate (£)", help_text="For one hour, session or other unit")
    starts_on = date_field("Start date", example="6/4/2026")
    ends_on = date_field("End date", example="30/10/2026")
    reason = forms.CharField(
        label="Why you propose the change",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Say why you propose the change"},
    )


class DeliveryForm(forms.Form):
    delivered_on = date_field("Date delivered", example="5/5/2026")
    units = units_field("How many", help_text="Hours, sessions or other units delivered that day")
    notes = forms.CharField(
        label="Notes (optional)", max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class _RowsForm(forms.Form):
    """A form with a fixed number of optional rows (no JavaScript needed to add one): a row left empty is
    ignored, a row half filled in is an error on the field left out."""

    row_count = 0
    row_fields: tuple[str, ...] = ()
    required_in_row: tuple[str, ...] = ()

    def filled_rows(self) -> list[dict]:
        rows = []
        for number in range(1, self.row_count + 1):
            values = {name: self.cleaned_data.get(f"{name}_{number}") for name in self.row_fields}
            if not any(value not in (None, "") for value in values.values()):
                continue
            for name in self.required_in_row:
                if values[name] in (None, ""):
                    label = self.fields[f"{name}_{number}"].label
                    self.add_error(f"{name}_{number}", f"Enter the {label.lower()}")
            rows.append(values)
        return rows


class InvoiceForm(_RowsForm):
    number = forms.CharField(
        label="Invoice number",
        max_length=40,
        help_text="Your own number for this invoice",
        error_messages={"required": "Enter your invoice number"},
    )
    issued_on = date_field("Invoice date", example="31/5/2026")
    due_on = date_field(
        "Due date", example="30/6/2026", required=False, help_text="Leave empty for 30 days after the invoice date"
    )
    vat_number = forms.CharField(label="Your VAT registration number", max_length=20, required=False)

    row_count = INVOICE_LINES
    row_fields = ("delivered_on", "units", "rate", "description")
    required_in_row = ("delivered_on", "units")

    def __init__(self, *args, charges_vat: bool, rate: Decimal, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.order_rate = rate
        self.fields["issued_on"].initial = datetime.date.today().strftime("%d/%m/%Y")
        if charges_vat:
            self.fields["vat_number"].required = True
            self.fields["vat_number"].help_text = "For example, GB123456789"
            self.fields["vat_number"].error_messages["required"] = "Enter your VAT registration number"
        else:
            del self.fields["vat_number"]
        for number in range(1, INVOICE_LINES + 1):
            self.fields[f"delivered_on_{number}"] = date_field(
                f"Line {number} date", example="5/5/2026", required=False
            )
            self.fields[f"units_{number}"] = units_field(f"Line {number} units", required=False)
            self.fields[f"rate_{number}"] = money_field(
                f"Line {number} rate (£)", required=False, help_text=f"Leave empty for the order's rate, £{rate}"
            )
            self.fields[f"description_{number}"] = forms.CharField(
                label=f"Line {number} description (optional)", max_length=200, required=False
            )

    def clean(self) -> dict:
        data = super().clean()
        rows = self.filled_rows()
        if not rows and not self.errors:
            self.add_error("delivered_on_1", "Add at least one line: the date and the units")
        self.lines = [self._line(row) for row in rows if None not in (row["delivered_on"], row["units"])]
        return data

    def _line(self, row: dict) -> LineInput:
        rate = row["rate"] if row["rate"] is not None else self.order_rate
        return LineInput(row["delivered_on"], row["units"], rate, row["description"] or "")

    def line_groups(self) -> list[list[forms.BoundField]]:
        return [[self[f"{name}_{number}"] for name in self.row_fields] for number in range(1, INVOICE_LINES + 1)]

    def header_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ("number", "issued_on", "due_on", "vat_number") if name in self.fields]


class TimesheetForm(_RowsForm):
    period_start = date_field("First day of the period", example="4/5/2026")
    period_end = date_field("Last day of the period", example="10/5/2026")
    invoice_number = forms.CharField(
        label="Invoice number",
        max_length=40,
        help_text="The timesheet is sent as your invoice with this number",
        error_messages={"required": "Enter the invoice number for this timesheet"},
    )
    vat_number = forms.CharField(label="Your VAT registration number", max_length=20, required=False)

    row_count = TIMESHEET_DAYS
    row_fields = ("worked_on", "units", "notes")
    required_in_row = ("worked_on", "units")

    def __init__(self, *args, for_payroll: bool, charges_vat: bool, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        if for_payroll:
            del self.fields["invoice_number"]
        if charges_vat:
            self.fields["vat_number"].required = True
            self.fields["vat_number"].error_messages["required"] = "Enter your VAT registration number"
        else:
            del self.fields["vat_number"]
        for number in range(1, TIMESHEET_DAYS + 1):
            self.fields[f"worked_on_{number}"] = date_field(f"Day {number} date", example="5/5/2026", required=False)
            self.fields[f"units_{number}"] = units_field(f"Day {number} hours", required=False)
            self.fields[f"notes_{number}"] = forms.CharField(
                label=f"Day {number} notes (optional)", max_length=200, required=False
            )

    def clean(self) -> dict:
        data = super().clean()
        rows = self.filled_rows()
        if not rows and not self.errors:
            self.add_error("worked_on_1", "Add the days worked: the date and the hours")
        self.entries = [
            TimesheetEntry(row["worked_on"], row["units"], row["notes"] or "")
            for row in rows
            if None not in (row["worked_on"], row["units"])
        ]
        return data

    def day_groups(self) -> list[list[forms.BoundField]]:
        return [[self[f"{name}_{number}"] for name in self.row_fields] for number in range(1, TIMESHEET_DAYS + 1)]

    def header_fields(self) -> list[forms.BoundField]:
        names = ("period_start", "period_end", "invoice_number", "vat_number")
        return [self[name] for name in names if name in self.fields]


class CreditNoteForm(forms.Form):
    number = forms.CharField(
        label="Credit note number", max_length=40, error_messages={"required": "Enter your credit note number"}
    )
    amount = money_field(
        "Amount (£)", help_text="Before VAT if you add VAT to your prices; including VAT if your prices include it"
    )
    reason = forms.CharField(
        label="Why you are reducing the invoice",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say why you are reducing the invoice"},
    )

    def clean_amount(self) -> Decimal:
        amount = self.cleaned_data["amount"]
        if amount <= 0:
            raise forms.ValidationError("The amount must be more than £0")
        return amount


class ApproveForm(forms.Form):
    override_reason = forms.CharField(
        label="Why you approve it although it goes beyond the order",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="This is kept in the audit trail",
    )


# --- One-off purchases ------------------------------------------------------------------------------


class OneOffPurchaseForm(forms.Form):
    """Buy something once: goods, a deposit or a supplier with no account, paid on the supplier's invoice
    or paid back to whoever paid, against a receipt."""

    kind = forms.ChoiceField(
        label="How is it paid?",
        choices=OneOffPurchase.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how it is paid"},
    )
    supplier_name = forms.CharField(
        label="Supplier",
        max_length=150,
        help_text="Who sells it, for example Peak Football Residentials",
        error_messages={"required": "Enter the supplier's name"},
    )
    supplier_invoice_number = forms.CharField(
        label="Supplier's invoice number",
        max_length=40,
        required=False,
        help_text="Needed to pay the supplier's invoice",
    )
    description = forms.CharField(
        label="What it is for",
        max_length=200,
        help_text="For example, football residential: fees and hotel",
        error_messages={"required": "Say what it is for"},
    )
    amount = money_field("Amount including VAT (£)")
    allocation = forms.ChoiceField(
        label="Paid from",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the money that pays", "invalid_choice": "Choose money from the list"},
    )
    plan_line = forms.ChoiceField(
        label="Which line of the plan is this for? (optional)",
        widget=forms.RadioSelect,
        required=False,
        error_messages={"invalid_choice": "Choose a line of the plan from the list"},
    )
    receipt = forms.FileField(
        label="Receipt",
        required=False,
        help_text="A PDF, or a photo (PNG or JPEG), smaller than 5MB. Needed to be paid back; for a supplier's "
        "invoice, you can add a copy of it",
    )
    pay_to = forms.ChoiceField(
        label="Who paid and is paid back?",
        widget=forms.RadioSelect,
        required=False,
        help_text="Only for paying someone back",
        error_messages={"invalid_choice": "Choose someone from the list"},
    )

    def __init__(  # type: ignore[no-untyped-def]
        self, *args, allocations: list[Allocation], lines: list[PlanLine], payees: list[tuple[User, str]], **kwargs
    ) -> None:
        super().__init__(*args, **kwargs)
        self.allocations = {str(allocation.public_id): allocation for allocation in allocations}
        self.fields["allocation"].choices = [
            (key, f"{allocation.stream.name}, budget {allocation.budget.financial_year}")
            for key, allocation in self.allocations.items()
        ]
        if len(allocations) == 1:
            self.fields["allocation"].initial = next(iter(self.allocations))
        self.lines = {str(line.public_id): line for line in lines}
        if lines:
            self.fields["plan_line"].choices = [
                *((key, f"{line.description}: {line.stream.name}") for key, line in self.lines.items()),
                (NO_LINE, "None: it is not for a line of the plan"),
            ]
        else:
            del self.fields["plan_line"]
        self.payees = {str(user.public_id): user for user, _label in payees}
        self.fields["pay_to"].choices = [(str(user.public_id), label) for user, label in payees]
        self.fields["pay_to"].initial = next(iter(self.payees), None)

    def clean_amount(self) -> Decimal:
        amount = self.cleaned_data["amount"]
        if amount <= 0:
            raise forms.ValidationError("The amount must be more than £0")
        return amount

    def clean(self) -> dict:
        data = super().clean()
        if data.get("kind") == OneOffPurchase.Kind.SUPPLIER_INVOICE and not data.get("supplier_invoice_number"):
            self.add_error("supplier_invoice_number", "Enter the supplier's invoice number")
        if data.get("kind") == OneOffPurchase.Kind.REIMBURSEMENT:
            if not data.get("receipt") and "receipt" not in self.errors:
                self.add_error("receipt", "Upload the receipt to be paid back")
            if not data.get("pay_to") and "pay_to" not in self.errors:
                self.add_error("pay_to", "Choose who is paid back")
        return data

    def purchase_terms(self) -> dict:
        data = self.cleaned_data
        reimbursement = data["kind"] == OneOffPurchase.Kind.REIMBURSEMENT
        return {
            "kind": data["kind"],
            "supplier_name": data["supplier_name"],
            "supplier_invoice_number": "" if reimbursement else data["supplier_invoice_number"],
            "description": data["description"],
            "amount": data["amount"],
            "allocation": self.allocations[data["allocation"]],
            "plan_line": self.lines.get(data.get("plan_line") or NO_LINE),
            "receipt_file": data.get("receipt"),
            "pay_to": self.payees.get(data.get("pay_to") or "") if reimbursement else None,
        }
