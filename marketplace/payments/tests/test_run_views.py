"""The payment-run screens: who may open them, preparing from the preview, dual authorisation, paying with a
progress bar, the audited payment file, confirming what the bank did (one by one, the rest at once, or from
the bank's file) and the CSV downloads; and the prompt-payment figures."""

from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEvent
from accounts.roles import Role
from accounts.tests.factories import user_with_role
from marketplace.payments import views
from marketplace.payments.models import Payment, PaymentRun, PaymentStatus, RunStatus
from marketplace.payments.tests.run_screen_data import approved_invoice, finance, run_with_payment

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():  # type: ignore[no-untyped-def]
    return finance()


def signed_in(client, user):  # type: ignore[no-untyped-def]
    client.force_login(user)
    return client


def run_urls(run: PaymentRun) -> list[str]:
    payment = run.payments.get()
    names = ["run", "run-progress", "run-cancel", "run-payments-export", "run-confirmations"]
    urls = [reverse(f"payments:{name}", args=[run.public_id]) for name in names]
    return [*urls, reverse("payments:payment-confirm", args=[run.public_id, payment.public_id])]


PAGES = ["payments:runs", "payments:runs-export", "payments:run-prepare"]
BUTTONS = ["run-authorise", "run-pay", "run-rest-paid"]


# --- Who may open them ---------------------------------------------------------------------------------


def test_finance_officers_of_the_council_open_every_run_page(access, people):
    run = run_with_payment(people)
    for url in [reverse(name) for name in PAGES] + run_urls(run):
        access.ok(people.ben, url)


def test_other_roles_are_refused_the_run_pages(access, people):
    run = run_with_payment(people)
    for user in (people.cathy, people.sunrise.staff, people.tom.parent):
        for url in [reverse(name) for name in PAGES] + run_urls(run):
            access.forbidden(user, url)


def test_another_councils_finance_officer_gets_404_for_the_run(access, people):
    run = run_with_payment(people, status=RunStatus.SENT, payment_status=PaymentStatus.SENT)
    for url in [*run_urls(run), reverse("payments:run-payment-file", args=[run.public_id])]:
        access.not_found(people.cleo, url)
    for name in BUTTONS:
        access.not_found(people.cleo, reverse(f"payments:{name}", args=[run.public_id]), method="post")


def test_visitors_are_asked_to_sign_in(access, people):
    run = run_with_payment(people)
    for url in [reverse(name) for name in PAGES] + run_urls(run):
        access.sign_in_required(url)


def test_other_roles_and_visitors_are_refused_the_run_buttons_and_the_payment_file(access, people):
    run = run_with_payment(people, status=RunStatus.SENT, payment_status=PaymentStatus.SENT)
    payment_file = reverse("payments:run-payment-file", args=[run.public_id])
    buttons = [reverse(f"payments:{name}", args=[run.public_id]) for name in BUTTONS]
    for user in (people.cathy, people.sunrise.staff):
        access.forbidden(user, payment_file)
        for url in buttons:
            access.forbidden(user, url, method="post")
    access.sign_in_required(payment_file)
    for url in buttons:
        access.sign_in_required(url, method="post")
    assert not AuditEvent.objects.filter(action="payment_file.downloaded").exists()
    assert PaymentRun.objects.get(pk=run.pk).status == RunStatus.SENT


def test_the_run_list_shows_the_councils_runs_only(client, people):
    run_with_payment(people)
    other = finance(council_name="Warwick District Council")
    run_with_payment(other, reference="PR-2026-0099")

    response = signed_in(client, people.ann).get(reverse("payments:runs"))

    assert "PR-2026-0001" in response.text
    assert "PR-2026-0099" not in response.text
    assert "Ann Able" in response.text


def test_the_run_list_downloads_as_csv(client, people):
    run_with_payment(people)

    response = signed_in(client, people.ann).get(reverse("payments:runs-export"))

    assert response["Content-Disposition"].startswith('attachment; filename="')
    assert "payment-runs" in response["Content-Disposition"]
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Reference,Status,Pay on,Total,Payments")
    assert lines[1].startswith("PR-2026-0001,")
    assert ",40.00,1,1,Ann Able," in lines[1]


# --- Preparing ---------------------------------------------------------------------------------------


