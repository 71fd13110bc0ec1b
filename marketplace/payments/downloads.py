"""Taking a copy of a run's payment file. The file holds payees' full bank details and is what the bank pays
from, so every copy taken is recorded: who, which run, when."""

from django.db import transaction

from accounts.events import audit_record
from accounts.models import User
from marketplace.payments.models import PaymentRun, RunStatus
from marketplace.payments.payment_file import payment_file_csv

PAYMENT_FILE_READY_STATUSES = (RunStatus.SENT, RunStatus.COMPLETED)


def payment_file_ready(run: PaymentRun) -> bool:
    """The payment file exists once the run has been paid (sent to the bank)."""
    return run.status in PAYMENT_FILE_READY_STATUSES


@transaction.atomic
def payment_file_download(*, run: PaymentRun, actor: User) -> str:
    """The payment file's CSV text, with an audit row saying who took it. The caller checks
    ``payment_file_ready`` first."""
    text = payment_file_csv(run)
    audit_record(
        actor=actor,
        action="payment_file.downloaded",
        target=run,
        summary=f"Downloaded the payment file of payment run {run.reference}",
        council=run.council,
    )
    return text
