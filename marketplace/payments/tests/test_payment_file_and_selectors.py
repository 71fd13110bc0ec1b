"""The payment file's layout, and the reads: the preview, a council's runs, remittances, prompt payment."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.http import Http404

from marketplace.payments import runs
from marketplace.payments.models import PaymentItem, PaymentRun, PaymentSettings, PaymentStatus
from marketplace.payments.payment_file import PAYMENT_FILE_COLUMNS, payment_file_csv
from marketplace.payments.selectors import payments_for_payee, prompt_payment, run_get_for, run_preview
from marketplace.payments.tests.factories import (
    allocation,
    approved_invoice,
    finance,
    provider,
    verified_account,
)

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def paid(db):  # type: ignore[no-untyped-def]
    """Northshire pays Sunrise (verified) two invoices; Brand New Care has no verified account."""
    team = finance()
    tom = allocation(team.council)
    sunrise = provider(team.council)
    verified_account(team.council, checked_by=(team.ann, team.ben), **sunrise.payee)
    approved_invoice(tom, sunrise, amount="120.50", approver=team.lena)
    approved_invoice(tom, sunrise, amount="79.50", approver=team.lena)
    approved_invoice(tom, provider(team.council, "Brand New Care"), amount="10.00", approver=team.lena)
    PaymentSettings.objects.create(council=team.council, finance_code="CYP-DP-4410")
    run = runs.run_prepare(council=team.council, actor=team.ann)
    runs.run_authorise(run=run, actor=team.ben)
    return team, sunrise, runs.run_execute(run=run, actor=team.ben)


def test_the_payment_file_has_one_line_per_sent_payment_with_the_full_details(paid):
    team, sunrise, run = paid

    rows = list(csv.reader(io.StringIO(payment_file_csv(run))))

    assert tuple(rows[0]) == PAYMENT_FILE_COLUMNS
    payment = run.payments.get(status=PaymentStatus.SENT)
    assert rows[1:] == [
        [
            "Account holder",
            "123456",
            "31926819",
            "",
            "200.00",
            payment.remittance_reference,
            "CYP-DP-4410",
            run.pay_on.isoformat(),
            str(payment.public_id),
        ]
    ]


def test_the_payment_file_is_the_same_after_the_bank_confirms(paid):
    team, _, run = paid
    before = payment_file_csv(run)

    runs.run_confirm_rest_paid(run=run, actor=team.ann)

    assert payment_file_csv(run) == before


def test_the_preview_shows_payees_totals_and_held_payees_without_writing(db):
    team = finance()
    tom = allocation(team.council)
    sunrise = provider(team.council)
    verified_account(team.council, checked_by=(team.ann, team.ben), **sunrise.payee)
    approved_invoice(tom, sunrise, amount="100.00", approver=team.lena)
    approved_invoice(tom, provider(team.council, "Brand New Care"), amount="40.00", approver=team.lena)

    preview = run_preview(council=team.council, pay_on=datetime.date(2026, 12, 25))

    assert preview.pay_on == datetime.date(2026, 12, 29)
    assert [group.name for group in preview.to_pay] == ["Sunrise Care"]
    assert [group.name for group in preview.held] == ["Brand New Care"]
    assert (preview.total, preview.held_total, preview.item_count) == (D("100.00"), D("40.00"), 2)
    assert not PaymentRun.objects.exists() and not PaymentItem.objects.exists()


def test_a_run_is_found_only_by_its_own_councils_finance_officers(paid):
    team, sunrise, run = paid
    other = finance("Southshire")

    assert run_get_for(user=team.ann, council=team.council, public_id=run.public_id) == run
    with pytest.raises(Http404):
        run_get_for(user=other.ann, council=other.council, public_id=run.public_id)
    with pytest.raises(Http404):
        run_get_for(user=other.ann, council=team.council, public_id=run.public_id)
    with pytest.raises(Http404):
        run_get_for(user=team.lena, council=team.council, public_id=run.public_id)


def test_a_payee_sees_its_remittances_and_no_one_elses(paid):
    team, sunrise, run = paid

    (payment,) = payments_for_payee(provider_organisation=sunrise.organisation)

    assert payment.amount == D("200.00")
    other = provider(team.council, "Other Care")
    assert not payments_for_payee(provider_organisation=other.organisation).exists()


def test_prompt_payment_counts_invoices_paid_within_30_days_of_receipt(paid):
    team, sunrise, run = paid
    late = PaymentItem.objects.filter(payment__status=PaymentStatus.SENT).first().invoice
    late.submitted_at -= datetime.timedelta(days=45)
    late.save(update_fields=["submitted_at"])
    today = datetime.date.today()

    figures = prompt_payment(council=team.council, start=today - datetime.timedelta(days=1), end=today)

    assert (figures.paid, figures.paid_within_terms, figures.share) == (2, 1, D("0.500"))
    empty = prompt_payment(council=team.council, start=datetime.date(2020, 1, 1), end=datetime.date(2020, 1, 31))
    assert (empty.paid, empty.share) == (0, None)