def test_the_preview_shows_each_payee_with_the_masked_account_and_the_total(client, people):
    approved_invoice(people)

    response = signed_in(client, people.ann).get(reverse("payments:run-prepare"))

    assert "Sunrise Tutors" in response.text
    assert "**-**-56 ****6819" in response.text
    assert "31926819" not in response.text
    assert "Invoice ST-101" in response.text
    assert "£40.00" in response.text
    assert "Prepare the payment run for" in response.text


def test_a_payee_without_verified_details_is_shown_held(client, people):
    people.bank_account.delete()
    approved_invoice(people)

    response = signed_in(client, people.ann).get(reverse("payments:run-prepare"))

    assert "bank details awaiting verification" in response.text
    assert "Prepare the payment run for" not in response.text


def test_preparing_records_the_run_and_goes_to_its_page(client, people):
    approved_invoice(people)
    pay_on = timezone.localdate() + timezone.timedelta(days=7)

    response = signed_in(client, people.ann).post(
        reverse("payments:run-prepare"), {"pay_on": pay_on.strftime("%d/%m/%Y")}, follow=True
    )

    run = PaymentRun.objects.get(council=people.council)
    assert run.prepared_by == people.ann
    assert run.total == Decimal("40.00")
    assert response.redirect_chain[-1][0] == reverse("payments:run", args=[run.public_id])
    assert "A different finance officer must authorise it" in response.text


def test_preparing_with_nothing_to_pay_says_so(client, people):
    response = signed_in(client, people.ann).post(
        reverse("payments:run-prepare"), {"pay_on": timezone.localdate().strftime("%d/%m/%Y")}
    )

    assert response.status_code == 200
    assert "<title>Error: Prepare a payment run" in response.text
    assert "There is nothing to pay" in response.text
    assert not PaymentRun.objects.exists()


def test_a_pay_date_in_the_past_is_refused_on_the_field(client, people):
    approved_invoice(people)

    response = signed_in(client, people.ann).post(reverse("payments:run-prepare"), {"pay_on": "1/1/2020"})

    assert "The payment date must be today or in the future" in response.text
    assert 'href="#id_pay_on"' in response.text
    assert not PaymentRun.objects.exists()


# --- Authorising, cancelling, paying -----------------------------------------------------------------


def test_who_prepared_the_run_is_not_offered_authorisation_and_is_refused_it(client, people):
    run = run_with_payment(people)
    signed_in(client, people.ann)

    page = client.get(reverse("payments:run", args=[run.public_id]))
    response = client.post(reverse("payments:run-authorise", args=[run.public_id]), follow=True)

    assert "You prepared this run, so a different finance officer must authorise it" in page.text
    assert "Authorise £40.00" not in page.text
    assert "You prepared this run: a second finance officer must authorise it" in response.text
    run.refresh_from_db()
    assert run.status == RunStatus.PREPARED


def test_a_finance_officer_who_approved_an_invoice_in_the_run_is_refused_with_the_services_message(client, people):
    invoice = approved_invoice(people)
    invoice.decided_by = people.ben
    invoice.save(update_fields=["decided_by"])
    run = run_with_payment(people, invoice=invoice)

    response = signed_in(client, people.ben).post(reverse("payments:run-authorise", args=[run.public_id]), follow=True)

    assert "You approved invoice ST-101, which this run pays" in response.text
    run.refresh_from_db()
    assert run.status == RunStatus.PREPARED


def test_a_second_finance_officer_authorises_the_run(client, people):
    run = run_with_payment(people)
    signed_in(client, people.ben)

    assert "Authorise £40.00" in client.get(reverse("payments:run", args=[run.public_id])).text
    response = client.post(reverse("payments:run-authorise", args=[run.public_id]), follow=True)

    assert "You have authorised payment run PR-2026-0001" in response.text
    run.refresh_from_db()
    assert (run.status, run.authorised_by) == (RunStatus.AUTHORISED, people.ben)


def test_cancelling_needs_a_reason(client, people):
    run = run_with_payment(people)
    url = reverse("payments:run-cancel", args=[run.public_id])

    response = signed_in(client, people.ben).post(url, {"reason": ""})

    assert "<title>Error: Cancel payment run PR-2026-0001" in response.text
    assert "Say why you are cancelling the run" in response.text
    run.refresh_from_db()
    assert run.status == RunStatus.PREPARED


def test_cancelling_with_a_reason_cancels_the_run(client, people):
    run = run_with_payment(people)

    signed_in(client, people.ben).post(
        reverse("payments:run-cancel", args=[run.public_id]), {"reason": "Wrong date"}, follow=True
    )

    run.refresh_from_db()
    assert (run.status, run.cancel_reason) == (RunStatus.CANCELLED, "Wrong date")


