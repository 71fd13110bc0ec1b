"""PA recruitment in a real browser: a family writes a PA advert, finds a PA by search and sends the advert
to her from their shortlist; the PA replies; the family shortlists her, arranges to meet and ticks items of
the employer's checklist. Every page goes through axe, and the key pages are saved as journey screenshots
that must reflow at 320 px."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from marketplace.tests import pa_advert_factories as make
from tests.browser.helpers import journey_snapshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

JOURNEY = "pa-recruitment"


def test_a_family_recruits_a_pa_found_by_search(browsing, visit):
    case = make.family()
    chloe = make.pa(areas=["CV3"])
    offer = make.pa_offer(chloe)
    offer_name = offer.live_version.name
    family = browsing.new_page()
    sign_in(family, visit, case.parent.email)

    # The family finds Chloe by a search for personal assistants and shortlists her
    visit(family, "/search/?provider_kind=personal_assistant")
    family.get_by_role("link", name=offer_name, exact=True).click()
    expect(family.get_by_role("heading", name=offer_name)).to_be_visible()
    family.get_by_role("button", name=f"Add to shortlist {offer_name}").click()
    expect(family.get_by_role("button", name=f"Remove from shortlist {offer_name}")).to_be_visible()

    # They write an advert
    visit(family, "/pa-adverts/")
    journey_snapshot(family, JOURNEY, "01-adverts")
    family.get_by_role("link", name="Write a PA advert").click()
    expect(family.get_by_role("heading", name="Write a PA advert")).to_be_visible()
    journey_snapshot(family, JOURNEY, "02-write-advert")
    family.get_by_label("Title").fill("PA for a 12-year-old boy after school")
    family.get_by_label("Hours per week").fill("6")
    family.get_by_label("Days and times").fill("Tuesday and Thursday, 4pm to 7pm")
    family.get_by_label("Tasks").fill("Take Tom to football and help with homework")
    family.get_by_label("Skills and experience wanted").fill("Experience with autism")
    family.get_by_label("Hourly pay").fill("13.50")
    family.get_by_label("Start date").fill((timezone.localdate() + timedelta(days=30)).isoformat())
    family.get_by_label("Closing date").fill((timezone.localdate() + timedelta(days=14)).isoformat())
    family.get_by_role("button", name="Save and choose PAs").click()

    # and send it to Chloe from their shortlist
    expect(family.get_by_role("heading", name="Send this advert to PAs")).to_be_visible()
    visit(family, family.url)
    journey_snapshot(family, JOURNEY, "03-send-advert")
    family.get_by_label(f"{chloe.display_name}: {offer_name}").check()
    family.get_by_role("button", name="Send the advert").click()
    expect(family.locator(".govuk-notification-banner")).to_contain_text("Advert sent to 1 PA")
    advert_url = family.url
    visit(family, advert_url)
    journey_snapshot(family, JOURNEY, "04-advert")

    # Chloe reads the advert and replies
    pa_page = browsing.new_page()
    sign_in(pa_page, visit, chloe.user.email)
    visit(pa_page, "/pa-adverts/for-you/")
    journey_snapshot(pa_page, JOURNEY, "05-adverts-for-you")
    pa_page.get_by_role("link", name="PA for a 12-year-old boy after school").click()
    expect(pa_page.get_by_role("heading", name="PA for a 12-year-old boy after school")).to_be_visible()
    visit(pa_page, pa_page.url)
    journey_snapshot(pa_page, JOURNEY, "06-pa-advert")
    pa_page.get_by_label("Your message to the family").fill("I have supported autistic children for five years.")
    pa_page.get_by_label("When you are available").fill("Weekdays after 3pm, from next month")
    pa_page.get_by_role("button", name="Send your reply").click()
    expect(pa_page.locator(".govuk-notification-banner")).to_contain_text("Reply sent")

    # The family shortlists her and arranges to meet
    visit(family, advert_url)
    family.get_by_role("link", name=chloe.display_name, exact=True).click()
    expect(family.get_by_role("heading", name=f"Reply from {chloe.display_name}")).to_be_visible()
    visit(family, family.url)
    journey_snapshot(family, JOURNEY, "07-reply")
    family.get_by_role("button", name=f"Shortlist {chloe.display_name}").click()
    expect(family.locator(".govuk-notification-banner")).to_contain_text("is on your shortlist")
    family.get_by_role("link", name="Arrange to meet").click()
    visit(family, family.url)
    journey_snapshot(family, JOURNEY, "08-arrange-meeting")
    family.get_by_label("Date").fill((timezone.localdate() + timedelta(days=5)).isoformat())
    family.get_by_label("Time").fill("16:30")
    family.get_by_label("Where").fill("Central library café")
    family.get_by_role("button", name="Send the invitation").click()
    expect(family.locator(".govuk-notification-banner")).to_contain_text("Meeting arranged")

    # and ticks the first items of the employer's checklist
    family.get_by_role("link", name="Employer's checklist").click()
    visit(family, family.url)
    journey_snapshot(family, JOURNEY, "09-checklist")
    family.get_by_label("Date you checked their right to work").fill(timezone.localdate().isoformat())
    family.get_by_label("Document you checked").select_option(label="Online check with a share code")
    family.get_by_label("DBS umbrella body").fill("Safe Checks Ltd")
    family.get_by_label("Payroll service").fill("PayCo")
    family.get_by_role("button", name="Save the checklist").click()
    expect(family.locator(".govuk-notification-banner")).to_contain_text("Employer's checklist saved")
    expect(family.get_by_text("Right to work checked: done")).to_be_visible()
    expect(family.get_by_text("Payroll service: done")).to_be_visible()
    journey_snapshot(family, JOURNEY, "10-reply-with-checklist")

    # Chloe sees the invitation and accepts it
    visit(pa_page, pa_page.url)
    pa_page.get_by_label("Yes, I can come").check()
    pa_page.get_by_role("button", name="Send your answer").click()
    expect(pa_page.locator(".govuk-notification-banner")).to_contain_text("We have told the family")
    journey_snapshot(pa_page, JOURNEY, "11-pa-meeting-accepted")
