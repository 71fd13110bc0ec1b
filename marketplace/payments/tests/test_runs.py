"""Payment runs: preparing (what is due, per payee, held payees, the date), dual authorisation and
separation of duties, cancelling, paying, and the bank's confirmations."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError

from accounts.models import AuditEvent, Notification
from brokerage.exceptions import TransitionNotAllowed
from brokerage.services.direct_payments import dp_schedule_set_frequency
from marketplace.models import InvoiceStatus, InvoiceStatusChange, OneOffPurchase
from marketplace.payments import runs
from marketplace.payments.exceptions import SeparationOfDuties
from marketplace.payments.models import ItemStatus, PaymentItem, PaymentMethod, PaymentStatus, RunStatus
from marketplace.payments.tests.factories import (
    allocation,
    approved_invoice,
    approved_purchase,
    balances,
    due_instalment,
    finance,
    personal_assistant,
    provider,
    verified_account,
    waiting_account,
)
from marketplace.services.invoices import credit_note_issue

pytestmark = pytest.mark.django_db
D = Decimal
BEFORE_CHRISTMAS = datetime.datetime(2026, 12, 21, 10, 0, tzinfo=datetime.UTC)


@pytest.fixture
def team():  # type: ignore[no-untyped-def]
    return finance()


@pytest.fixture
def tom(team):  # type: ignore[no-untyped-def]
    return allocation(team.council)


@pytest.fixture
def sunrise(team):  # type: ignore[no-untyped-def]
    seller = provider(team.council)
    verified_account(team.council, checked_by=(team.ann, team.ben), **seller.payee)
    return seller


def _paid_run(team, **prepare):  # type: ignore[no-untyped-def]
    run = runs.run_prepare(council=team.council, actor=team.ann, **prepare)
    runs.run_authorise(run=run, actor=team.ben)
    return runs.run_execute(run=run, actor=team.ben)


# --- Preparing ---------------------------------------------------------------------------------------


def test_preparing_groups_what_is_due_into_one_payment_per_payee(team, tom, sunrise):
    first = approved_invoice(tom, sunrise, amount="200.00", approver=team.lena)
    second = approved_invoice(tom, sunrise, amount="50.00", approver=team.lena)

    run = runs.run_prepare(council=team.council, actor=team.ann)

    (payment,) = run.payments.all()
    assert payment.provider_organisation == sunrise.organisation
    assert payment.amount == D("250.00")
    assert payment.method == PaymentMethod.PAYMENT_FILE
    assert {item.invoice for item in payment.items.all()} == {first, second}
    assert (run.status, run.total, run.item_count) == (RunStatus.PREPARED, D("250.00"), 2)
    assert run.reference == f"PR-{datetime.date.today().year}-0001"
    assert AuditEvent.objects.filter(action="payment_run.prepared", target_id=str(run.public_id)).exists()


def test_prepared_runs_are_numbered_per_council(team, tom, sunrise):
    approved_invoice(tom, sunrise, approver=team.lena)
    runs.run_prepare(council=team.council, actor=team.ann)
    approved_invoice(tom, sunrise, approver=team.lena)

    second = runs.run_prepare(council=team.council, actor=team.ann)

    assert second.reference.endswith("-0002")


def test_a_run_collects_instalments_and_one_off_purchases_for_their_payees(team, tom):
    family_money = allocation(team.council, held_as="direct_payment")
    instalment = due_instalment(family_money, amount="500.00")
    purchase = approved_purchase(tom, approver=team.lena)
    verified_account(team.council, checked_by=(team.ann, team.ben), family=family_money.budget.person)
    verified_account(team.council, checked_by=(team.ann, team.ben), one_off_purchase=purchase)

    run = runs.run_prepare(council=team.council, actor=team.ann)

    payments = {payment.payee_kind: payment for payment in run.payments.all()}
    assert payments["family"].items.get().instalment == instalment
    assert payments["one_off"].items.get().purchase == purchase
    assert run.total == D("810.00")


def test_instalments_not_yet_due_on_the_payment_date_wait(team):
    family_money = allocation(team.council, held_as="direct_payment")
    due_instalment(family_money, due_on=datetime.date(2027, 3, 1))

    with pytest.raises(ValidationError, match="There is nothing to pay"):
        runs.run_prepare(council=team.council, actor=team.ann)


def test_another_councils_invoices_are_not_in_the_run(team, tom, sunrise):
    other = finance("Southshire")
    approved_invoice(allocation(other.council), provider(other.council, "Southshire Care"), approver=other.lena)
    approved_invoice(tom, sunrise, approver=team.lena)

    run = runs.run_prepare(council=team.council, actor=team.ann)

    assert run.item_count == 1


def test_something_in_a_live_run_is_not_prepared_again(team, tom, sunrise):
    approved_invoice(tom, sunrise, approver=team.lena)
    runs.run_prepare(council=team.council, actor=team.ann)

    with pytest.raises(ValidationError, match="There is nothing to pay"):
        runs.run_prepare(council=team.council, actor=team.ben)


def test_a_payee_without_verified_details_is_held_and_not_totalled(team, tom, sunrise):
    approved_invoice(tom, sunrise, amount="100.00", approver=team.lena)
    unverified = provider(team.council, name="Brand New Care")
    approved_invoice(tom, unverified, amount="70.00", approver=team.lena)

    run = runs.run_prepare(council=team.council, actor=team.ann)

    held = run.payments.get(provider_organisation=unverified.organisation)
    assert held.status == PaymentStatus.HELD
    assert run.total == D("100.00")


def test_a_payee_whose_new_details_wait_for_verification_is_held(team, tom, sunrise):
    approved_invoice(tom, sunrise, approver=team.lena)
    waiting_account(team.council, entered_by=sunrise.staff, **sunrise.payee)

    run = runs.run_prepare(council=team.council, actor=team.ann)

    assert run.payments.get().status == PaymentStatus.HELD


def test_a_fully_credited_invoice_has_nothing_to_pay(team, tom, sunrise):
    invoice = approved_invoice(tom, sunrise, amount="100.00", approver=team.lena)
    invoice.credit_notes.create(number="CN-1", net=D("100.00"), reason="Not delivered", issued_by=sunrise.staff)

    with pytest.raises(ValidationError, match="There is nothing to pay"):
        runs.run_prepare(council=team.council, actor=team.ann)


@time_machine.travel(BEFORE_CHRISTMAS, tick=False)
def test_a_payment_date_on_a_bank_holiday_moves_to_the_next_banking_day(team, tom, sunrise):
    approved_invoice(tom, sunrise, approver=team.lena)

    run = runs.run_prepare(council=team.council, actor=team.ann, pay_on=datetime.date(2026, 12, 25))

    assert run.pay_on == datetime.date(2026, 12, 29)
    assert "moved from 25 December 2026" in AuditEvent.objects.get(action="payment_run.prepared").summary


@time_machine.travel(datetime.datetime(2026, 12, 26, 10, 0, tzinfo=datetime.UTC), tick=False)
def test_without_a_date_the_run_pays_on_the_next_banking_day(team, tom, sunrise):
    approved_invoice(tom, sunrise, approver=team.lena)

    assert runs.run_prepare(council=team.council, actor=team.ann).pay_on == datetime.date(2026, 12, 29)


@time_machine.travel(BEFORE_CHRISTMAS, tick=False)
def test_a_payment_date_in_the_past_is_refused(team, tom, sunrise):
    approved_invoice(tom, sunrise, approver=team.lena)

    with pytest.raises(ValidationError, match="today or in the future"):
        runs.run_prepare(council=team.council, actor=team.ann, pay_on=datetime.date(2026, 12, 18))


def test_preparing_reports_progress(team, tom, sunrise):
    approved_invoice(tom, sunrise, approver=team.lena)
    approved_invoice(tom, provider(team.council, "Other"), approver=team.lena)
    seen = []

    runs.run_prepare(council=team.council, actor=team.ann, progress=lambda done, total: seen.append((done, total)))

    assert seen[-1] == (2, 2)


def test_the_other_finance_officers_are_told_a_run_waits_for_authorisation(team, tom, sunrise):
    approved_invoice(tom, sunrise, approver=team.lena)

    run = runs.run_prepare(council=team.council, actor=team.ann)

    assert Notification.objects.filter(recipient=team.ben, subject__contains=run.reference).exists()
    assert not Notification.objects.filter(recipient=team.ann, subject__contains=run.reference).exists()


# --- Authorising and cancelling ---------------------------------------------------------------------


def test_whoever_prepared_a_run_cannot_authorise_it(team, tom, sunrise):
    approved_invoice(tom, sunrise, approver=team.lena)
    run = runs.run_prepare(council=team.council, actor=team.ann)

    with pytest.raises(SeparationOfDuties, match="You prepared this run"):
        runs.run_authorise(run=run, actor=team.ann)


def test_whoever_approved_an_invoice_cannot_authorise_the_run_that_pays_it(team, tom, sunrise):
    approved_invoice(tom, sunrise, approver=team.ben)
    invoice = approved_invoice(tom, sunrise, approver=team.lena)
    run = runs.run_prepare(council=team.council, actor=team.ann)

    with pytest.raises(SeparationOfDuties, match="You approved invoice INV-") as refusal:
        runs.run_authorise(run=run, actor=team.ben)
    assert invoice.number not in str(refusal.value)


def test_whoever_approved_a_one_off_purchase_cannot_authorise_the_run_that_pays_it(team, tom):
    purchase = approved_purchase(tom, approver=team.ben)
    verified_account(team.council, checked_by=(team.ann, team.ben), one_off_purchase=purchase)
    run = runs.run_prepare(council=team.council, actor=team.ann)

    with pytest.raises(SeparationOfDuties, match="Football residential"):
        runs.run_authorise(run=run, actor=team.ben)


def test_a_second_finance_officer_authorises_a_prepared_run(team, tom, sunrise):
    approved_invoice(tom, sunrise, approver=team.lena)
    run = runs.run_prepare(council=team.council, actor=team.ann)

    run = runs.run_authorise(run=run, actor=team.ben)

    assert (run.status, run.authorised_by) == (RunStatus.AUTHORISED, team.ben)
    assert AuditEvent.objects.filter(action="payment_run.authorised", actor=team.ben).exists()
    with pytest.raises(TransitionNotAllowed):
        runs.run_authorise(run=run, actor=team.lena)


def test_a_cancelled_run_releases_what_it_held(team, tom, sunrise):
    approved_invoice(tom, sunrise, approver=team.lena)
    run = runs.run_prepare(council=team.council, actor=team.ann)

    runs.run_cancel(run=run, actor=team.ben, reason="Wrong date")

    run.refresh_from_db()
    assert (run.status, run.cancel_reason) == (RunStatus.CANCELLED, "Wrong date")
    assert runs.run_prepare(council=team.council, actor=team.ann).item_count == 1


def test_cancelling_needs_a_reason_and_a_run_not_yet_paying(team, tom, sunrise):
    approved_invoice(tom, sunrise, approver=team.lena)
    run = runs.run_prepare(council=team.council, actor=team.ann)
    with pytest.raises(ValidationError):
        runs.run_cancel(run=run, actor=team.ben, reason=" ")
    runs.run_authorise(run=run, actor=team.ben)
    runs.run_execute(run=run, actor=team.ben)

    with pytest.raises(TransitionNotAllowed):
        runs.run_cancel(run=run, actor=team.ben, reason="Too late")


def test_a_prepared_run_cannot_be_paid_before_it_is_authorised(team, tom, sunrise):
    approved_invoice(tom, sunrise, approver=team.lena)
    run = runs.run_prepare(council=team.council, actor=team.ann)

    with pytest.raises(TransitionNotAllowed):
        runs.run_execute(run=run, actor=team.ann)


# --- Paying -----------------------------------------------------------------------------------------


def test_paying_moves_payable_to_spent_and_marks_the_invoice_paid(team, tom, sunrise):
    invoice = approved_invoice(tom, sunrise, amount="200.00", approver=team.lena)

    run = _paid_run(team)

    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.PAID
    assert invoice.decided_by == team.lena  # who approved it is kept
    assert InvoiceStatusChange.objects.filter(invoice=invoice, new_status=InvoiceStatus.PAID).exists()
    assert balances(tom)["provider_payable"] == 0
    assert balances(tom)["spent"] == D("200.00")
    assert run.status == RunStatus.SENT
    payment = run.payments.get()
    assert payment.status == PaymentStatus.SENT
    assert payment.items.get().status == ItemStatus.SENT
    assert (run.progress_done, run.progress_total) == (1, 1)


def test_paying_an_instalment_pays_into_the_familys_account(team):
    family_money = allocation(team.council, held_as="direct_payment")
    instalment = due_instalment(family_money, amount="500.00")
    verified_account(team.council, checked_by=(team.ann, team.ben), family=family_money.budget.person)

    _paid_run(team)

    instalment.refresh_from_db()
    assert instalment.paid_at is not None
    assert instalment.transaction == PaymentItem.objects.get().transaction
    assert balances(family_money)["family_account"] == D("500.00")


def test_paying_a_one_off_purchase_marks_it_paid(team, tom):
    purchase = approved_purchase(tom, amount="310.00", approver=team.lena)
    verified_account(team.council, checked_by=(team.ann, team.ben), one_off_purchase=purchase)

    _paid_run(team)

    purchase.refresh_from_db()
    assert purchase.status == OneOffPurchase.Status.PAID
    assert balances(tom)["spent"] == D("310.00")


def test_a_held_payee_is_not_paid_and_is_payable_again_once_the_run_completes(team, tom, sunrise):
    approved_invoice(tom, sunrise, amount="100.00", approver=team.lena)
    unverified = provider(team.council, name="Brand New Care")
    held_invoice = approved_invoice(tom, unverified, amount="70.00", approver=team.lena)

    run = _paid_run(team)
    runs.run_confirm_rest_paid(run=run, actor=team.ann)

    held_invoice.refresh_from_db()
    assert held_invoice.status == InvoiceStatus.APPROVED
    assert balances(tom)["spent"] == D("100.00")
    run.refresh_from_db()
    assert run.status == RunStatus.COMPLETED
    verified_account(team.council, checked_by=(team.ann, team.ben), **unverified.payee)
    assert runs.run_prepare(council=team.council, actor=team.ann).total == D("70.00")


def test_details_changed_after_preparing_hold_the_payment(team, tom, sunrise):
    invoice = approved_invoice(tom, sunrise, approver=team.lena)
    run = runs.run_prepare(council=team.council, actor=team.ann)
    runs.run_authorise(run=run, actor=team.ben)
    waiting_account(team.council, entered_by=sunrise.staff, **sunrise.payee)

    run = runs.run_execute(run=run, actor=team.ben)

    assert run.payments.get().status == PaymentStatus.HELD
    assert run.status == RunStatus.COMPLETED
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.APPROVED
    assert balances(tom)["spent"] == 0
    assert not PaymentItem.objects.filter(status__in=("pending", "sent", "paid")).exists()


def test_a_payment_the_ledger_refuses_fails_alone_and_is_payable_again(team, tom, sunrise):
    family_money = allocation(team.council, available="100.00", held_as="direct_payment")
    due_instalment(family_money, amount="500.00")  # more than the allocation holds
    verified_account(team.council, checked_by=(team.ann, team.ben), family=family_money.budget.person)
    invoice = approved_invoice(tom, sunrise, approver=team.lena)

    run = _paid_run(team)

    failed = run.payments.get(family=family_money.budget.person)
    assert failed.status == PaymentStatus.FAILED
    assert "Not enough money" in failed.failure_reason
    assert not failed.items.filter(status__in=("pending", "sent", "paid")).exists()
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.PAID
    assert Notification.objects.filter(recipient=team.ann, subject__contains="failed").exists()


def test_a_failed_payment_leaves_no_ledger_account_behind_for_the_next_payee(team, tom, sunrise, monkeypatch):
    """Two payees paid from one budget whose spent account does not exist yet: the first payment makes it and
    fails, which rolls it back; the second must not use the account that is gone. (On PostgreSQL the spent
    balance shows it; SQLite would give the account made again the same key.)"""
    other = provider(team.council, "Other Care")
    verified_account(team.council, checked_by=(team.ann, team.ben), **other.payee)
    approved_invoice(tom, sunrise, approver=team.lena)
    approved_invoice(tom, other, approver=team.lena)
    mark = runs._payment_mark
    failed = []

    def the_first_fails(payment, status, **extra):  # type: ignore[no-untyped-def]
        if status == PaymentStatus.SENT and not failed:
            failed.append(payment.pk)
            raise ValidationError("The bank refused the line")
        mark(payment, status, **extra)

    monkeypatch.setattr(runs, "_payment_mark", the_first_fails)

    run = _paid_run(team)

    assert sorted(run.payments.values_list("status", flat=True)) == [PaymentStatus.FAILED, PaymentStatus.SENT]
    assert run.payments.get(pk=failed[0]).status == PaymentStatus.FAILED
    assert balances(tom)["spent"] == D("200.00")


def test_paying_a_run_again_pays_nothing_twice(team, tom, sunrise):
    approved_invoice(tom, sunrise, amount="200.00", approver=team.lena)
    run = _paid_run(team)

    with pytest.raises(TransitionNotAllowed):
        runs.run_execute(run=run, actor=team.ben)
    assert balances(tom)["spent"] == D("200.00")


# --- Confirming -------------------------------------------------------------------------------------


def test_a_paid_line_sends_remittance_advice_once_and_completes_the_run(team, tom, sunrise):
    approved_invoice(tom, sunrise, approver=team.lena)
    run = _paid_run(team)
    payment = run.payments.get()

    runs.payment_confirm(payment=payment, actor=team.ann, outcome="paid")

    payment.refresh_from_db()
    assert (payment.status, payment.confirmed_by) == (PaymentStatus.PAID, team.ann)
    assert payment.remittance_sent_at is not None
    assert Notification.objects.filter(recipient=sunrise.staff, subject__startswith="Remittance advice").count() == 1
    run.refresh_from_db()
    assert run.status == RunStatus.COMPLETED
    with pytest.raises(TransitionNotAllowed):
        runs.payment_confirm(payment=payment, actor=team.ann, outcome="paid")


def test_a_returned_line_reverses_the_payment_and_the_invoice_is_payable_again(team, tom, sunrise):
    invoice = approved_invoice(tom, sunrise, amount="200.00", approver=team.lena)
    run = _paid_run(team)

    runs.payment_confirm(payment=run.payments.get(), actor=team.ann, outcome="returned", reason="Account closed")

    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.APPROVED
    assert balances(tom) == {"provider_payable": D("200.00"), "spent": 0, "family_account": 0}
    item = PaymentItem.objects.get()
    assert item.status == ItemStatus.RETURNED and item.reversal is not None
    assert Notification.objects.filter(recipient=team.ben, subject__contains="returned").exists()
    again = runs.run_prepare(council=team.council, actor=team.ann)
    assert again.payments.get().items.get().invoice == invoice


def test_a_rejected_instalment_is_due_again_and_paid_by_the_next_run(team):
    family_money = allocation(team.council, held_as="direct_payment")
    instalment = due_instalment(family_money, amount="500.00")
    verified_account(team.council, checked_by=(team.ann, team.ben), family=family_money.budget.person)
    run = _paid_run(team)

    runs.payment_confirm(payment=run.payments.get(), actor=team.ann, outcome="rejected", reason="Bad sort code")
    instalment.refresh_from_db()
    assert (instalment.paid_at, instalment.transaction) == (None, None)
    assert balances(family_money)["family_account"] == 0

    _paid_run(team)
    instalment.refresh_from_db()
    assert instalment.paid_at is not None
    assert balances(family_money)["family_account"] == D("500.00")
    returned = PaymentItem.objects.get(status=ItemStatus.RETURNED)
    assert instalment.transaction not in (None, returned.transaction)


def test_a_returned_one_off_purchase_is_approved_again(team, tom):
    purchase = approved_purchase(tom, approver=team.lena)
    verified_account(team.council, checked_by=(team.ann, team.ben), one_off_purchase=purchase)
    run = _paid_run(team)

    runs.payment_confirm(payment=run.payments.get(), actor=team.ann, outcome="returned")

    purchase.refresh_from_db()
    assert purchase.status == OneOffPurchase.Status.APPROVED
    assert balances(tom)["spent"] == 0


def test_an_unknown_outcome_is_refused(team, tom, sunrise):
    approved_invoice(tom, sunrise, approver=team.lena)
    run = _paid_run(team)

    with pytest.raises(ValidationError):
        runs.payment_confirm(payment=run.payments.get(), actor=team.ann, outcome="lost")


def test_confirming_the_rest_paid_completes_the_run(team, tom, sunrise):
    sam = personal_assistant(team.council)
    verified_account(team.council, checked_by=(team.ann, team.ben), **sam.payee)
    approved_invoice(tom, sunrise, approver=team.lena)
    approved_invoice(tom, sam, approver=team.lena)
    run = _paid_run(team)
    first = run.payments.filter(status=PaymentStatus.SENT).first()
    runs.payment_confirm(payment=first, actor=team.ann, outcome="returned", reason="Closed")

    run = runs.run_confirm_rest_paid(run=run, actor=team.ann)

    assert run.status == RunStatus.COMPLETED
    assert not run.payments.filter(status=PaymentStatus.SENT).exists()


# --- Importing the bank's confirmations -------------------------------------------------------------


def test_importing_confirmations_applies_every_line(team, tom, sunrise):
    approved_invoice(tom, sunrise, approver=team.lena)
    other = provider(team.council, "Other Care")
    verified_account(team.council, checked_by=(team.ann, team.ben), **other.payee)
    approved_invoice(tom, other, approver=team.lena)
    run = _paid_run(team)
    first, second = run.payments.order_by("remittance_reference")
    csv_text = (
        "payment_reference,outcome,reason\r\n"
        f"{first.remittance_reference},paid,\r\n"
        f"{second.remittance_reference},returned,Account closed\r\n"
    )

    result = runs.confirmations_import(run=run, actor=team.ann, csv_text=csv_text)

    assert (result.ok, result.applied) == (True, 2)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (PaymentStatus.PAID, PaymentStatus.RETURNED)
    run.refresh_from_db()
    assert run.status == RunStatus.COMPLETED


def test_importing_confirmations_with_a_bad_line_applies_nothing_and_names_the_line(team, tom, sunrise):
    approved_invoice(tom, sunrise, approver=team.lena)
    run = _paid_run(team)
    payment = run.payments.get()
    csv_text = f"payment_reference,outcome,reason\n{payment.remittance_reference},paid,\nPR-1999-0001-00001,paid,\n"

    result = runs.confirmations_import(run=run, actor=team.ann, csv_text=csv_text)

    assert result.applied == 0
    assert result.errors == [(3, f"No payment PR-1999-0001-00001 in run {run.reference}")]
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.SENT


def test_importing_confirmations_refuses_a_wrong_outcome_and_a_repeated_line(team, tom, sunrise):
    approved_invoice(tom, sunrise, approver=team.lena)
    run = _paid_run(team)
    reference = run.payments.get().remittance_reference
    csv_text = f"payment_reference,outcome\n{reference},bounced\n{reference},paid\n"

    result = runs.confirmations_import(run=run, actor=team.ann, csv_text=csv_text)

    assert [line for line, _ in result.errors] == [2, 3]


def test_importing_confirmations_without_the_header_is_refused(team, tom, sunrise):
    approved_invoice(tom, sunrise, approver=team.lena)
    run = _paid_run(team)

    result = runs.confirmations_import(run=run, actor=team.ann, csv_text="reference,result\nx,paid\n")

    assert result.errors[0][0] == 1


def test_paying_an_invoice_keeps_its_plan_lines_outcome_and_category_on_the_statement(team, tom, sunrise):
    from brokerage.models import LedgerTransaction, Outcome, OutcomeDomain, PlanLine, PlanStatus, SupportPlan
    from providers.models import Taxonomy, TaxonomyTerm

    plan = SupportPlan.objects.create(person=tom.budget.person, budget=tom.budget, status=PlanStatus.ACTIVE)
    outcome = Outcome.objects.create(
        plan=plan, domain=OutcomeDomain.ENJOY_AND_ACHIEVE, description="Reads well by July", baseline_score=3
    )
    taxonomy, _ = Taxonomy.objects.get_or_create(kind=Taxonomy.Kind.SERVICE_CATEGORY, defaults={"name": "Support"})
    category = TaxonomyTerm.objects.create(
        taxonomy=taxonomy, code="payment-run-tuition", name="Tuition", description="Tuition"
    )
    line = PlanLine.objects.create(
        plan=plan,
        category=category,
        description="Tuition",
        stream=tom.stream,
        outcome=outcome,
        quantity=D("2"),
        unit="hour",
        unit_cost=D("20.00"),
        frequency="weekly",
        periods=39,
    )
    invoice = approved_invoice(tom, sunrise, approver=team.lena)
    invoice.order.plan_line = line
    invoice.order.save(update_fields=["plan_line"])

    _paid_run(team)

    paid = LedgerTransaction.objects.get(idempotency_key=PaymentItem.objects.get().ledger_key)
    assert (paid.outcome, paid.category) == (outcome, category)


def test_an_invoice_in_a_run_can_no_longer_be_reduced_by_a_credit_note(team):
    sunrise = provider(team.council)
    verified_account(team.council, checked_by=(team.ann, team.ben), **sunrise.payee)
    invoice = approved_invoice(allocation(team.council), sunrise, amount="150.00", approver=team.lena)
    run = runs.run_prepare(council=team.council, actor=team.ann)

    with pytest.raises(TransitionNotAllowed, match=f"is in payment run {run.reference}"):
        credit_note_issue(invoice=invoice, actor=sunrise.staff, number="CN-1", amount=D("10.00"), reason="One less")

    runs.run_cancel(run=run, actor=team.ben, reason="Wrong date")
    note = credit_note_issue(invoice=invoice, actor=sunrise.staff, number="CN-1", amount=D("10.00"), reason="One less")
    assert note.invoice == invoice


def test_a_family_is_told_once_when_the_bank_confirms_their_direct_payment_not_when_the_file_goes(team):
    family_money = allocation(team.council, held_as="direct_payment")
    due_instalment(family_money, amount="500.00")
    person = family_money.budget.person
    parent = person.consent_holders.get().user
    verified_account(team.council, checked_by=(team.ann, team.ben), family=person)
    run = runs.run_prepare(council=team.council, actor=team.ann)
    runs.run_authorise(run=run, actor=team.ben)

    run = runs.run_execute(run=run, actor=team.ben)
    assert not Notification.objects.filter(recipient=parent).exists()

    runs.run_confirm_rest_paid(run=run, actor=team.ann)
    assert Notification.objects.filter(recipient=parent).count() == 1


def test_a_direct_payment_schedule_cannot_change_once_an_instalment_was_in_a_run_even_returned(team):
    family_money = allocation(team.council, held_as="direct_payment")
    due_instalment(family_money, amount="500.00")
    verified_account(team.council, checked_by=(team.ann, team.ben), family=family_money.budget.person)
    run = _paid_run(team)
    runs.payment_confirm(payment=run.payments.get(), actor=team.ann, outcome="returned", reason="Account closed")
    schedule = family_money.dp_schedule

    with pytest.raises(ValidationError, match="has been in a payment run"):
        dp_schedule_set_frequency(schedule=schedule, actor=team.ann, frequency="monthly")

    assert schedule.instalments.count() == 1  # what the run paid and the bank returned is kept
