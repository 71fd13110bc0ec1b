"""The payment settings page (/payments/settings/): who may use it, the keys shown masked and never sent
back into a page, validation, keeping and removing keys, the audit row and the finance officers' warning,
and the "Check the Stripe connection" button (Stripe's side answered by the local recorder)."""

import html

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import Client
from django.urls import reverse

from accounts.models import AuditEvent, Notification
from accounts.roles import Role
from accounts.tests.factories import CouncilFactory, user_with_role
from marketplace.payments.council_settings import payment_settings_update, secret_mask
from marketplace.payments.models import Gateway, PaymentSettings

pytestmark = pytest.mark.django_db

SETTINGS = reverse("payments:settings")
CHECK = reverse("payments:settings-check-stripe")
SECRET_KEY = "sk_test_51HxAbCdEfGhIjKlMnOp4242"
NEW_SECRET_KEY = "sk_live_51HxQrStUvWxYzAbCdEf9999"
WEBHOOK_SECRET = "whsec_Zx9Yw8Vu7Ts6Rq5Po4Nm1234"
BALANCE = {
    "object": "balance",
    "livemode": False,
    "available": [{"amount": 1234567, "currency": "gbp"}],
    "pending": [],
}


def _signed_in(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def _stripe_settings(council, api_base: str = "") -> PaymentSettings:  # type: ignore[no-untyped-def]
    return PaymentSettings.objects.create(
        council=council,
        gateway=Gateway.STRIPE_CONNECT,
        stripe_secret_key=SECRET_KEY,
        stripe_webhook_secret=WEBHOOK_SECRET,
        stripe_api_base=api_base,
        finance_code="CYP-4410",
    )


def _form(**fields: object) -> dict[str, object]:
    return {"gateway": Gateway.PAYMENT_FILE, "finance_code": "", "secret_key": "", "webhook_secret": "", **fields}


@pytest.fixture
def council():  # type: ignore[no-untyped-def]
    return CouncilFactory()


@pytest.fixture
def alice(council):  # type: ignore[no-untyped-def]
    """A finance officer of the council."""
    return user_with_role(Role.FINANCE_OFFICER, organisation=council)


# --- Who may use it ------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", [SETTINGS, CHECK])
def test_the_page_and_the_check_need_signing_in(access, url):
    access.sign_in_required(url, method="get" if url == SETTINGS else "post")


@pytest.mark.parametrize("role", [Role.FINANCE_OFFICER, Role.COUNCIL_ADMIN])
def test_finance_officers_and_council_administrators_may_use_the_page(access, council, role):
    access.ok(user_with_role(role, organisation=council), SETTINGS)


@pytest.mark.parametrize("role", [Role.COMMISSIONER, Role.PROVIDER_STAFF, Role.FAMILY_MEMBER, Role.PERSONAL_ASSISTANT])
def test_other_roles_are_refused_the_page_and_the_check(access, role):
    user = user_with_role(role)
    access.forbidden(user, SETTINGS)
    access.forbidden(user, SETTINGS, method="post")
    access.forbidden(user, CHECK, method="post")


def test_each_council_sees_only_its_own_settings(council, alice):
    other = CouncilFactory()
    _stripe_settings(other)

    page = _signed_in(alice).get(SETTINGS).content.decode()

    assert str(council.public_id) in page and str(other.public_id) not in page
    assert secret_mask(SECRET_KEY) not in page
    assert "Not set" in page


def test_the_service_refuses_someone_who_is_not_a_finance_officer_or_administrator_of_the_council(alice):
    with pytest.raises(PermissionDenied):
        payment_settings_update(council=CouncilFactory(), actor=alice, gateway=Gateway.PAYMENT_FILE, finance_code="")


# --- What the page shows ---------------------------------------------------------------------------------


def test_the_page_shows_the_keys_masked_and_the_councils_webhook_address(council, alice):
    _stripe_settings(council)

    page = _signed_in(alice).get(SETTINGS).content.decode()

    assert "sk_test_…4242" in page and "whsec_…1234" in page
    assert SECRET_KEY not in page and WEBHOOK_SECRET not in page
    assert f"http://testserver/payments/stripe/webhook/{council.public_id}/" in page
    assert "CYP-4410" in page
    assert "Always by payment file" in page


def test_a_short_key_is_masked_without_its_tail():
    assert secret_mask("sk_test_abc") == "sk_test_…"
    assert secret_mask("") == ""


def test_the_page_says_who_changed_the_settings_last(council, alice):
    payment_settings_update(council=council, actor=alice, gateway=Gateway.PAYMENT_FILE, finance_code="CC-1")

    response = _signed_in(user_with_role(Role.COUNCIL_ADMIN, organisation=council)).get(SETTINGS)

    assert f"by {alice}" in html.unescape(response.content.decode())  # names like O'Sullivan are escaped


def test_the_payment_runs_page_links_to_the_settings(alice):
    assert SETTINGS in _signed_in(alice).get(reverse("payments:runs")).content.decode()


# --- Saving -------------------------------------------------------------------------------------------


def test_choosing_stripe_with_both_keys_saves_them_encrypted_and_says_so(council, alice):
    client = _signed_in(alice)

    response = client.post(
        SETTINGS,
        _form(
            gateway=Gateway.STRIPE_CONNECT,
            finance_code="CYP-4410",
            secret_key=SECRET_KEY,
            webhook_secret=WEBHOOK_SECRET,
        ),
        follow=True,
    )

    saved = PaymentSettings.objects.get(council=council)
    assert (saved.gateway, saved.finance_code, saved.updated_by) == (Gateway.STRIPE_CONNECT, "CYP-4410", alice)
    assert (saved.stripe_secret_key, saved.stripe_webhook_secret) == (SECRET_KEY, WEBHOOK_SECRET)
    page = response.content.decode()
    assert "payment settings are saved" in page
    assert SECRET_KEY not in page and WEBHOOK_SECRET not in page


def test_the_secret_key_is_encrypted_in_the_database(council, alice):
    payment_settings_update(
        council=council,
        actor=alice,
        gateway=Gateway.STRIPE_CONNECT,
        finance_code="",
        secret_key=SECRET_KEY,
        webhook_secret=WEBHOOK_SECRET,
    )

    with connection.cursor() as cursor:
        table = connection.ops.quote_name(PaymentSettings._meta.db_table)
        sql = f"SELECT stripe_secret_key, stripe_webhook_secret FROM {table} WHERE council_id = %s"  # noqa: S608
        cursor.execute(sql, [council.pk])
        raw_key, raw_webhook_secret = cursor.fetchone()
    assert SECRET_KEY not in raw_key and WEBHOOK_SECRET not in raw_webhook_secret


def test_blank_key_boxes_keep_the_stored_keys(council, alice):
    _stripe_settings(council)

    _signed_in(alice).post(SETTINGS, _form(gateway=Gateway.STRIPE_CONNECT, finance_code="NEW-1"))

    saved = PaymentSettings.objects.get(council=council)
    assert (saved.stripe_secret_key, saved.stripe_webhook_secret, saved.finance_code) == (
        SECRET_KEY,
        WEBHOOK_SECRET,
        "NEW-1",
    )


def test_removing_the_keys_clears_both_when_the_council_pays_by_payment_file(council, alice):
    _stripe_settings(council)

    _signed_in(alice).post(SETTINGS, _form(gateway=Gateway.PAYMENT_FILE, remove_keys="on"))

    saved = PaymentSettings.objects.get(council=council)
    assert (saved.gateway, saved.stripe_secret_key, saved.stripe_webhook_secret) == (Gateway.PAYMENT_FILE, "", "")


def test_the_keys_cannot_be_removed_while_the_council_pays_through_stripe(council, alice):
    _stripe_settings(council)

    response = _signed_in(alice).post(SETTINGS, _form(gateway=Gateway.STRIPE_CONNECT, remove_keys="on"))

    assert response.status_code == 200
    assert "first choose to pay by payment file" in response.content.decode()
    assert PaymentSettings.objects.get(council=council).stripe_secret_key == SECRET_KEY


# --- Validation -------------------------------------------------------------------------------------------


def test_stripe_without_keys_is_refused_with_an_error_summary(council, alice):
    response = _signed_in(alice).post(SETTINGS, _form(gateway=Gateway.STRIPE_CONNECT))

    page = response.content.decode()
    assert response.status_code == 200 and "<title>Error: Payment settings" in page
    assert "govuk-error-summary" in page
    assert "Enter the council&#x27;s Stripe secret key to pay through Stripe Connect" in page
    assert "Enter the webhook signing secret to pay through Stripe Connect" in page
    assert not PaymentSettings.objects.filter(council=council).exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("secret_key", "pk_test_51HxAbCdEfGhIjKl", "starts with sk_live_, sk_test_, rk_live_ or rk_test_"),
        ("webhook_secret", "sk_test_51HxAbCdEfGhIjKl", "starts with whsec_"),
        ("finance_code", "=HYPERLINK(1)", "must start with a letter or number"),
        ("gateway", "cheque", "Choose how the council pays"),
    ],
)
def test_a_badly_formed_value_is_refused_and_never_shown_back(council, alice, field, value, message):
    response = _signed_in(alice).post(SETTINGS, _form(**{field: value}))

    page = response.content.decode()
    assert response.status_code == 200 and message in page and "govuk-error-summary" in page
    if field in ("secret_key", "webhook_secret"):
        assert value not in page
    assert not PaymentSettings.objects.filter(council=council).exists()


