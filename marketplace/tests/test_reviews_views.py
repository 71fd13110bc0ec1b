"""The review pages: the family's form, the provider's list and reply, the council's queue, CSV and
decisions, the public offer page; and who gets 404 or 403 on each."""

import pytest
from django.test import Client
from django.urls import reverse

from accounts.roles import Role
from marketplace.models import Review, ReviewStatus
from marketplace.selectors import offer_cards
from marketplace.services.reviews import reply_submit, review_hide
from marketplace.tests.order_factories import accepted, family, member, provider
from marketplace.tests.review_factories import published, reviewable, submitted
from providers.models import ProfileStatus, ProviderProfile
from search.query import Hit

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def url(name: str, *args) -> str:  # type: ignore[no-untyped-def]
    return reverse(f"marketplace:{name}", args=args)


def listed(case) -> None:  # type: ignore[no-untyped-def]
    ProviderProfile.objects.filter(organisation=case.seller.organisation).update(status=ProfileStatus.PUBLISHED)


# --- The family writes a review -------------------------------------------------------------------------


def test_delivered_order_page_offers_a_review_and_the_form_sends_it():
    case = reviewable()
    alice = signed_in(case.tom.parent)

    order_page = alice.get(url("order", case.order.public_id))
    assert "Review this service" in order_page.text

    response = alice.post(url("review-submit", case.order.public_id), {"rating": "5", "text": "Tom loves it"})

    review = Review.objects.get(order=case.order)
    assert response.status_code == 302 and response["Location"] == url("review", review.public_id)
    assert (review.rating, review.text, review.status) == (5, "Tom loves it", ReviewStatus.SUBMITTED)
    assert "Waiting for the council" in alice.get(url("order", case.order.public_id)).text


def test_review_form_shows_errors_with_a_summary():
    case = reviewable()

    response = signed_in(case.tom.parent).post(url("review-submit", case.order.public_id), {"text": ""})

    assert response.status_code == 200
    assert response.text.count("Choose a rating from 1 to 5") == 2  # in the summary and by the field
    assert "Enter your review" in response.text
    assert "<title>Error: Review this service" in response.text
    assert not Review.objects.exists()


def test_order_not_yet_delivered_has_no_review_link_and_the_form_sends_you_back():
    tom, seller = family(), provider()
    order = accepted(tom, seller)
    alice = signed_in(tom.parent)

    assert "Review this service" not in alice.get(url("order", order.public_id)).text
    response = alice.get(url("review-submit", order.public_id))

    assert response.status_code == 302 and response["Location"] == url("order", order.public_id)


def test_second_review_of_an_order_is_refused_on_the_form():
    case = reviewable()
    submitted(case)

    response = signed_in(case.tom.parent).post(
        url("review-submit", case.order.public_id), {"rating": "1", "text": "Again"}
    )

    assert response.status_code == 200 and "already reviewed" in response.text
    assert Review.objects.count() == 1


def test_review_form_permissions(access):
    case = reviewable()
    other_family = family(council=case.tom.council)
    form = url("review-submit", case.order.public_id)

    access.sign_in_required(form)
    access.not_found(other_family.parent, form)
    access.forbidden(case.seller.staff, form)
    access.forbidden(case.qa_officer, form)


def test_review_page_permissions(access):
    case = reviewable()
    review = published(case)
    page = url("review", review.public_id)
    other_family = family(council=case.tom.council)
    other_provider = provider("Moonlight Music")

    access.ok(case.tom.parent, page)
    access.ok(case.seller.staff, page)
    access.ok(case.qa_officer, page)
    access.not_found(other_family.parent, page)
    access.not_found(other_provider.staff, page)
    access.not_found(member(Role.QA_OFFICER, case.tom.council), page)
    access.forbidden(member(Role.FINANCE_OFFICER, case.seller.organisation.council), page)


def test_provider_does_not_see_a_review_before_the_council_publishes_it(access):
    case = reviewable()
    review = submitted(case)

    access.not_found(case.seller.staff, url("review", review.public_id))
    assert "Patient and on time" not in signed_in(case.seller.staff).get(url("reviews-provider")).text


# --- The provider replies --------------------------------------------------------------------------------


def test_provider_replies_once_from_its_list():
    case = reviewable()
    review = published(case)
    pat = signed_in(case.seller.staff)

    listing = pat.get(url("reviews-provider")).text
    assert "Patient and on time" in listing and url("review-reply", review.public_id) in listing

    response = pat.post(url("review-reply", review.public_id), {"text": "Thank you"})
    assert response.status_code == 302 and review.__class__.objects.get(pk=review.pk).reply.text == "Thank you"

    again = pat.get(url("review-reply", review.public_id))
    assert again.status_code == 302 and again["Location"] == url("review", review.public_id)


def test_empty_reply_is_refused_with_an_error_summary():
    case = reviewable()
    review = published(case)

    response = signed_in(case.seller.staff).post(url("review-reply", review.public_id), {"text": ""})

    assert response.status_code == 200 and "<title>Error:" in response.text and "Enter your reply" in response.text


