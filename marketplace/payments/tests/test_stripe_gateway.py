"""The requests the Stripe SDK sends for Connect (which localstripe does not have), checked exactly at a
local HTTP recorder: transfers with their idempotency keys and transfer groups, listing a run's transfers
page by page, opening Express accounts and their onboarding links."""

import pytest

from accounts.models import AuditEvent
from accounts.tests.factories import CouncilFactory, OrganisationFactory, UserFactory
from marketplace.payments.exceptions import GatewayError
from marketplace.payments.models import ConnectedAccount, PaymentSettings
from marketplace.payments.stripe_gateway import (
    account_refresh,
    connect_account_create,
    connect_account_sync,
    connect_onboarding_link,
    stripe_client,
    transfer_send,
    transfers_already_made,
)
from marketplace.payments.tests.stripe_support import (
    SECRET_KEY,
    connected_account,
    payment_run,
    stripe_council,
    stripe_payment,
)
from providers.tests.factories import PersonalAssistantProfileFactory

pytestmark = pytest.mark.django_db


def _transfer(transfer_id: str, payment_id: str) -> dict:
    return {"id": transfer_id, "object": "transfer", "amount": 100, "metadata": {"payment_id": payment_id}}


def _account(account_id: str = "acct_new", **state) -> dict:  # type: ignore[no-untyped-def]
    return {"id": account_id, "object": "account", "type": "express", **state}


# --- The client ---------------------------------------------------------------------------------------


def test_the_client_uses_the_councils_key_and_api_base(recorder):
    council = stripe_council(api_base=recorder.url)
    recorder.reply("GET", "/v1/balance", {"object": "balance", "available": [], "pending": []})

    stripe_client(council).v1.balance.retrieve()

    assert recorder.requests[0].headers["authorization"] == f"Bearer {SECRET_KEY}"


def test_the_client_falls_back_to_the_environment_defaults(recorder, settings):
    settings.STRIPE_SECRET_KEY, settings.STRIPE_API_BASE = "sk_test_from_env", recorder.url
    recorder.reply("GET", "/v1/balance", {"object": "balance", "available": [], "pending": []})

    stripe_client(CouncilFactory()).v1.balance.retrieve()

    assert recorder.requests[0].headers["authorization"] == "Bearer sk_test_from_env"


def test_a_council_without_a_stripe_key_cannot_pay_through_stripe(settings):
    settings.STRIPE_SECRET_KEY = ""
    council = CouncilFactory()
    PaymentSettings.objects.create(council=council, gateway="stripe_connect")

    with pytest.raises(GatewayError, match="no Stripe secret key"):
        stripe_client(council)


# --- Transfers ---------------------------------------------------------------------------------------


def test_a_transfer_is_sent_in_pence_to_the_connected_account_with_the_runs_group_and_the_payments_key(recorder):
    council = stripe_council(api_base=recorder.url)
    run = payment_run(council)
    payment = stripe_payment(run, connected_account(council, "acct_payee"), amount="123.45")
    recorder.reply("POST", "/v1/transfers", _transfer("tr_1", str(payment.public_id)))

    transfer_id = transfer_send(payment=payment)

    assert transfer_id == "tr_1"
    [sent] = recorder.requests
    assert (sent.method, sent.path) == ("POST", "/v1/transfers")
    assert sent.form == {
        "amount": "12345",
        "currency": "gbp",
        "destination": "acct_payee",
        "transfer_group": f"run-{run.public_id}",
        "description": "PR-2026-0001 SE-PR0001-01",
        "metadata[payment_id]": str(payment.public_id),
        "metadata[run]": "PR-2026-0001",
    }
    assert sent.headers["idempotency-key"] == f"run-{run.public_id}-payment-{payment.public_id}"
    assert "stripe-account" not in sent.headers  # from the council's own balance, not the payee's


def test_sending_the_same_payment_again_carries_the_same_idempotency_key(recorder):
    council = stripe_council(api_base=recorder.url)
    payment = stripe_payment(payment_run(council), connected_account(council))
    recorder.reply("POST", "/v1/transfers", _transfer("tr_1", str(payment.public_id)))

    assert transfer_send(payment=payment) == transfer_send(payment=payment) == "tr_1"

    keys = {request.headers["idempotency-key"] for request in recorder.requests}
    assert keys == {payment.idempotency_key}


def test_a_refused_transfer_is_a_gateway_error_in_plain_words(recorder):
    council = stripe_council(api_base=recorder.url)
    payment = stripe_payment(payment_run(council), connected_account(council), amount="50.00")
    refusal = {
        "error": {"type": "invalid_request_error", "code": "balance_insufficient", "message": "Not enough funds"}
    }
    recorder.reply("POST", "/v1/transfers", refusal, status=400)

    with pytest.raises(GatewayError) as error:
        transfer_send(payment=payment)

    assert str(error.value) == f"Stripe refused the transfer of £50.00 to {payment.payee_name}: Not enough funds"


