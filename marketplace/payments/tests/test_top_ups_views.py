"""The top-up pages: Alice pays into Tom's budget (card or bank transfer), Fay, Northshire's finance officer,
lists, downloads, records and refunds; another family or council gets 404, other roles 403."""

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import Notification
from accounts.roles import Role
from accounts.tests.factories import user_with_role
from brokerage.models import PlanLine, PlanStatus, SupportPlan
from marketplace.payments import top_ups
from marketplace.payments.tests.top_up_support import available, family, top_up
from marketplace.payments.top_up_models import TopUp, TopUpMethod, TopUpSettings, TopUpStatus
from providers.models import TaxonomyTerm

pytestmark = pytest.mark.django_db


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def _new_url(found) -> str:  # type: ignore[no-untyped-def]
    return reverse("top_ups:new", args=[found.allocation.budget.public_id])


def _form(found, **changes) -> dict:  # type: ignore[no-untyped-def]
    return {
        "allocation": found.allocation.pk,
        "reason": "contribution",
        "plan_line": "",
        "amount": "25.00",
        "method": "bank_transfer",
        **changes,
    }


# --- Permissions ----------------------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_sign_in(access):
    found = family()
    made = top_up(found)

    for url in (_new_url(found), reverse("top_ups:detail", args=[made.public_id]), reverse("top_ups:list")):
        access.sign_in_required(url)


def test_another_family_gets_404_for_the_budget_and_the_top_up(access):
    found = family()
    made = top_up(found)
    other = family(council=found.council)

    access.not_found(other.alice, _new_url(found))
    for name in ("detail", "card", "card-return"):
        access.not_found(other.alice, reverse(f"top_ups:{name}", args=[made.public_id]))
    access.not_found(other.alice, reverse("top_ups:bank-transfer", args=[made.public_id]), method="post")


def test_a_finance_officer_of_another_council_gets_404(access):
    made = top_up(family())
    elsewhere = family()

    for name in ("detail", "receive", "refund"):
        access.not_found(elsewhere.fay, reverse(f"top_ups:{name}", args=[made.public_id]))


def test_other_roles_get_403(access):
    found = family()
    made = top_up(found)
    lead = user_with_role(Role.LEAD_PROFESSIONAL, found.council)

    access.forbidden(lead, reverse("top_ups:list"))
    access.forbidden(lead, reverse("top_ups:detail", args=[made.public_id]))
    access.forbidden(found.fay, _new_url(found))
    access.forbidden(found.fay, reverse("top_ups:card", args=[made.public_id]))
    for name in ("receive", "refund"):
        access.forbidden(found.alice, reverse(f"top_ups:{name}", args=[made.public_id]))
    access.forbidden(found.alice, reverse("top_ups:export"))
    access.forbidden(found.alice, reverse("top_ups:settings"))


# --- Families -------------------------------------------------------------------------------------------


def test_alice_asks_to_pay_by_bank_transfer_and_sees_the_councils_bank_details_and_reference():
    found = family()

    response = _client(found.alice).post(_new_url(found), _form(found), follow=True)

    made = TopUp.objects.get()
    html = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("top_ups:detail", args=[made.public_id])
    assert made.reference in html and "30-94-57" in html and "12345678" in html and "£25.00" in html


def test_the_form_comes_back_with_an_error_summary_when_nothing_is_chosen():
    found = family()

    response = _client(found.alice).post(_new_url(found), {"amount": "lots"})

    html = response.content.decode()
    assert response.status_code == 200 and "<title>Error: " in html
    assert "Choose why you are paying" in html and "Enter an amount in pounds" in html
    assert not TopUp.objects.exists()


def test_the_budget_page_offers_the_family_a_way_to_pay_in():
    found = family()

    response = _client(found.alice).get(reverse("brokerage:budget", args=[found.allocation.budget.public_id]))

    assert _new_url(found) in response.content.decode()


def test_paying_by_card_makes_the_payment_intent_and_opens_the_card_page(recorder):
    found = family(recorder.url)
    intent = {
        "id": "pi_card",
        "object": "payment_intent",
        "client_secret": "pi_card_secret_x",
        "status": "requires_payment_method",
    }
    recorder.reply("POST", "/v1/payment_intents", intent)
    recorder.reply("GET", "/v1/payment_intents/pi_card", intent)

    response = _client(found.alice).post(_new_url(found), _form(found, method="card"), follow=True)

    made = TopUp.objects.get()
    assert made.payment_intent_id == "pi_card"
    [created] = [r for r in recorder.requests if r.method == "POST"]
    assert (created.form["amount"], created.form["currency"], created.form["metadata[reference]"]) == (
        "2500",
        "gbp",
        made.reference,
    )
    assert created.headers["idempotency-key"] == f"top-up-{made.public_id}"
    html = response.content.decode()
    assert '<script id="top-up-card-config" type="application/json">' in html and "pi_card_secret_x" in html
    assert "https://js.stripe.com/v3/" in html


def test_only_the_card_page_lets_in_stripe_js():
    found = family()
    made = top_up(found)
    client = _client(found.alice)

    card = client.get(reverse("top_ups:card", args=[made.public_id]))
    detail = client.get(reverse("top_ups:detail", args=[made.public_id]))

    assert "https://js.stripe.com" in card["Content-Security-Policy"]
    assert "https://js.stripe.com" not in detail["Content-Security-Policy"]


def test_the_card_page_says_when_stripe_cannot_be_reached_and_offers_the_bank_transfer(recorder):
    found = family(recorder.url)
    made = top_up(found)
    recorder.reply("POST", "/v1/payment_intents", {"error": {"type": "api_error", "message": "Down"}}, status=500)

    response = _client(found.alice).post(reverse("top_ups:card", args=[made.public_id]))

    html = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in html and "Pay by bank transfer instead" in html