def test_a_valid_key_typed_with_a_refused_form_is_not_sent_back_into_the_page(council, alice):
    response = _signed_in(alice).post(SETTINGS, _form(gateway=Gateway.STRIPE_CONNECT, secret_key=SECRET_KEY))

    page = response.content.decode()
    assert "Enter the webhook signing secret to pay through Stripe Connect" in page
    assert SECRET_KEY not in page and secret_mask(SECRET_KEY) not in page
    assert not PaymentSettings.objects.filter(council=council).exists()


def test_the_service_refuses_a_restricted_looking_but_wrong_key(council, alice):
    with pytest.raises(ValidationError) as refused:
        payment_settings_update(
            council=council, actor=alice, gateway=Gateway.PAYMENT_FILE, finance_code="", secret_key="rk_prod_123"
        )

    assert "secret_key" in refused.value.message_dict


# --- Audit and the finance officers' warning ---------------------------------------------------------------


def test_a_change_is_audited_with_the_keys_masked_and_other_finance_officers_are_told(council, alice):
    bob = user_with_role(Role.FINANCE_OFFICER, organisation=council)
    other_councils_officer = user_with_role(Role.FINANCE_OFFICER)
    admin = user_with_role(Role.COUNCIL_ADMIN, organisation=council)

    payment_settings_update(
        council=council,
        actor=admin,
        gateway=Gateway.STRIPE_CONNECT,
        finance_code="CC-7",
        secret_key=SECRET_KEY,
        webhook_secret=WEBHOOK_SECRET,
    )

    event = AuditEvent.objects.get(action="payments.settings_changed")
    written = f"{event.summary} {event.reason} {event.data}"
    assert SECRET_KEY not in written and WEBHOOK_SECRET not in written
    assert "sk_test_…4242" in written and "the finance code" in written
    assert set(event.data["changed"]) == {"gateway", "finance_code", "stripe_secret_key", "stripe_webhook_secret"}
    told = Notification.objects.filter(link=SETTINGS)
    assert {n.recipient for n in told} == {alice, bob} and other_councils_officer not in {n.recipient for n in told}
    assert all(SECRET_KEY not in f"{n.subject} {n.body}" for n in told)


