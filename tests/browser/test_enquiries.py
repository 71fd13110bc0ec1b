"""Enquiries in a real browser without JavaScript: a family member asks the provider of an offer a question
about her son, sharing only his first name; the provider finds it waiting, answers; she reads the answer
and reports it, and the council's officer deals with the report. Every page is checked with axe, the
error summary included."""

import pytest
from playwright.sync_api import expect

from marketplace.tests import enquiry_factories as make
from tests.browser.helpers import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_a_family_asks_a_provider_a_question_and_reads_the_answer_without_javascript(browsing, visit, axe_check):
    # Given Fiona, who holds consent for Tom, and Priya, who works for the provider of the Saturday club
    cast = make.cast()
    family = browsing.new_page(javascript=False)
    provider = browsing.new_page(javascript=False)

    # When Fiona opens the offer and chooses Ask the provider
    sign_in(family, visit, cast.fiona.email)
    visit(family, f"/directory/offers/{cast.club.public_id}/")
    family.get_by_role("button", name="Ask the provider about Saturday club").click()
    expect(family.get_by_role("heading", name="Ask about Saturday club")).to_be_visible()
    axe_check(family)

    # And sends it without a question, she is told what to put right
    family.get_by_label("Tom Walsh").check()
    family.get_by_role("button", name="Send your enquiry").click()
    expect(family).to_have_title("Error: Ask about Saturday club – Support Exchange")
    family.get_by_role("link", name="Enter your question").click()
    expect(family.get_by_label("Your question")).to_be_focused()
    axe_check(family)

    # And sends it sharing only Tom's first name
    family.get_by_label("Their first name").check()
    family.get_by_label("Your question").fill("Is there a place for Tom on Saturdays?")
    family.get_by_role("button", name="Send your enquiry").click()
    expect(family.locator(".govuk-notification-banner")).to_contain_text("Your enquiry has been sent")
    expect(family.get_by_text("Waiting for the provider")).to_be_visible()
    axe_check(family)

    # Then Priya finds it waiting on her list, sees only Tom's first name, and answers
    sign_in(provider, visit, cast.priya.email)
    visit(provider, "/enquiries/provider/")
    expect(provider.get_by_role("cell", name="Less than a day")).to_be_visible()
    provider.get_by_role("link", name="Saturday club").click()
    axe_check(provider)
    expect(provider.get_by_text("Is there a place for Tom on Saturdays?")).to_be_visible()
    expect(provider.get_by_text("Walsh")).to_have_count(0)
    provider.get_by_label("Your message").fill("Yes, we have a place for Tom from next Saturday.")
    provider.get_by_role("button", name="Send your message").click()
    expect(provider.locator(".govuk-notification-banner")).to_contain_text("Your message has been sent")
    axe_check(provider)

    # And Fiona sees one new message and reads the answer
    visit(family, "/enquiries/")
    expect(family.get_by_text("1 new")).to_be_visible()
    family.get_by_role("link", name="Saturday club").click()
    axe_check(family)
    expect(family.get_by_text("Yes, we have a place for Tom from next Saturday.")).to_be_visible()
    expect(family.get_by_text("Answered")).to_be_visible()

    # And when she reports the answer, the council's quality-assurance officer finds it and deals with it
    family.get_by_role("link", name="Report the message from Priya").click()
    axe_check(family)
    family.get_by_label("What is wrong with this message?").fill("I did not expect the start date")
    family.get_by_role("button", name="Report the message").click()
    expect(family.locator(".govuk-notification-banner")).to_contain_text("The council's officers will look into")
    officer = browsing.new_page(javascript=False)
    sign_in(officer, visit, cast.queenie.email)
    visit(officer, "/enquiries/reports/")
    officer.get_by_role("row", name="Saturday club").get_by_role("link").click()
    axe_check(officer)
    expect(officer.get_by_text("Yes, we have a place for Tom from next Saturday.")).to_be_visible()
    officer.get_by_label("What did you do?").fill("Checked with the provider: the date was right")
    officer.get_by_role("button", name="Record as dealt with").click()
    expect(officer.get_by_text("There are no reports to look into.")).to_be_visible()
    axe_check(officer)