def test_paying_a_prepared_run_that_is_not_authorised_is_refused(client, people):
    run = run_with_payment(people)

    response = signed_in(client, people.ben).post(reverse("payments:run-pay", args=[run.public_id]), follow=True)

    assert "Only an authorised run can be paid" in response.text
    run.refresh_from_db()
    assert run.status == RunStatus.PREPARED


def test_paying_runs_the_task_and_the_run_is_sent(client, people):
    approved_invoice(people)
    signed_in(client, people.ann).post(
        reverse("payments:run-prepare"), {"pay_on": timezone.localdate().strftime("%d/%m/%Y")}
    )
    run = PaymentRun.objects.get()
    client.force_login(people.ben)
    client.post(reverse("payments:run-authorise", args=[run.public_id]))

    response = client.post(reverse("payments:run-pay", args=[run.public_id]), follow=True)

    run.refresh_from_db()
    assert run.status == RunStatus.SENT
    assert (run.progress_done, run.progress_total) == (1, 1)
    assert "Download the payment file" in response.text
    assert "Mark the rest paid" in response.text


def test_pressing_pay_with_a_worker_queue_shows_the_progress_bar_before_the_worker_starts(client, people, monkeypatch):
    run = run_with_payment(people, status=RunStatus.AUTHORISED, progress_total=1)
    queued: list[dict] = []  # type: ignore[type-arg]
    monkeypatch.setattr(views, "run_execute_task", SimpleNamespace(enqueue=lambda **kwargs: queued.append(kwargs)))

    response = signed_in(client, people.ben).post(reverse("payments:run-pay", args=[run.public_id]), follow=True)

    run.refresh_from_db()
    assert queued == [{"run_id": run.pk, "actor_id": people.ben.pk}]
    assert run.status == RunStatus.PAYING
    assert "0 of 1 payment" in response.text
    assert 'hx-trigger="every 2s"' in response.text


def test_the_progress_fragment_polls_every_two_seconds_while_paying(client, people):
    run = run_with_payment(people, status=RunStatus.AUTHORISED, progress_done=123, progress_total=400)
    PaymentRun.objects.filter(pk=run.pk).update(status=RunStatus.PAYING)
    signed_in(client, people.ben)

    page = client.get(reverse("payments:run", args=[run.public_id]))
    fragment = client.get(reverse("payments:run-progress", args=[run.public_id]), headers={"HX-Request": "true"})

    assert "123 of 400 payments" in page.text
    assert 'hx-trigger="every 2s"' in page.text
    assert '<progress id="run-progress-bar" max="400" value="123">' in fragment.text
    assert 'hx-trigger="every 2s"' in fragment.text
    assert "<html" not in fragment.text
    assert "HX-Refresh" not in fragment.headers
    assert ">Refresh<" in page.text


def test_the_progress_fragment_stops_polling_and_reloads_the_page_once_paid(client, people):
    run = run_with_payment(
        people, status=RunStatus.SENT, payment_status=PaymentStatus.SENT, progress_done=1, progress_total=1
    )

    fragment = signed_in(client, people.ben).get(
        reverse("payments:run-progress", args=[run.public_id]), headers={"HX-Request": "true"}
    )

    assert "hx-trigger" not in fragment.text
    assert "1 of 1 payment" in fragment.text
    assert fragment.headers["HX-Refresh"] == "true"


# --- The payment file and the run's payments -------------------------------------------------------------


def test_downloading_the_payment_file_is_audited(client, people):
    run = run_with_payment(people, status=RunStatus.SENT, payment_status=PaymentStatus.SENT)

    response = signed_in(client, people.ben).get(reverse("payments:run-payment-file", args=[run.public_id]))

    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    assert disposition.startswith(f'attachment; filename="{people.council.slug}-payment-file-PR-2026-0001-')
    assert "31926819" in response.content.decode("utf-8-sig")
    event = AuditEvent.objects.get(action="payment_file.downloaded")
    assert (event.actor, event.target_id, event.council) == (people.ben, str(run.public_id), people.council)


def test_the_payment_file_is_not_there_before_the_run_is_paid(client, people):
    run = run_with_payment(people, status=RunStatus.AUTHORISED)

    response = signed_in(client, people.ben).get(reverse("payments:run-payment-file", args=[run.public_id]))

    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action="payment_file.downloaded").exists()