def test_a_payment_without_a_connected_account_is_not_sent(recorder):
    council = stripe_council(api_base=recorder.url)
    payment = stripe_payment(payment_run(council), connected_account(council))
    payment.connected_account = None

    with pytest.raises(GatewayError, match="has no Stripe account"):
        transfer_send(payment=payment)
    assert recorder.requests == []


def test_a_resumed_run_finds_its_transfers_on_every_page_of_its_transfer_group(recorder):
    council = stripe_council(api_base=recorder.url)
    run = payment_run(council)
    first_page = [_transfer("tr_3", "p3"), _transfer("tr_2", "p2")]
    recorder.reply(
        "GET", "/v1/transfers", {"object": "list", "url": "/v1/transfers", "has_more": True, "data": first_page}
    )
    second_page = [_transfer("tr_1", "p1"), {"id": "tr_other", "object": "transfer", "metadata": {}}]
    recorder.reply(
        "GET", "/v1/transfers", {"object": "list", "url": "/v1/transfers", "has_more": False, "data": second_page}
    )

    made = transfers_already_made(run=run)

    assert made == {"p3": "tr_3", "p2": "tr_2", "p1": "tr_1"}
    first, second = recorder.requests
    assert first.query == {"transfer_group": f"run-{run.public_id}", "limit": "100"}
    assert second.query == {"transfer_group": f"run-{run.public_id}", "limit": "100", "starting_after": "tr_2"}
    assert first.method == second.method == "GET"


# --- Connected accounts --------------------------------------------------------------------------------


def test_a_provider_gets_an_express_account_in_gb_that_can_receive_transfers(recorder):
    council = stripe_council(api_base=recorder.url)
    provider, actor = OrganisationFactory(council=council), UserFactory()
    recorder.reply("POST", "/v1/accounts", _account("acct_new", details_submitted=False))

    account = connect_account_create(council=council, actor=actor, provider_organisation=provider)

    assert (account.stripe_account_id, account.provider_organisation, account.created_by) == (
        "acct_new",
        provider,
        actor,
    )
    [sent] = recorder.requests
    assert sent.form == {
        "type": "express",
        "country": "GB",
        "default_currency": "gbp",
        "capabilities[transfers][requested]": "true",
        "metadata[council]": str(council.public_id),
        "metadata[provider_organisation]": str(provider.public_id),
    }
    assert sent.headers["idempotency-key"] == f"connect-{council.public_id}-provider_organisation-{provider.public_id}"
    assert AuditEvent.objects.filter(
        action="payments.connected_account_created", target_id=str(account.public_id)
    ).exists()


def test_a_personal_assistant_gets_their_own_account(recorder):
    council = stripe_council(api_base=recorder.url)
    assistant = PersonalAssistantProfileFactory(council=council)
    recorder.reply("POST", "/v1/accounts", _account("acct_pa"))

    account = connect_account_create(council=council, actor=assistant.user, personal_assistant=assistant)

    assert account.personal_assistant == assistant
    assert recorder.requests[0].form["metadata[personal_assistant]"] == str(assistant.public_id)


def test_opening_an_account_again_reuses_the_one_already_opened(recorder):
    council = stripe_council(api_base=recorder.url)
    existing = connected_account(council, "acct_existing")

    again = connect_account_create(
        council=council, actor=UserFactory(), provider_organisation=existing.provider_organisation
    )

    assert again == existing
    assert recorder.requests == []
    assert ConnectedAccount.objects.count() == 1


def test_the_onboarding_link_is_an_account_onboarding_link_for_the_account(recorder):
    council = stripe_council(api_base=recorder.url)
    account = connected_account(council, "acct_payee")
    link = {"object": "account_link", "url": "https://connect.stripe.com/setup/e/acct_payee/x1", "expires_at": 1}
    recorder.reply("POST", "/v1/account_links", link)

    url = connect_onboarding_link(
        account=account, refresh_url="https://se.test/refresh/", return_url="https://se.test/return/"
    )

    assert url == "https://connect.stripe.com/setup/e/acct_payee/x1"
    assert recorder.requests[0].form == {
        "account": "acct_payee",
        "refresh_url": "https://se.test/refresh/",
        "return_url": "https://se.test/return/",
        "type": "account_onboarding",
    }


def test_an_account_object_sets_what_the_account_can_do_and_what_stripe_still_needs():
    account = connected_account(stripe_council())
    data = {
        "details_submitted": True,
        "charges_enabled": False,
        "payouts_enabled": True,
        "requirements": {"currently_due": []},
    }

    account_refresh(account=account, data=data)

    account.refresh_from_db()
    assert account.can_receive_transfers and not account.charges_enabled and account.requirements_due == []
    assert AuditEvent.objects.filter(action="payments.connected_account_ready").count() == 1


def test_coming_back_from_stripe_reads_the_accounts_state_now(recorder):
    council = stripe_council(api_base=recorder.url)
    account = connected_account(council, "acct_payee")
    due = {"currently_due": ["external_account"]}
    recorder.reply("GET", "/v1/accounts/acct_payee", _account("acct_payee", details_submitted=True, requirements=due))

    connect_account_sync(account=account)

    account.refresh_from_db()
    assert account.details_submitted and account.requirements_due == ["external_account"]
    assert not account.can_receive_transfers
