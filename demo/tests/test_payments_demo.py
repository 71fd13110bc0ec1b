"""The payments demo builder: verified bank details by two finance officers, a change waiting for its
call-back that holds the taxi firm's payment, a completed run with remittances, and a second build
creating nothing."""

from collections.abc import Iterator

import pytest

from brokerage.models import LedgerTransaction
from demo import runner
from demo.builders import commissioning, payments
from demo.context import DemoContext
from demo.tests.helpers import coventry_demo
from marketplace.models import (
    BankAccount,
    BankAccountStatus,
    Invoice,
    InvoiceStatus,
    Payment,
    PaymentRun,
    PaymentStatus,
    RunStatus,
)
from marketplace.payments.payees import payee_change_pending
from marketplace.payments.selectors import payments_for_payee

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def built(django_db_setup, django_db_blocker) -> Iterator[DemoContext]:  # type: ignore[no-untyped-def]
    """Coventry's people, directory, families and commissioning, then the payments, once for the module."""
    with coventry_demo(django_db_blocker, commissioning.build, payments.build) as ctx:
        yield ctx


def test_payments_are_built_after_the_invoices_they_pay():
    order = [builder.build for builder in runner.BUILDERS]
    assert order.index(payments.build) > order.index(commissioning.build)


def test_every_verified_account_was_called_back_and_approved_by_two_other_people(built):
    verified = BankAccount.objects.filter(status=BankAccountStatus.VERIFIED)
    assert verified.exists()
    for account in verified:
        assert len({account.entered_by_id, account.callback_by_id, account.decided_by_id}) == 3, account


def test_the_taxi_firms_new_details_wait_and_its_payment_is_held(built):
    waiting = BankAccount.objects.get(status=BankAccountStatus.AWAITING_CALLBACK)
    assert waiting.provider_organisation.name == payments.CHANGE_WAITING_NAME
    assert payee_change_pending(provider_organisation=waiting.provider_organisation)
    held = Payment.objects.get(provider_organisation=waiting.provider_organisation)
    assert held.status == PaymentStatus.HELD
    # Held, so its invoice is payable again in the next run.
    firm = waiting.provider_organisation
    assert Invoice.objects.filter(provider_organisation=firm, status=InvoiceStatus.APPROVED).exists()


def test_the_completed_run_was_prepared_and_authorised_by_different_finance_officers(built):
    run = PaymentRun.objects.get()
    assert run.status == RunStatus.COMPLETED
    assert run.prepared_by.email == payments.PREPARER_LOGIN
    assert run.authorised_by.email == payments.AUTHORISER_LOGIN
    paid = run.payments.filter(status=PaymentStatus.PAID)
    assert paid.exists() and all(payment.remittance_sent_at for payment in paid)
    assert run.total == sum(payment.amount for payment in paid)


def test_the_counselling_charity_sees_its_remittance(built):
    charity = next(o for o in built.organisations.values() if o.name == "Open Door Counselling Coventry")
    remittances = payments_for_payee(provider_organisation=charity)
    assert remittances.filter(status=PaymentStatus.PAID).exists()
    assert Invoice.objects.filter(provider_organisation=charity, status=InvoiceStatus.PAID).exists()


def test_a_second_build_creates_nothing(built):
    before = (BankAccount.objects.count(), PaymentRun.objects.count(), LedgerTransaction.objects.count())
    payments.build(built)
    assert (BankAccount.objects.count(), PaymentRun.objects.count(), LedgerTransaction.objects.count()) == before
