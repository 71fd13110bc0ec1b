"""Entering and verifying a payee's bank details (issue #11).

A change of bank details is the classic way money is stolen (mandate fraud), so new details are never
used straight away. They go through three steps, each by a different person:

1. someone entitled to act for the payee enters them (``bank_details_submit``): the digits are stored
   encrypted, only masked copies are ever shown, and the council's finance officers are told;
2. a finance officer calls the payee back on a number already on record, never one given with the
   change, and records who they spoke to (``bank_details_record_callback``);
3. a second finance officer, neither the one who called nor the one who entered the details, approves
   them (``bank_details_approve``) or either rejects them (``bank_details_reject``).

While new details wait, payments to the payee are held (``payees.payee_change_pending``), even though
the previously verified account stays on record until the new one is approved. Full numbers never go
into an audit row or a notification.

A payee is given as the keyword arguments of ``PayeeFields``, e.g. ``family=person``.
"""

import re
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.events import audit_record
from accounts.models import Membership, Organisation, User
from accounts.notifications import notification_send_many
from accounts.roles import Role
from marketplace.payments.exceptions import PaymentError, SeparationOfDuties
from marketplace.payments.models import PAYEE_FIELDS, BankAccount, BankAccountStatus

WAITING_STATUSES = (BankAccountStatus.AWAITING_CALLBACK, BankAccountStatus.AWAITING_APPROVAL)

# The only moves a bank account's status may make; ``_status_move`` enforces them.
TRANSITIONS: dict[str, frozenset[str]] = {
    BankAccountStatus.AWAITING_CALLBACK: frozenset(
        {BankAccountStatus.AWAITING_APPROVAL, BankAccountStatus.REJECTED, BankAccountStatus.REPLACED}
    ),
    BankAccountStatus.AWAITING_APPROVAL: frozenset(
        {BankAccountStatus.VERIFIED, BankAccountStatus.REJECTED, BankAccountStatus.REPLACED}
    ),
    BankAccountStatus.VERIFIED: frozenset({BankAccountStatus.REPLACED}),
    BankAccountStatus.REJECTED: frozenset(),
    BankAccountStatus.REPLACED: frozenset(),
}

_SEPARATORS = re.compile(r"[\s-]")


# --- Validation and masking ------------------------------------------------------------------------


def sort_code_normalise(value: str) -> str:
    """'12-34-56', '12 34 56' or '123456' → '123456'; anything else is refused."""
    digits = _SEPARATORS.sub("", value or "")
    if not digits:
        raise ValidationError({"sort_code": "Enter a sort code"})
    if not digits.isdigit() or len(digits) != 6:
        raise ValidationError({"sort_code": "Enter a valid sort code like 309430"})
    return digits


def account_number_normalise(value: str) -> str:
    """8 digits; 6 or 7 are padded with leading zeros, as UK banks do for older account numbers."""
    digits = _SEPARATORS.sub("", value or "")
    if not digits:
        raise ValidationError({"account_number": "Enter an account number"})
    if not digits.isdigit() or not 6 <= len(digits) <= 8:
        raise ValidationError({"account_number": "Enter a valid account number like 00733445"})
    return digits.zfill(8)


def sort_code_mask(digits: str) -> str:
    return f"••-••-{digits[-2:]}"


def account_number_mask(digits: str) -> str:
    return f"••••{digits[-4:]}"


# --- Payees -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Payee:
    """One of the four kinds of party that can be paid, with the keyword arguments that find its rows."""

    field: str
    record: models.Model

    @property
    def filter(self) -> dict[str, Any]:
        return {self.field: self.record}

    @property
    def name(self) -> str:
        if self.field == "personal_assistant":
            return self.record.user.get_full_name() or str(self.record)
        if self.field == "family":
            return f"{self.record} (direct-payment account)"
        return str(self.record)


def payee_from(payee: dict[str, Any]) -> Payee:
    given = {field: value for field, value in payee.items() if value is not None}
    if len(given) != 1 or not set(given) <= set(PAYEE_FIELDS):
        raise TypeError(f"Give exactly one payee, one of {', '.join(PAYEE_FIELDS)}")
    ((field, record),) = given.items()
    return Payee(field=field, record=record)


def payee_of(account: BankAccount) -> Payee:
    field = next(field for field in PAYEE_FIELDS if getattr(account, f"{field}_id"))
    return Payee(field=field, record=getattr(account, field))


def payee_council(payee: Payee) -> Organisation | None:
    """The council whose finance officers verify the payee's details."""
    if payee.field == "provider_organisation":
        return payee.record.council
    if payee.field in ("personal_assistant", "family"):
        return payee.record.council
    return payee.record.person.council  # a one-off purchase, for a person supported