def test_the_finance_officer_who_made_the_change_is_not_told_of_it(council, alice):
    bob = user_with_role(Role.FINANCE_OFFICER, organisation=council)

    payment_settings_update(council=council, actor=alice, gateway=Gateway.PAYMENT_FILE, finance_code="CC-8")

    assert [n.recipient for n in Notification.objects.filter(link=SETTINGS)] == [bob]


def test_a_new_key_with_the_same_ending_is_still_recorded_as_a_change(council, alice):
    _stripe_settings(council)
    same_ending = "sk_test_51HxDifferentKeyAb4242"

    payment_settings_update(
        council=council,
        actor=alice,
        gateway=Gateway.STRIPE_CONNECT,
        finance_code="CYP-4410",
        secret_key=same_ending,
    )

    event = AuditEvent.objects.get(action="payments.settings_changed")
    assert set(event.data["changed"]) == {"stripe_secret_key"}


def test_saving_without_a_change_writes_no_audit_row_and_tells_no_one(council, alice):
    _stripe_settings(council)
    user_with_role(Role.FINANCE_OFFICER, organisation=council)

    payment_settings_update(council=council, actor=alice, gateway=Gateway.STRIPE_CONNECT, finance_code="CYP-4410")

    assert not AuditEvent.objects.filter(action="payments.settings_changed").exists()
    assert not Notification.objects.exists()


