"""A personal assistant registers, writes a profile and an offer, and sends both for checking, in a
real browser. Every page passes axe, and the PA's home postcode appears on no page but their own
profile form."""

from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from accounts.tests.factories import CouncilFactory
from providers.models import OfferStatus, PersonalAssistantProfile, ProfileStatus
from providers.tests.factories import PostcodeFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

HOME_POSTCODE = "CV3 5AB"


@pytest.fixture
def coventry():  # type: ignore[no-untyped-def]
    PostcodeFactory(postcode="CV3", latitude=Decimal("52.390000"), longitude=Decimal("-1.490000"))
    return CouncilFactory(name="Coventry City Council", slug="coventry", ons_code="E08000026")


def _no_home_postcode(page: Page) -> None:
    html = page.content()
    assert HOME_POSTCODE not in html and "CV35AB" not in html, f"the home postcode is shown on {page.url}"


def _register(page: Page, visit, axe_check) -> None:  # type: ignore[no-untyped-def]
    visit(page, "/providers/register/")
    page.get_by_label("Myself, as a personal assistant").check()
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/providers/register/personal-assistant/")
    axe_check(page)

    page.get_by_label("First name").fill("Sam")
    page.get_by_label("Last name").fill("Kaur")
    page.get_by_label("Email address").fill("sam.kaur@example.org")
    page.get_by_label("Create a password").fill("violet-kettle-harbour")
    page.get_by_label("The council whose personal assistant register you are joining").select_option(
        label="Coventry City Council"
    )
    # A postcode the gazetteer does not know is explained in an error summary
    page.get_by_label("Your home postcode").fill("ZZ9 9ZZ")
    page.get_by_role("button", name="Create your account").click()
    expect(page).to_have_title("Error: Register as a personal assistant – Support Exchange")
    expect(page.locator(".govuk-error-summary")).to_contain_text("We do not know the postcode ZZ9 9ZZ")
    axe_check(page)

    page.get_by_label("Create a password").fill("violet-kettle-harbour")
    page.get_by_label("Your home postcode").fill(HOME_POSTCODE)
    page.get_by_role("button", name="Create your account").click()
    page.wait_for_url("**/providers/")


def _write_profile(page: Page, visit, axe_check) -> None:  # type: ignore[no-untyped-def]
    visit(page, "/providers/profile/")
    # Their own profile form is the one place the home postcode is shown
    expect(page.get_by_label("Your home postcode")).to_have_value(HOME_POSTCODE)
    page.get_by_label("About you").fill("I support autistic children at home and out and about.")
    page.get_by_label("Areas you cover").fill("CV3, CV2")
    page.get_by_label("Saturday").check()
    page.get_by_label("Sunday").check()
    page.get_by_label("Moving and handling").check()
    page.get_by_label("I have a driving licence").check()
    page.get_by_label("Self-employed (I send invoices)").check()
    page.get_by_role("button", name="Save your profile").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Your profile has been saved")
    axe_check(page)

    page.get_by_role("link", name="send your profile for checking").click()
    axe_check(page)
    _no_home_postcode(page)
    page.get_by_role("button", name="Send for checking").click()
    page.wait_for_url("**/providers/")


def _write_offer(page: Page, visit, axe_check) -> None:  # type: ignore[no-untyped-def]
    visit(page, "/providers/offers/new/")
    _no_home_postcode(page)
    page.get_by_label("Name of the offer").fill("Support at home and out and about")
    page.get_by_label("Description", exact=True).fill("Play, outings and personal care for children aged 5 to 18.")
    page.get_by_label("Personal assistant support", exact=True).check()
    page.get_by_label("Autism", exact=True).check()
    page.get_by_label("Youngest age").fill("5")
    page.get_by_label("Oldest age").fill("18")
    page.get_by_label("At your home").check()
    page.locator("#id_cost_options-0-amount").fill("15.50")
    page.locator("#id_cost_options-0-unit").select_option(label="per hour")
    page.locator("#id_cost_options-0-vat_status").select_option(label="No VAT (not VAT-registered)")

    # "Add another" works by sending the page back with one more row, keeping what was typed
    page.get_by_role("button", name="Add another cost").click()
    expect(page.locator("#id_cost_options-1-amount")).to_be_visible()
    expect(page.locator("#id_cost_options-0-amount")).to_have_value("15.50")
    axe_check(page)
    page.locator("#id_cost_options-1-amount").fill("120")
    page.locator("#id_cost_options-1-unit").select_option(label="per night")
    page.locator("#id_cost_options-1-vat_status").select_option(label="No VAT (not VAT-registered)")
    page.locator("#id_cost_options-1-description").fill("Sleep-in")
    page.locator("#id_service_areas-0-postcode_district").fill("CV3")
    page.locator("#id_schedules-0-weekday").select_option(label="Saturday")
    page.locator("#id_schedules-0-opens_at").fill("25:00")
    page.locator("#id_schedules-0-closes_at").fill("17:00")

    # A mistake in a row is summarised with a link to that row's field
    page.get_by_role("button", name="Save", exact=True).click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Time 1: Enter a time")
    axe_check(page)
    summary.get_by_role("link", name="Time 1: Enter a time").click()
    expect(page.locator("#id_schedules-0-opens_at")).to_be_focused()
    page.locator("#id_schedules-0-opens_at").fill("09:00")
    page.get_by_role("button", name="Save", exact=True).click()

    page.wait_for_url("**/providers/offers/*/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Support at home and out and about")
    expect(page.locator("main")).to_contain_text("£120.00 per night")
    axe_check(page)
    _no_home_postcode(page)

    page.get_by_role("button", name="Send for checking").click()
    page.wait_for_url("**/submit/")
    axe_check(page)
    page.get_by_role("button", name="Send for checking").click()
    page.wait_for_url("**/providers/")


def test_a_personal_assistant_registers_writes_a_profile_and_an_offer_and_submits_them(
    page, visit, axe_check, coventry
):
    _register(page, visit, axe_check)
    visit(page, "/providers/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your listings")
    _no_home_postcode(page)

    _write_profile(page, visit, axe_check)
    _write_offer(page, visit, axe_check)

    visit(page, "/providers/")
    _no_home_postcode(page)
    expect(page.locator("main")).to_contain_text("Waiting for checks (1)")
    expect(page.locator(".govuk-summary-list")).to_contain_text("Waiting for checks")
    for url in ("/providers/documents/", "/providers/profile/picture/", "/account/"):
        visit(page, url)
        _no_home_postcode(page)

    profile = PersonalAssistantProfile.objects.get(user__email="sam.kaur@example.org")
    assert profile.status == ProfileStatus.PENDING
    assert (profile.home_postcode, profile.areas) == (HOME_POSTCODE, ["CV3", "CV2"])
    offer = profile.offers.get()
    assert offer.status == OfferStatus.PENDING
    assert sorted(offer.working_version.cost_options.values_list("unit", flat=True)) == ["hour", "night"]
