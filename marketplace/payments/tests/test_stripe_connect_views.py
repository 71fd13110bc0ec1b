"""The providers' "Get paid through Stripe" page: who may use it, what it shows, and the round trip to
Stripe's sign-up pages (Stripe's side answered by the local recorder)."""

import pytest
from django.test import Client
from django.urls import reverse

from accounts.roles import Role
from accounts.tests.factories import CouncilFactory, OrganisationFactory, user_with_role
from marketplace.payments.models import ConnectedAccount
from marketplace.payments.tests.stripe_support import connected_account, stripe_council
from providers.tests.factories import PersonalAssistantProfileFactory

pytestmark = pytest.mark.django_db

LINK = {"object": "account_link", "url": "https://connect.stripe.com/setup/e/acct_new/x1", "expires_at": 1}
CONNECT = reverse("stripe:connect")


def _staff(council):  # type: ignore[no-untyped-def]
    return user_with_role(Role.PROVIDER_STAFF, organisation=OrganisationFactory(council=council))


def _signed_in(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("url", [CONNECT, reverse("stripe:connect-return"), reverse("stripe:connect-refresh")])
def test_the_pages_need_signing_in(access, url):
    access.sign_in_required(url)


@pytest.mark.parametrize("role", [Role.FAMILY_MEMBER, Role.FINANCE_OFFICER, Role.COUNCIL_ADMIN, Role.BROKER])
def test_only_providers_and_personal_assistants_may_use_the_page(access, role):
    access.forbidden(user_with_role(role), CONNECT)
    access.forbidden(user_with_role(role), CONNECT, method="post")
    access.forbidden(user_with_role(role), reverse("stripe:connect-return"))


def test_a_council_paying_by_bank_transfer_leaves_nothing_to_do():
    response = _signed_in(_staff(CouncilFactory())).get(CONNECT)

    assert response.status_code == 200
    assert "pays by bank transfer" in response.content.decode()
    assert "Set up your Stripe account" not in response.content.decode()


def test_the_button_opens_an_account_and_sends_the_provider_to_stripes_sign_up(recorder):
    council = stripe_council(api_base=recorder.url)
    user = _staff(council)
    client = _signed_in(user)
    assert "Not started" in client.get(CONNECT).content.decode()
    recorder.reply("POST", "/v1/accounts", {"id": "acct_new", "object": "account"})
    recorder.reply("POST", "/v1/account_links", LINK)

    response = client.post(CONNECT)

    assert response.status_code == 302 and response["Location"] == LINK["url"]
    account = ConnectedAccount.objects.get()
    assert (account.stripe_account_id, account.provider_organisation, account.council) == (
        "acct_new",
        user.memberships.get().organisation,
        council,
    )
    link_request = recorder.requests[-1].form
    assert link_request["return_url"] == "http://testserver" + reverse("stripe:connect-return")
    assert link_request["refresh_url"] == "http://testserver" + reverse("stripe:connect-refresh")


def test_a_personal_assistant_opens_an_account_with_the_council_of_their_register(recorder):
    council = stripe_council(api_base=recorder.url)
    user = user_with_role(Role.PERSONAL_ASSISTANT, organisation=council)
    assistant = PersonalAssistantProfileFactory(user=user, council=council)
    recorder.reply("POST", "/v1/accounts", {"id": "acct_pa", "object": "account"})
    recorder.reply("POST", "/v1/account_links", LINK)

    _signed_in(user).post(CONNECT)

    assert ConnectedAccount.objects.get().personal_assistant == assistant


def test_the_page_shows_what_stripe_still_needs_and_another_providers_account_is_not_theirs():
    council = stripe_council()
    account = connected_account(council, "acct_1", details_submitted=True, requirements_due=["external_account"])
    owner = user_with_role(Role.PROVIDER_STAFF, organisation=account.provider_organisation)

    page = _signed_in(owner).get(CONNECT).content.decode()
    other = _signed_in(_staff(council)).get(CONNECT).content.decode()

    assert "Details needed" in page and "External account" in page
    assert "Not started" in other and "External account" not in other


def test_a_ready_account_says_so():
    council = stripe_council()
    account = connected_account(council, "acct_1", details_submitted=True, payouts_enabled=True)
    owner = user_with_role(Role.PROVIDER_STAFF, organisation=account.provider_organisation)

    assert "Ready to receive payments" in _signed_in(owner).get(CONNECT).content.decode()


def test_a_refusal_from_stripe_is_shown_in_an_error_summary(recorder):
    council = stripe_council(api_base=recorder.url)
    refusal = {"error": {"type": "invalid_request_error", "message": "Connect is not enabled on this account"}}
    recorder.reply("POST", "/v1/accounts", refusal, status=400)

    response = _signed_in(_staff(council)).post(CONNECT)

    page = response.content.decode()
    assert response.status_code == 400
    assert "<title>Error: " in page and "govuk-error-summary" in page
    assert "Connect is not enabled on this account" in page
    assert not ConnectedAccount.objects.exists()


def test_coming_back_from_stripe_reads_the_account_and_returns_to_the_page(recorder):
    council = stripe_council(api_base=recorder.url)
    account = connected_account(council, "acct_1")
    owner = user_with_role(Role.PROVIDER_STAFF, organisation=account.provider_organisation)
    state = {"id": "acct_1", "object": "account", "details_submitted": True, "payouts_enabled": True}
    recorder.reply("GET", "/v1/accounts/acct_1", state)

    response = _signed_in(owner).get(reverse("stripe:connect-return"), follow=True)

    assert response.redirect_chain == [(CONNECT, 302)]
    assert "Your Stripe account is ready to receive payments" in response.content.decode()
    account.refresh_from_db()
    assert account.can_receive_transfers


def test_an_expired_sign_up_link_is_replaced_by_a_new_one(recorder):
    council = stripe_council(api_base=recorder.url)
    account = connected_account(council, "acct_1")
    owner = user_with_role(Role.PROVIDER_STAFF, organisation=account.provider_organisation)
    recorder.reply("POST", "/v1/account_links", LINK)

    response = _signed_in(owner).get(reverse("stripe:connect-refresh"))

    assert response.status_code == 302 and response["Location"] == LINK["url"]
    assert recorder.requests[0].form["account"] == "acct_1"


def test_the_provider_dashboard_links_to_the_page():
    response = _signed_in(_staff(CouncilFactory())).get(reverse("providers:dashboard"))

    assert CONNECT in response.content.decode()