def test_the_card_return_page_reports_stripes_state_without_recording_the_money(recorder):
    found = family(recorder.url)
    made = top_up(found)
    TopUp.objects.filter(pk=made.pk).update(payment_intent_id="pi_done")
    intent = {"id": "pi_done", "object": "payment_intent", "client_secret": "s", "status": "succeeded"}
    recorder.reply("GET", "/v1/payment_intents/pi_done", intent)

    response = _client(found.alice).get(reverse("top_ups:card-return", args=[made.public_id]), follow=True)

    assert "Your card payment has gone through" in response.content.decode()
    made.refresh_from_db()
    assert made.status == TopUpStatus.WAITING and available(found.allocation) == Decimal("500.00")


def test_the_family_list_shows_only_their_own_top_ups():
    found = family()
    mine = top_up(found)
    theirs = top_up(family(council=found.council))

    html = _client(found.alice).get(reverse("top_ups:list")).content.decode()

    assert mine.reference in html and theirs.reference not in html


# --- Finance officers -----------------------------------------------------------------------------------


def test_fay_finds_a_transfer_by_its_reference_as_typed_and_records_it():
    found = family()
    made = top_up(found, amount="40.00", method=TopUpMethod.BANK_TRANSFER)
    client = _client(found.fay)
    typed = made.reference.lower().replace("-", "")

    listed = client.get(reverse("top_ups:list"), {"q": typed}).content.decode()
    response = client.post(reverse("top_ups:receive", args=[made.public_id]), {"amount": "40.00"}, follow=True)

    assert made.reference in listed
    assert "is recorded as received" in response.content.decode()
    assert available(found.allocation) == Decimal("540.00")


def test_recording_a_different_amount_shows_the_error_on_the_form():
    found = family()
    made = top_up(found, amount="40.00", method=TopUpMethod.BANK_TRANSFER)

    response = _client(found.fay).post(reverse("top_ups:receive", args=[made.public_id]), {"amount": "4.00"})

    assert "<title>Error: " in response.content.decode()
    assert available(found.allocation) == Decimal("500.00")


def test_the_waiting_top_ups_download_lists_only_those_waiting():
    found = family()
    waiting = top_up(found, method=TopUpMethod.BANK_TRANSFER)
    paid = top_up(found, amount="10.00", method=TopUpMethod.BANK_TRANSFER)
    top_ups.bank_transfer_received(top_up=paid, actor=found.fay, amount=Decimal("10.00"))

    response = _client(found.fay).get(reverse("top_ups:export"), {"status": "waiting"})

    text = response.content.decode("utf-8-sig")
    assert response["Content-Type"].startswith("text/csv")
    assert text.splitlines()[0].startswith("Reference,Person,Amount")
    assert waiting.reference in text and paid.reference not in text


def test_fay_refunds_part_of_a_bank_transfer_and_the_family_is_told():
    found = family()
    made = top_up(found, amount="40.00", method=TopUpMethod.BANK_TRANSFER)
    top_ups.bank_transfer_received(top_up=made, actor=found.fay, amount=Decimal("40.00"))

    response = _client(found.fay).post(
        reverse("top_ups:refund", args=[made.public_id]), {"amount": "15.00", "reason": "Cheaper option"}, follow=True
    )

    assert "£15.00 of" in response.content.decode()
    made.refresh_from_db()
    assert made.status == TopUpStatus.PART_REFUNDED
    assert Notification.objects.filter(recipient=found.alice, subject__contains="refunded").exists()


def test_fay_sets_the_bank_details_and_a_blank_box_keeps_them():
    found = family()
    client = _client(found.fay)

    client.post(
        reverse("top_ups:settings"),
        {
            "stripe_publishable_key": "pk_test_new",
            "bank_account_name": "Northshire",
            "bank_sort_code": "20-00-00",
            "bank_account_number": "",
        },
    )

    saved = TopUpSettings.objects.get(council=found.council)
    assert (saved.stripe_publishable_key, saved.bank_sort_code, saved.bank_account_number) == (
        "pk_test_new",
        "200000",
        "12345678",
    )


def test_a_secret_key_is_refused_as_the_publishable_key():
    found = family()

    response = _client(found.fay).post(reverse("top_ups:settings"), {"stripe_publishable_key": "sk_test_oops"})

    assert "<title>Error: " in response.content.decode()
    assert TopUpSettings.objects.get(council=found.council).stripe_publishable_key != "sk_test_oops"


def test_paying_towards_a_dearer_option_from_a_plan_line_starts_with_that_line():
    found = family()
    budget = found.allocation.budget
    plan = SupportPlan.objects.create(person=budget.person, budget=budget, status=PlanStatus.APPROVED)
    line = PlanLine.objects.create(
        plan=plan,
        category=TaxonomyTerm.objects.first(),
        description="Swimming lessons",
        stream=found.allocation.stream,
        quantity=Decimal("1"),
        unit="session",
        unit_cost=Decimal("30.00"),
        frequency="weekly",
        periods=10,
    )

    response = _client(found.alice).get(_new_url(found), {"plan_line": str(line.public_id)})

    form = response.context["form"]
    assert (form.initial["reason"], form.initial["plan_line"]) == ("dearer_option", line.pk)
    assert form.initial["allocation"] == found.allocation.pk
    plan_page = _client(found.alice).get(reverse("brokerage:plan", args=[plan.public_id])).content.decode()
    assert f"{_new_url(found)}?plan_line={line.public_id}" in plan_page
