"""The payment file: one CSV line per payment a run sends through the council's finance system (the
embedded default, and always for direct payments to families). The layout is in docs/payments.md.

This is the only module that reads full sort codes and account numbers (decrypted as the rows are built):
pages, exports and notifications show the masked copies. Whoever serves the file records the download.
"""

import csv
import io
from collections.abc import Iterator
from dataclasses import astuple, dataclass

from accounts.exports import csv_cell
from marketplace.payments.models import Payment, PaymentMethod, PaymentRun, PaymentSettings

PAYMENT_FILE_COLUMNS = (
    "payee_name",
    "sort_code",
    "account_number",
    "building_society_roll",
    "amount",
    "reference",
    "finance_code",
    "pay_on",
    "payment_id",
)


@dataclass(frozen=True)
class PaymentFileRow:
    payee_name: str
    sort_code: str
    account_number: str
    building_society_roll: str
    amount: str
    reference: str
    finance_code: str
    pay_on: str
    payment_id: str


def file_payments(run: PaymentRun):  # type: ignore[no-untyped-def]
    """The run's payments that went out through the file, whatever the bank said of them since: the same
    run gives the same file however often it is downloaded."""
    return (
        Payment.objects.filter(run=run, method=PaymentMethod.PAYMENT_FILE, sent_at__isnull=False)
        .select_related("bank_account")
        .order_by("remittance_reference")
    )


def payment_file_rows(run: PaymentRun) -> Iterator[PaymentFileRow]:
    settings = PaymentSettings.objects.filter(council=run.council).first()
    finance_code = settings.finance_code if settings else ""
    for payment in file_payments(run):
        account = payment.bank_account
        yield PaymentFileRow(
            # The name as the bank has it, so that Confirmation of Payee matches.
            payee_name=csv_cell(account.account_name),  # type: ignore[arg-type]
            sort_code=account.sort_code,
            account_number=account.account_number,
            building_society_roll=account.building_society_roll,
            amount=f"{payment.amount:.2f}",
            reference=payment.remittance_reference,
            finance_code=finance_code,
            pay_on=run.pay_on.isoformat(),
            payment_id=str(payment.public_id),
        )


def payment_file_csv(run: PaymentRun) -> str:
    output = io.StringIO()
    writer = csv.writer(output, lineterminator="\r\n")
    writer.writerow(PAYMENT_FILE_COLUMNS)
    writer.writerows(astuple(row) for row in payment_file_rows(run))
    return output.getvalue()
