"""The bank-details pages: the payee's page and its form, the finance officers' queue, its CSV download
and each record's call-back and approval; only masked numbers in any page, each look audited.

Pat works for the provider Sunrise Care; Ann and Ben are Northshire's finance officers; Cleo is a
finance officer of another council.
"""

import pytest
from django.urls import reverse

from accounts.models import AuditEvent
from accounts.roles import Role
from accounts.tests.factories import user_with_role
from marketplace.payments.bank_accounts import bank_details_record_callback
from marketplace.payments.models import BankAccount, BankAccountStatus
from marketplace.payments.payees import payee_change_pending
from marketplace.payments.tests.bank_fixtures import ACCOUNT_NUMBER, FULL_NUMBERS, SORT_CODE, Bank, bank_make
from providers.tests.factories import PersonalAssistantProfileFactory

pytestmark = pytest.mark.django_db

OWN = reverse("bank_details:own")
QUEUE = reverse("bank_details:queue")
EXPORT = reverse("bank_details:queue-export")
GOOD = {"account_name": "Sunrise Care Ltd", "sort_code": SORT_CODE, "account_number": ACCOUNT_NUMBER}


@pytest.fixture
def bank() -> Bank:
    return bank_make()


def shows_no_full_number(response) -> bool:  # type: ignore[no-untyped-def]
    content = response.content.decode()
    return not [number for number in FULL_NUMBERS if number in content]


def detail_url(account: BankAccount, action: str = "detail") -> str:
    return reverse(f"bank_details:{action}", args=[account.public_id])


def test_a_provider_gives_bank_details_and_payments_are_held_until_they_are_checked(client, bank):
    client.force_login(bank.pat)
    response = client.post(OWN, GOOD, follow=True)
    account = BankAccount.objects.get(provider_organisation=bank.provider)
    assert account.status == BankAccountStatus.AWAITING_CALLBACK
    assert payee_change_pending(provider_organisation=bank.provider)
    assert "Payments are held" in response.content.decode()
    assert "••••6819" in response.content.decode()
    assert shows_no_full_number(response)


def test_bad_details_come_back_with_an_error_summary_and_without_the_numbers_typed(client, bank):
    client.force_login(bank.pat)
    response = client.post(OWN, {"account_name": "", "sort_code": "12-34-5", "account_number": "31926819"})
    content = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: " in content
    assert "govuk-error-summary" in content
    assert 'href="#id_sort_code"' in content and "Enter a valid sort code" in content
    assert "Enter the name on the account" in content
    assert "31926819" not in content and "12-34-5" not in content
    assert not BankAccount.objects.exists()


def test_every_page_of_the_journey_shows_only_masked_numbers(client, bank):
    pages = []
    client.force_login(bank.pat)
    pages.append(client.post(OWN, GOOD, follow=True))
    account = BankAccount.objects.get()
    client.force_login(bank.ann)
    pages += [client.get(QUEUE), client.get(EXPORT), client.get(detail_url(account))]
    pages.append(client.post(detail_url(account, "callback"), {"note": "Called Pat on 024 7600 0001"}, follow=True))
    client.force_login(bank.ben)
    pages.append(client.post(detail_url(account, "approve"), follow=True))
    pages.append(client.get(f"{QUEUE}?state=verified"))
    client.force_login(bank.pat)
    pages.append(client.get(OWN))
    assert [page.status_code for page in pages] == [200] * len(pages)
    assert all(shows_no_full_number(page) for page in pages)
    assert BankAccount.objects.get().status == BankAccountStatus.VERIFIED


def test_the_queue_lists_waiting_details_with_their_age_and_filters_by_state(client, bank):
    bank.submit()
    client.force_login(bank.ann)
    waiting = client.get(QUEUE).content.decode()
    assert "Sunrise Care" in waiting and "Waiting for a call-back" in waiting
    assert "Sunrise Care" not in client.get(f"{QUEUE}?state=verified").content.decode()