def payee_people(payee: Payee) -> list[User]:
    """Who is told when the payee's details are verified or rejected."""
    if payee.field == "provider_organisation":
        members = Membership.objects.active().filter(organisation=payee.record, role=Role.PROVIDER_STAFF)
        return [membership.user for membership in members.select_related("user")]
    if payee.field == "personal_assistant":
        return [payee.record.user]
    person = payee.record if payee.field == "family" else payee.record.person
    return [holder.user for holder in person.consent_holders.filter(ended_at__isnull=True).select_related("user")]


def payee_page_path(payee: Payee) -> str:
    if payee.field == "family":
        return reverse("bank_details:family", args=[payee.record.public_id])
    if payee.field in ("provider_organisation", "personal_assistant"):
        return reverse("bank_details:own")
    return ""


def _payee_lock(payee: Payee) -> None:
    # Every change to a payee's bank accounts first locks the payee itself, so that two submissions (or a
    # submission and an approval) for the same payee cannot interleave and leave two accounts waiting.
    type(payee.record).objects.select_for_update().filter(pk=payee.record.pk).first()


def finance_officers_of(council: Organisation) -> list[User]:
    members = Membership.objects.active().filter(organisation=council, role=Role.FINANCE_OFFICER)
    return [membership.user for membership in members.select_related("user")]


# --- Services ---------------------------------------------------------------------------------------


@transaction.atomic
def bank_details_submit(
    *,
    actor: User,
    council: Organisation,
    account_name: str,
    sort_code: str,
    account_number: str,
    building_society_roll: str = "",
    **payee: Any,
) -> BankAccount:
    """Record new bank details for a payee, waiting for a call-back; payments to the payee are held
    until they are verified. Older details still waiting are replaced; the verified account stays on
    record until the new one is approved."""
    who = payee_from(payee)
    errors = _submission_errors(sort_code=sort_code, account_number=account_number, account_name=account_name)
    if errors:
        raise ValidationError(errors)
    if payee_council(who) != council:
        raise PaymentError(f"{who.name} is verified by {payee_council(who)}, not {council}")
    sort_digits, account_digits = sort_code_normalise(sort_code), account_number_normalise(account_number)
    _payee_lock(who)
    for older in BankAccount.objects.select_for_update().filter(status__in=WAITING_STATUSES, **who.filter):
        _status_move(older, BankAccountStatus.REPLACED, actor=actor, reason="Newer details were entered")
    account = BankAccount(
        council=council,
        account_name=" ".join(account_name.split()),
        sort_code=sort_digits,
        account_number=account_digits,
        sort_code_masked=sort_code_mask(sort_digits),
        account_number_masked=account_number_mask(account_digits),
        building_society_roll=building_society_roll.strip(),
        entered_by=actor,
        **who.filter,
    )
    account.full_clean()
    account.save()
    audit_record(
        actor=actor,
        action="bank_account.entered",
        target=account,
        summary=f"New bank details for {who.name} ({account}), waiting for a call-back",
        council=council,
        data=_masked(account),
    )
    notification_send_many(
        recipients=finance_officers_of(council),
        subject=f"Bank details of {who.name} need a call-back",
        body=(
            f"{actor} entered new bank details for {who.name}: {account}. Payments to them are held until "
            "the details are verified. Call them back on a number already on record, then record the call."
        ),
        link=reverse("bank_details:detail", args=[account.public_id]),
    )
    return account


def _submission_errors(*, sort_code: str, account_number: str, account_name: str) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for check, value in ((sort_code_normalise, sort_code), (account_number_normalise, account_number)):
        try:
            check(value)
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                errors.setdefault(field, []).extend(messages)
    if not account_name.strip():
        errors["account_name"] = ["Enter the name on the account"]
    return errors


@transaction.atomic
def bank_details_record_callback(*, account: BankAccount, actor: User, note: str) -> BankAccount:
    """A finance officer called the payee back on a number already on record and they confirmed the
    details. The caller checks that ``actor`` is a finance officer of ``account.council``."""
    if not note.strip():
        raise ValidationError({"note": "Enter who you called, on which number from our records, and what they said"})
    account = _locked(account)
    if account.entered_by_id == actor.pk:
        raise SeparationOfDuties("You entered these details, so someone else must call the payee back")
    _status_move(account, BankAccountStatus.AWAITING_APPROVAL, actor=actor, reason=note.strip())
    who = payee_of(account)
    others = [user for user in finance_officers_of(account.council) if user.pk not in (actor.pk, account.entered_by_id)]
    notification_send_many(
        recipients=others,
        subject=f"Bank details of {who.name} need a second finance officer's approval",
        body=(
            f"{actor} called {who.name} back about their new bank details ({account}). A second finance "
            "officer must approve them before payments to them are released."
        ),
        link=reverse("bank_details:detail", args=[account.public_id]),
    )
    return account


