"""Bank details: validated, encrypted at rest, masked, and not used until one finance officer has
called the payee back and a second has approved them; payments are held meanwhile."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from accounts.models import AuditEvent, Notification
from marketplace.payments.bank_accounts import (
    account_number_normalise,
    bank_details_approve,
    bank_details_record_callback,
    bank_details_reject,
    sort_code_normalise,
)
from marketplace.payments.exceptions import PaymentError, SeparationOfDuties
from marketplace.payments.models import BankAccount, BankAccountStatus
from marketplace.payments.payees import payee_bank_account, payee_change_pending, payee_may_be_paid
from marketplace.payments.tests.bank_fixtures import FULL_NUMBERS, Bank, bank_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def bank() -> Bank:
    return bank_make()


@pytest.mark.parametrize("given", ["12-34-56", "12 34 56", "123456", " 12-34-56 "])
def test_a_sort_code_may_be_written_with_dashes_or_spaces(given):
    assert sort_code_normalise(given) == "123456"


@pytest.mark.parametrize("given", ["", "12345", "1234567", "12-34-5a", "12/34/56"])
def test_a_sort_code_that_is_not_six_digits_is_refused(given):
    with pytest.raises(ValidationError) as error:
        sort_code_normalise(given)
    assert "sort_code" in error.value.message_dict


@pytest.mark.parametrize(
    ("given", "stored"), [("31926819", "31926819"), ("1234567", "01234567"), ("123456", "00123456")]
)
def test_a_short_account_number_is_padded_with_leading_zeros(given, stored):
    assert account_number_normalise(given) == stored


@pytest.mark.parametrize("given", ["", "12345", "123456789", "1234567x"])
def test_an_account_number_that_is_not_six_to_eight_digits_is_refused(given):
    with pytest.raises(ValidationError) as error:
        account_number_normalise(given)
    assert "account_number" in error.value.message_dict


def test_bad_details_are_refused_with_an_error_on_each_field(bank):
    with pytest.raises(ValidationError) as error:
        bank.submit(account_number="12")
    assert set(error.value.message_dict) == {"account_number"}
    assert not BankAccount.objects.exists()


def test_the_numbers_are_encrypted_at_rest_and_only_masked_copies_are_kept_in_clear(bank):
    account = bank.submit()
    with connection.cursor() as cursor:
        table = BankAccount._meta.db_table  # the model's own table name, not input
        cursor.execute(f"SELECT sort_code, account_number FROM {table} WHERE id = %s", [account.pk])  # noqa: S608
        raw_sort_code, raw_account_number = cursor.fetchone()
    assert "123456" not in raw_sort_code and "31926819" not in raw_account_number
    stored = BankAccount.objects.get(pk=account.pk)
    assert (stored.sort_code, stored.account_number) == ("123456", "31926819")
    assert (stored.sort_code_masked, stored.account_number_masked) == ("••-••-56", "••••6819")


def test_new_details_wait_for_a_call_back_and_hold_payments(bank):
    bank.submit()
    assert payee_change_pending(provider_organisation=bank.provider)
    assert payee_bank_account(provider_organisation=bank.provider) is None
    assert not payee_may_be_paid(provider_organisation=bank.provider)


def test_the_councils_finance_officers_are_told_details_wait_for_a_call_back(bank):
    account = bank.submit()
    notified = set(Notification.objects.filter(subject__contains="call-back").values_list("recipient", flat=True))
    assert notified == {bank.ann.pk, bank.ben.pk}
    assert Notification.objects.filter(recipient=bank.ann).get().link.endswith(f"/{account.public_id}/")


def test_the_same_officer_cannot_record_the_call_back_and_approve(bank):
    account = bank_details_record_callback(account=bank.submit(), actor=bank.ann, note="Called Pat on 024 7600 0001")
    with pytest.raises(SeparationOfDuties):
        bank_details_approve(account=account, actor=bank.ann)
    assert BankAccount.objects.get(pk=account.pk).status == BankAccountStatus.AWAITING_APPROVAL


def test_the_officer_who_entered_the_details_can_neither_call_back_nor_approve(bank):
    account = bank.submit(actor=bank.ann)
    with pytest.raises(SeparationOfDuties):
        bank_details_record_callback(account=account, actor=bank.ann, note="Called the office")
    account = bank_details_record_callback(account=account, actor=bank.ben, note="Called the office")
    with pytest.raises(SeparationOfDuties):
        bank_details_approve(account=account, actor=bank.ann)


def test_details_cannot_be_approved_before_the_call_back(bank):
    account = bank.submit()
    with pytest.raises(PaymentError):
        bank_details_approve(account=account, actor=bank.ben)


def test_a_call_back_without_a_note_is_refused(bank):
    with pytest.raises(ValidationError) as error:
        bank_details_record_callback(account=bank.submit(), actor=bank.ann, note="  ")
    assert "note" in error.value.message_dict


def test_payments_are_held_until_a_second_officer_approves(bank):
    account = bank_details_record_callback(account=bank.submit(), actor=bank.ann, note="Called Pat on 024 7600 0001")
    assert payee_change_pending(provider_organisation=bank.provider)
    bank_details_approve(account=account, actor=bank.ben)
    assert not payee_change_pending(provider_organisation=bank.provider)
    assert payee_bank_account(provider_organisation=bank.provider) == account
    assert payee_may_be_paid(provider_organisation=bank.provider)


def _verified(bank, account_number: str) -> BankAccount:  # type: ignore[no-untyped-def]
    account = bank.submit(account_number=account_number)
    account = bank_details_record_callback(account=account, actor=bank.ann, note="Called Pat on 024 7600 0001")
    return bank_details_approve(account=account, actor=bank.ben)


def test_a_change_keeps_the_old_account_on_record_but_holds_payments_until_approved(bank):
    old = _verified(bank, "11111111")
    new = bank.submit(account_number="22222222")
    assert payee_bank_account(provider_organisation=bank.provider) == old
    assert payee_change_pending(provider_organisation=bank.provider)
    assert not payee_may_be_paid(provider_organisation=bank.provider)
    assert new.status == BankAccountStatus.AWAITING_CALLBACK


def test_approving_a_change_replaces_the_old_account_leaving_exactly_one_verified(bank):
    old = _verified(bank, "11111111")
    new = _verified(bank, "22222222")
    verified = BankAccount.objects.filter(provider_organisation=bank.provider, status=BankAccountStatus.VERIFIED)
    assert list(verified) == [new]
    assert BankAccount.objects.get(pk=old.pk).status == BankAccountStatus.REPLACED


def test_newer_details_replace_older_ones_still_waiting(bank):
    first = bank.submit(account_number="11111111")
    second = bank.submit(account_number="22222222")
    assert BankAccount.objects.get(pk=first.pk).status == BankAccountStatus.REPLACED
    assert BankAccount.objects.get(pk=second.pk).status == BankAccountStatus.AWAITING_CALLBACK
    with pytest.raises(PaymentError):
        bank_details_record_callback(account=first, actor=bank.ann, note="Called Pat")


def test_rejected_details_release_nothing_and_the_old_account_stays_in_use(bank):
    old = _verified(bank, "11111111")
    new = bank_details_reject(account=bank.submit(account_number="22222222"), actor=bank.ann, reason="Pat never asked")
    assert new.status == BankAccountStatus.REJECTED
    assert payee_bank_account(provider_organisation=bank.provider) == old
    assert not payee_change_pending(provider_organisation=bank.provider)


def test_a_rejection_needs_a_reason(bank):
    with pytest.raises(ValidationError) as error:
        bank_details_reject(account=bank.submit(), actor=bank.ann, reason="")
    assert "reason" in error.value.message_dict


def test_the_payee_is_told_when_details_are_verified_or_rejected(bank):
    _verified(bank, "11111111")
    assert Notification.objects.filter(recipient=bank.pat, subject="Your new bank details are verified").exists()
    bank_details_reject(account=bank.submit(account_number="22222222"), actor=bank.ann, reason="Pat never asked")
    rejection = Notification.objects.get(recipient=bank.pat, subject="Your new bank details were not accepted")
    assert "Pat never asked" in rejection.body


def test_every_step_is_audited_without_the_full_numbers(bank):
    _verified(bank, "31926819")
    actions = list(AuditEvent.objects.order_by("id").values_list("action", flat=True))
    assert actions == ["bank_account.entered", "bank_account.awaiting_approval", "bank_account.verified"]
    written = [str(row) for row in AuditEvent.objects.values_list("summary", "reason", "data")]
    written += [str(row) for row in Notification.objects.values_list("subject", "body")]
    assert not [text for text in written for number in FULL_NUMBERS if number in text]