def test_the_queue_downloads_as_csv_with_masked_numbers_and_the_download_is_audited(client, bank):
    bank.submit()
    client.force_login(bank.ann)
    response = client.get(EXPORT)
    rows = response.content.decode("utf-8-sig").splitlines()
    assert response["Content-Type"].startswith("text/csv")
    assert rows[0].startswith("Reference,Payee,Kind of payee")
    assert "Sunrise Care" in rows[1] and "••••6819" in rows[1] and "••-••-56" in rows[1]
    assert AuditEvent.objects.filter(action="bank_details.exported", actor=bank.ann).exists()


def test_the_record_page_shows_the_contact_details_on_record_and_is_audited(client, bank):
    account = bank.submit()
    client.force_login(bank.ann)
    content = client.get(detail_url(account)).content.decode()
    assert "024 7600 0001" in content  # the organisation's number, already on record
    assert AuditEvent.objects.filter(action="bank_account.viewed", actor=bank.ann).exists()


def test_the_officer_who_called_back_is_refused_approval_on_the_page(client, bank):
    account = bank_details_record_callback(account=bank.submit(), actor=bank.ann, note="Called Pat")
    client.force_login(bank.ann)
    response = client.post(detail_url(account, "approve"))
    content = response.content.decode()
    assert "<title>Error: " in content and "second finance officer must approve" in content
    assert BankAccount.objects.get().status == BankAccountStatus.AWAITING_APPROVAL


def test_a_call_back_without_a_note_comes_back_with_an_error_summary(client, bank):
    account = bank.submit()
    client.force_login(bank.ann)
    content = client.post(detail_url(account, "callback"), {"note": ""}).content.decode()
    assert "<title>Error: " in content and 'href="#id_note"' in content
    assert BankAccount.objects.get().status == BankAccountStatus.AWAITING_CALLBACK


def test_a_rejection_without_a_reason_comes_back_with_an_error_summary(client, bank):
    account = bank.submit()
    client.force_login(bank.ann)
    content = client.post(detail_url(account, "reject"), {"reason": ""}).content.decode()
    assert "<title>Error: " in content and 'href="#id_reason"' in content


def test_a_rejection_tells_the_payee_why_on_their_page(client, bank):
    account = bank.submit()
    client.force_login(bank.ann)
    client.post(detail_url(account, "reject"), {"reason": "Pat did not ask for this change"})
    client.force_login(bank.pat)
    assert "Pat did not ask for this change" in client.get(OWN).content.decode()


def test_a_personal_assistant_gives_their_own_bank_details(client, bank):
    pa = user_with_role(Role.PERSONAL_ASSISTANT, bank.council)
    profile = PersonalAssistantProfileFactory(user=pa, council=bank.council)
    client.force_login(pa)
    client.post(OWN, {**GOOD, "account_name": "Sam Kaur"})
    assert BankAccount.objects.get(personal_assistant=profile).council == bank.council


# --- Who may use which page -------------------------------------------------------------------------


def test_only_finance_officers_use_the_queue_and_records(access, bank):
    account = bank.submit()
    for url in (QUEUE, EXPORT, detail_url(account)):
        access.forbidden(bank.pat, url)
        access.sign_in_required(url)
    for action in ("callback", "approve", "reject"):
        access.forbidden(bank.pat, detail_url(account, action), method="post")


def test_another_councils_finance_officer_gets_404_for_every_record_url(access, client, bank):
    account = bank.submit()
    access.not_found(bank.cleo, detail_url(account))
    for action in ("callback", "approve", "reject"):
        access.not_found(bank.cleo, detail_url(account, action), method="post")
    client.force_login(bank.cleo)
    assert "Sunrise Care" not in client.get(QUEUE).content.decode()
    assert "Sunrise Care" not in client.get(EXPORT).content.decode()


def test_only_providers_and_personal_assistants_have_their_own_bank_details_page(access, bank):
    access.forbidden(bank.ann, OWN)
    access.ok(bank.pat, OWN)
    access.sign_in_required(OWN)
