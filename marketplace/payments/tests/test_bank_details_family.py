"""A family's direct-payment account: Tom's mother (who holds consent) or Alice, his lead professional,
give the bank details; Bob, a lead professional Tom's mother never agreed to, and another council's
finance officer get 404; a commissioner's role has no such page (403)."""

import pytest
from django.urls import reverse

from accounts.models import Notification
from accounts.roles import Role
from accounts.tests.factories import user_with_role
from brokerage.models import RecordView
from brokerage.tests.test_direct_payments import dp  # noqa: F401  (the fixture)
from brokerage.tests.test_views_people import case  # noqa: F401  (the fixture)
from marketplace.payments.bank_accounts import bank_details_approve, bank_details_record_callback, bank_details_submit
from marketplace.payments.models import BankAccount, BankAccountStatus
from marketplace.payments.tests.bank_fixtures import ACCOUNT_NUMBER, FULL_NUMBERS, SORT_CODE

pytestmark = pytest.mark.django_db

GOOD = {"account_name": "Sarah Walsh", "sort_code": SORT_CODE, "account_number": ACCOUNT_NUMBER}


def family_url(person) -> str:  # type: ignore[no-untyped-def]
    return reverse("bank_details:family", args=[person.public_id])


def test_the_consent_holder_gives_the_direct_payment_account_and_finance_is_told(client, case):  # noqa: F811
    finance = user_with_role(Role.FINANCE_OFFICER, case.council)
    client.force_login(case.mother)
    response = client.post(family_url(case.person), GOOD, follow=True)
    account = BankAccount.objects.get(family=case.person)
    assert account.council == case.council and account.status == BankAccountStatus.AWAITING_CALLBACK
    assert Notification.objects.filter(recipient=finance, link=f"/payments/bank-details/{account.public_id}/").exists()
    assert not [number for number in FULL_NUMBERS if number in response.content.decode()]


def test_the_lead_professional_with_access_may_give_the_details_and_the_look_is_logged(client, case):  # noqa: F811
    client.force_login(case.alice)
    client.post(family_url(case.person), GOOD)
    assert BankAccount.objects.get(family=case.person).entered_by == case.alice
    assert RecordView.objects.filter(person=case.person, viewer=case.alice).exists()


def test_the_family_is_told_when_their_account_is_verified(case):  # noqa: F811
    ann, ben = (user_with_role(Role.FINANCE_OFFICER, case.council) for _ in range(2))
    account = bank_details_submit(actor=case.mother, council=case.council, family=case.person, **GOOD)
    bank_details_record_callback(account=account, actor=ann, note="Called Sarah on her number on record")
    bank_details_approve(account=account, actor=ben)
    assert Notification.objects.filter(recipient=case.mother, subject="Your new bank details are verified").exists()


def test_who_may_see_a_familys_bank_details(access, case):  # noqa: F811
    url = family_url(case.person)
    access.ok(case.mother, url)
    access.ok(user_with_role(Role.FINANCE_OFFICER, case.council), url)
    access.not_found(case.bob, url)
    access.not_found(case.carol, url)
    access.not_found(user_with_role(Role.FINANCE_OFFICER), url)
    access.forbidden(case.commissioner, url)
    access.sign_in_required(url)


def test_the_direct_payments_page_links_to_the_familys_bank_details(client, dp):  # noqa: F811
    client.force_login(dp.mother)
    page = client.get(reverse("brokerage:direct-payments", args=[dp.budget.public_id])).content.decode()
    assert family_url(dp.person) in page
