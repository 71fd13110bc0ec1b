"""Reading a payee's bank account: which details a payment may use, and whether payments are held.

A payee is given as the keyword arguments of ``PayeeFields`` (exactly one of ``provider_organisation``,
``personal_assistant``, ``family``, ``one_off_purchase``), e.g. ``payee_bank_account(family=person)``.
"""

from typing import Any

from marketplace.payments.models import PAYEE_FIELDS, BankAccount, BankAccountStatus

AWAITING_STATUSES = (BankAccountStatus.AWAITING_CALLBACK, BankAccountStatus.AWAITING_APPROVAL)


def _payee(payee: dict[str, Any]) -> dict[str, Any]:
    given = {field: value for field, value in payee.items() if value is not None}
    if len(given) != 1 or not set(given) <= set(PAYEE_FIELDS):
        raise TypeError(f"Give exactly one payee, one of {', '.join(PAYEE_FIELDS)}")
    return given


def payee_bank_account(**payee: Any) -> BankAccount | None:
    """The verified account a payment to this payee may use, or None."""
    return BankAccount.objects.filter(status=BankAccountStatus.VERIFIED, **_payee(payee)).first()


def payee_change_pending(**payee: Any) -> bool:
    """New details are waiting for verification: payments to this payee are held until they are verified,
    so that money never goes to the old account the payee has told us is wrong, nor to an unchecked one."""
    return BankAccount.objects.filter(status__in=AWAITING_STATUSES, **_payee(payee)).exists()


def payee_may_be_paid(**payee: Any) -> bool:
    return not payee_change_pending(**payee) and payee_bank_account(**payee) is not None
