"""Reviews in a real browser without JavaScript: Alice reviews Tom's tuition once a session was delivered
(meeting the error summary first); Quinn, a quality officer of the council Sunrise Tutors registered with,
publishes it from the reviews to check; Pat at Sunrise replies; anyone then reads the review, the reply and
the rating on the offer's page. Every page is checked with axe."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from marketplace.tests.review_factories import reviewable
from providers.models import ProfileStatus, ProviderProfile
from tests.browser.helpers import expect_error_summary, open_from_navigation, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_family_reviews_delivered_tuition_council_publishes_it_and_the_provider_replies(browsing, visit, axe_check):
    # Given Tom's tuition from Sunrise Tutors, with a session delivered, and Sunrise's listing public
    case = reviewable()
    ProviderProfile.objects.filter(organisation=case.seller.organisation).update(status=ProfileStatus.PUBLISHED)
    offer_name = str(case.seller.offer)
    alice, quinn, pat, visitor = (browsing.new_page(javascript=False) for _ in range(4))

    # When Alice opens the order and chooses to review it, first leaving out what she has to say
    sign_in(alice, visit, case.tom.parent.email)
    visit(alice, reverse("marketplace:order", args=[case.order.public_id]))
    alice.get_by_role("link", name="Review this service").click()
    expect(alice.get_by_role("heading", name="Review this service")).to_be_visible()
    axe_check(alice)
    alice.get_by_label("4 – Good").check()
    alice.get_by_role("button", name="Send your review").click()
    expect_error_summary(alice, axe_check, "Enter your review", field_label="Tell other families about it")

    alice.get_by_label("Tell other families about it").fill("Patient, and Tom now enjoys maths.")
    alice.get_by_role("button", name="Send your review").click()
    expect(alice.locator(".govuk-notification-banner")).to_contain_text("Thank you for your review")
    expect(alice.get_by_text("Waiting for the council to check it")).to_be_visible()
    axe_check(alice)

    # Then Quinn finds it in the reviews to check, and publishes it
    sign_in(quinn, visit, case.qa_officer.email)
    open_from_navigation(quinn, axe_check, "Reviews to check")
    quinn.get_by_role("link", name=f"review of {offer_name}").click()
    expect(quinn.get_by_role("heading", name=f"Check a review of {offer_name}")).to_be_visible()
    axe_check(quinn)
    quinn.get_by_role("button", name="Publish this review").click()
    expect(quinn.locator(".govuk-notification-banner")).to_contain_text("The review is published")
    axe_check(quinn)

    # And Pat replies to it, once
    sign_in(pat, visit, case.seller.staff.email)
    open_from_navigation(pat, axe_check, "Reviews of your services")
    pat.get_by_role("link", name=f"Reply to the review of {offer_name}").click()
    axe_check(pat)
    pat.get_by_label("Your reply").fill("Thank you: Tom works hard every week.")
    pat.get_by_role("button", name="Publish your reply").click()
    expect(pat.locator(".govuk-notification-banner")).to_contain_text("Your reply is published")
    expect(pat.get_by_role("link", name="Reply to this review")).to_have_count(0)
    axe_check(pat)

    # And anyone reads the rating, the review and the reply on the offer's page
    visit(visitor, reverse("providers:public-offer", args=[case.seller.offer.public_id]))
    expect(visitor.get_by_role("link", name="Rated 4 out of 5 from 1 review")).to_be_visible()
    expect(visitor.get_by_text("Patient, and Tom now enjoys maths.")).to_be_visible()
    expect(visitor.get_by_text("Thank you: Tom works hard every week.")).to_be_visible()