def test_the_runs_payments_download_with_masked_accounts_only(client, people):
    run = run_with_payment(people)

    response = signed_in(client, people.ben).get(reverse("payments:run-payments-export", args=[run.public_id]))

    text = response.content.decode("utf-8-sig")
    assert "PR-2026-0001" in response["Content-Disposition"]
    assert f"{people.sunrise.organisation.name},**-**-56 ****6819,Payment file,40.00,Waiting to be sent" in text
    assert "31926819" not in text


def test_the_run_page_shows_the_masked_account_never_the_number(client, people):
    run = run_with_payment(people)

    response = signed_in(client, people.ben).get(reverse("payments:run", args=[run.public_id]))

    assert "**-**-56 ****6819" in response.text
    assert "31926819" not in response.text


# --- Confirming what the bank did --------------------------------------------------------------------


def sent_run(people):  # type: ignore[no-untyped-def]
    return run_with_payment(
        people, status=RunStatus.SENT, payment_status=PaymentStatus.SENT, invoice=approved_invoice(people)
    )


def test_a_returned_payment_needs_a_reason(client, people):
    run = sent_run(people)
    payment = run.payments.get()
    url = reverse("payments:payment-confirm", args=[run.public_id, payment.public_id])

    response = signed_in(client, people.ben).post(url, {"outcome": "returned", "reason": ""})

    assert "<title>Error: " in response.text
    assert "Say why the bank rejected or returned the payment" in response.text
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.SENT


def test_marking_the_rest_paid_completes_the_run(client, people):
    run = sent_run(people)

    response = signed_in(client, people.ben).post(reverse("payments:run-rest-paid", args=[run.public_id]), follow=True)

    assert "You have marked the rest of payment run PR-2026-0001 paid" in response.text
    assert Payment.objects.get(run=run).status == PaymentStatus.PAID
    run.refresh_from_db()
    assert run.status == RunStatus.COMPLETED


def test_a_confirmation_file_with_errors_lists_them_by_line_and_changes_nothing(client, people):
    run = sent_run(people)
    csv_text = "payment_reference,outcome,reason\nPR-2026-0001-1,paid,\nPR-2026-0404-1,paid,\nPR-2026-0001-1,lost,\n"
    upload = _csv_upload(csv_text)

    response = signed_in(client, people.ben).post(
        reverse("payments:run-confirmations", args=[run.public_id]), {"confirmations": upload}
    )

    assert "<title>Error: Upload the bank" in response.text
    assert "Line 3: No payment PR-2026-0404-1 in run PR-2026-0001" in response.text
    assert "Line 4: " in response.text
    assert "Nothing was changed" in response.text
    assert Payment.objects.get(run=run).status == PaymentStatus.SENT


def test_a_correct_confirmation_file_is_applied(client, people):
    run = sent_run(people)
    upload = _csv_upload("payment_reference,outcome,reason\nPR-2026-0001-1,paid,\n")

    signed_in(client, people.ben).post(
        reverse("payments:run-confirmations", args=[run.public_id]), {"confirmations": upload}
    )

    assert Payment.objects.get(run=run).status == PaymentStatus.PAID


def _csv_upload(text: str):  # type: ignore[no-untyped-def]
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("confirmations.csv", text.encode(), content_type="text/csv")


# --- Prompt payment --------------------------------------------------------------------------------


def test_finance_officers_and_commissioners_see_prompt_payment_and_others_are_refused(access, people):
    for name in ("payments:prompt-payment", "payments:prompt-payment-export"):
        url = reverse(name)
        access.ok(people.ann, url)
        access.ok(people.cathy, url)
        access.forbidden(people.sunrise.staff, url)
        access.forbidden(user_with_role(Role.QA_OFFICER, people.council), url)
        access.sign_in_required(url)


def test_prompt_payment_shows_this_months_share_in_the_chart_the_table_and_the_csv(client, people):
    run = sent_run(people)
    Payment.objects.filter(run=run).update(sent_at=timezone.now())
    month = timezone.localdate().strftime("%B %Y")
    signed_in(client, people.cathy)

    page = client.get(reverse("payments:prompt-payment"))
    export = client.get(reverse("payments:prompt-payment-export"))

    assert page.text.count("No invoices paid") == 11
    assert f'<th scope="row" class="govuk-table__header">{month}</th>' in page.text
    assert 'role="img"' in page.text
    lines = export.content.decode("utf-8-sig").splitlines()
    assert len(lines) == 13
    assert lines[-1] == f"{timezone.localdate():%Y-%m},1,1,100"