@transaction.atomic
def bank_details_approve(*, account: BankAccount, actor: User) -> BankAccount:
    """A second finance officer approves details already confirmed by a call-back: they become the ones
    payments use, the previously verified account is replaced, and held payments may be released."""
    account = _locked(account)
    if account.callback_by_id == actor.pk:
        raise SeparationOfDuties("You recorded the call-back, so a second finance officer must approve these details")
    if account.entered_by_id == actor.pk:
        raise SeparationOfDuties("You entered these details, so another finance officer must approve them")
    who = payee_of(account)
    _payee_lock(who)
    # The payee may have only one verified account (a partial unique constraint): the old one is replaced
    # first, then the new one verified, in this one transaction, so payments never see neither or both.
    current = BankAccount.objects.select_for_update().filter(status=BankAccountStatus.VERIFIED, **who.filter)
    for old in current:
        _status_move(old, BankAccountStatus.REPLACED, actor=actor, reason=f"Replaced by {account}")
    _status_move(account, BankAccountStatus.VERIFIED, actor=actor)
    _payee_tell(
        account,
        subject="Your new bank details are verified",
        body=f"Your new bank details ({account}) are verified. Payments to {who.name} now go to this account.",
    )
    return account


@transaction.atomic
def bank_details_reject(*, account: BankAccount, actor: User, reason: str) -> BankAccount:
    """A finance officer refuses new details (the payee did not confirm them, or they look wrong). The
    verified account on record, if any, stays in use."""
    if not reason.strip():
        raise ValidationError({"reason": "Enter why you are rejecting these bank details"})
    account = _locked(account)
    _status_move(account, BankAccountStatus.REJECTED, actor=actor, reason=reason.strip())
    who = payee_of(account)
    _payee_tell(
        account,
        subject="Your new bank details were not accepted",
        body=(
            f"The council did not accept the new bank details for {who.name} ({account}): {reason.strip()} "
            "If they are right, enter them again and a finance officer will call you back."
        ),
    )
    return account


def bank_details_viewed(*, account: BankAccount, viewer: User) -> None:
    """Looking at a bank-details record is sensitive: each view is in the audit history."""
    audit_record(
        actor=viewer,
        action="bank_account.viewed",
        target=account,
        summary=f"{viewer} looked at the bank details of {payee_of(account).name}",
        council=account.council,
    )


def bank_details_page_viewed(*, payee: Payee, viewer: User, council: Organisation | None) -> None:
    audit_record(
        actor=viewer,
        action="bank_details.viewed",
        target=payee.record,
        summary=f"{viewer} looked at the bank details page of {payee.name}",
        council=council,
    )


def bank_details_exported(*, council: Organisation, viewer: User, state: str, count: int) -> None:
    audit_record(
        actor=viewer,
        action="bank_details.exported",
        target=council,
        summary=f"{viewer} downloaded {count} bank-details records ({state or 'waiting'})",
        council=council,
    )


# --- The one place a status changes ----------------------------------------------------------------


def _locked(account: BankAccount) -> BankAccount:
    return BankAccount.objects.select_for_update().select_related("council").get(pk=account.pk)


def _status_move(account: BankAccount, to: str, *, actor: User, reason: str = "") -> None:
    """Check the move against ``TRANSITIONS``, fill in who did it and when, save and audit it."""
    old = account.status
    if to not in TRANSITIONS[old]:
        raise PaymentError(
            f"These bank details are {BankAccountStatus(old).label.lower()}: "
            f"they cannot now be {BankAccountStatus(to).label.lower()}"
        )
    now = timezone.now()
    fields = ["status"]
    if to == BankAccountStatus.AWAITING_APPROVAL:
        account.callback_by, account.callback_at, account.callback_note = actor, now, reason
        fields += ["callback_by", "callback_at", "callback_note"]
    elif to in (BankAccountStatus.VERIFIED, BankAccountStatus.REJECTED):
        account.decided_by, account.decided_at, account.decision_reason = actor, now, reason
        fields += ["decided_by", "decided_at", "decision_reason"]
    account.status = to
    account.full_clean()
    account.save(update_fields=fields)
    audit_record(
        actor=actor,
        action=f"bank_account.{to}",
        target=account,
        summary=f"Bank details of {payee_of(account).name} ({account}): {BankAccountStatus(to).label}",
        council=account.council,
        reason=reason,
        data={"from": old, "to": to, **_masked(account)},
    )


def _masked(account: BankAccount) -> dict[str, str]:
    return {"sort_code": account.sort_code_masked, "account_number": account.account_number_masked}


def _payee_tell(account: BankAccount, *, subject: str, body: str) -> None:
    who = payee_of(account)
    recipients = [*payee_people(who), account.entered_by]
    notification_send_many(recipients=recipients, subject=subject, body=body, link=payee_page_path(who))