# --- Checking the Stripe connection --------------------------------------------------------------------------


def test_the_check_asks_stripe_for_the_balance_with_the_councils_key_and_reports_success(recorder, council, alice):
    _stripe_settings(council, api_base=recorder.url)
    recorder.reply("GET", "/v1/balance", BALANCE)

    response = _signed_in(alice).post(CHECK, follow=True)

    page = response.content.decode()
    assert "the connection works, in test mode" in page and "£12,345.67" in page
    (request,) = recorder.requests
    assert (request.method, request.path) == ("GET", "/v1/balance")
    assert request.headers["authorization"] == f"Bearer {SECRET_KEY}"
    assert SECRET_KEY not in page
    event = AuditEvent.objects.get(action="payments.stripe_connection_checked")
    assert event.actor == alice and "worked" in event.summary


def test_a_key_stripe_refuses_is_reported_and_audited(recorder, council, alice):
    _stripe_settings(council, api_base=recorder.url)
    refusal = {"error": {"type": "invalid_request_error", "message": f"Invalid API Key provided: {SECRET_KEY}"}}
    recorder.reply("GET", "/v1/balance", refusal, status=401)

    response = _signed_in(alice).post(CHECK, follow=True)

    page = html.unescape(response.content.decode())
    assert "The connection to Stripe does not work. Stripe did not accept the council's secret key." in page
    assert SECRET_KEY not in page
    event = AuditEvent.objects.get(action="payments.stripe_connection_checked")
    assert "failed" in event.summary and SECRET_KEY not in event.summary


def test_another_stripe_refusal_is_reported_in_stripes_words(recorder, council, alice):
    _stripe_settings(council, api_base=recorder.url)
    refusal = {
        "error": {"type": "invalid_request_error", "message": "Your account cannot currently make live charges."}
    }
    recorder.reply("GET", "/v1/balance", refusal, status=400)

    response = _signed_in(alice).post(CHECK, follow=True)

    assert "Stripe refused the check: Your account cannot currently make live charges." in response.content.decode()


def test_the_check_without_any_key_says_so(council, alice, settings):
    settings.STRIPE_SECRET_KEY = ""

    response = _signed_in(alice).post(CHECK, follow=True)

    assert "has no Stripe secret key" in response.content.decode()
    assert AuditEvent.objects.filter(action="payments.stripe_connection_checked", council=council).exists()


def test_a_council_administrator_may_check_the_connection(recorder, council):
    _stripe_settings(council, api_base=recorder.url)
    recorder.reply("GET", "/v1/balance", BALANCE)
    admin = user_with_role(Role.COUNCIL_ADMIN, organisation=council)

    response = _signed_in(admin).post(CHECK)

    assert response.status_code == 302 and response["Location"] == SETTINGS


def test_a_provider_is_refused_the_check_before_stripe_is_asked(recorder, access):
    _stripe_settings(CouncilFactory(), api_base=recorder.url)

    access.forbidden(user_with_role(Role.PROVIDER_STAFF), CHECK, method="post")

    assert recorder.requests == []