def test_reply_permissions(access):
    case = reviewable()
    review = published(case)
    reply = url("review-reply", review.public_id)

    access.not_found(provider("Moonlight Music").staff, reply)
    access.forbidden(case.tom.parent, reply)
    access.forbidden(case.qa_officer, reply)
    access.forbidden(case.tom.parent, url("reviews-provider"))


def test_the_reply_form_of_a_hidden_review_sends_the_provider_back_with_the_reason():
    case = reviewable()
    review = review_hide(review=published(case), actor=case.qa_officer, reason="Names a member of staff")
    pat = signed_in(case.seller.staff)

    response = pat.get(url("review-reply", review.public_id), follow=True)

    assert response.redirect_chain == [(url("review", review.public_id), 302)]
    assert "once the council has published it" in response.text
    assert url("review-reply", review.public_id) not in response.text


# --- The council checks reviews ----------------------------------------------------------------------


def test_queue_lists_waiting_reviews_and_exports_them():
    case = reviewable()
    review = submitted(case, text="=HYPERLINK(bad)")
    quinn = signed_in(case.qa_officer)

    queue = quinn.get(url("reviews-council")).text
    assert review.reference in queue

    export = quinn.get(url("reviews-council-export") + "?status=submitted")
    body = export.content.decode("utf-8-sig")
    assert export["Content-Type"].startswith("text/csv")
    assert review.reference in body and "'=HYPERLINK(bad)" in body

    published_only = quinn.get(url("reviews-council") + "?status=published").text
    assert review.reference not in published_only


def test_council_publishes_then_hides_with_a_reason():
    case = reviewable()
    review = submitted(case)
    carla = signed_in(case.commissioner)

    carla.post(url("review-publish", review.public_id))
    review.refresh_from_db()
    assert review.status == ReviewStatus.PUBLISHED

    refused = carla.post(url("review-hide", review.public_id), {"reason": ""})
    assert refused.status_code == 200 and "<title>Error:" in refused.text

    carla.post(url("review-hide", review.public_id), {"reason": "Names a member of staff"})
    review.refresh_from_db()
    assert (review.status, review.hidden_reason) == (ReviewStatus.HIDDEN, "Names a member of staff")


def test_moderation_permissions(access):
    case = reviewable()
    review = submitted(case)
    page = url("review-moderate", review.public_id)
    family_council_officer = member(Role.QA_OFFICER, case.tom.council)

    access.ok(case.qa_officer, page)
    access.ok(case.commissioner, page)
    access.not_found(family_council_officer, page)
    access.not_found(family_council_officer, url("review-publish", review.public_id), method="post")
    access.forbidden(case.tom.parent, page)
    access.forbidden(case.seller.staff, url("reviews-council"))
    access.forbidden(member(Role.FINANCE_OFFICER, case.seller.organisation.council), url("reviews-council-export"))
    assert Review.objects.get(pk=review.pk).status == ReviewStatus.SUBMITTED


def test_publishing_and_hiding_are_refused_to_another_council_and_other_roles(access):
    case = reviewable()
    review = submitted(case)
    family_council_officer = member(Role.QA_OFFICER, case.tom.council)

    for step in ("review-publish", "review-hide"):
        access.not_found(family_council_officer, url(step, review.public_id), method="post")
        access.forbidden(case.seller.staff, url(step, review.public_id), method="post")
        access.forbidden(case.tom.parent, url(step, review.public_id), method="post")
    assert Review.objects.get(pk=review.pk).status == ReviewStatus.SUBMITTED


# --- What the public sees -----------------------------------------------------------------------------


def test_offer_page_shows_the_rating_and_published_reviews_with_replies_only():
    case = reviewable()
    listed(case)
    review = published(case, rating=4, text="Patient and kind")
    reply_submit(review=review, author=case.seller.staff, text="Thank you for your kind words")
    page = Client().get(reverse("providers:public-offer", args=[case.seller.offer.public_id])).text

    assert "Rated 4 out of 5 from 1 review" in page
    assert "Patient and kind" in page and "Thank you for your kind words" in page
    assert "A parent or carer" in page and case.tom.parent.first_name not in page


def test_submitted_review_is_not_on_the_offer_page():
    case = reviewable()
    listed(case)
    submitted(case, text="Not checked yet")

    page = Client().get(reverse("providers:public-offer", args=[case.seller.offer.public_id])).text

    assert "Not checked yet" not in page and "No reviews yet" in page


def test_provider_profile_and_search_card_show_the_rating():
    case = reviewable()
    listed(case)
    published(case, rating=5)
    profile = case.seller.organisation.provider_profile

    page = Client().get(reverse("providers:public-provider", args=[profile.public_id])).text
    (card,) = offer_cards(
        [Hit(offer_id=case.seller.offer.pk, public_id=case.seller.offer.public_id, score=1.0, distance_miles=None)]
    )

    assert "Rated 5 out of 5 from 1 review by families" in page
    assert card.rating is not None and card.rating.text == "5 out of 5 from 1 review"
