"""Reviews: who may write one, moderation, the provider's one reply, and the offer's rating."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from accounts.models import AuditEvent, Notification
from accounts.roles import Role
from brokerage.exceptions import NotAllowed, TransitionNotAllowed
from brokerage.models import ConsentHolder
from marketplace.models import ReviewStatus
from marketplace.services.orders import order_complete
from marketplace.services.reviews import (
    offer_rating_refresh,
    reply_submit,
    review_hide,
    review_publish,
    review_submit,
)
from marketplace.tests.order_factories import accepted, family, member, provider
from marketplace.tests.review_factories import delivered, published, reviewable, submitted
from providers.services.ratings import offer_rating_set

pytestmark = pytest.mark.django_db


# --- Who may review ----------------------------------------------------------------------------------


def test_review_of_an_order_with_nothing_delivered_is_refused():
    tom, seller = family(), provider()
    order = accepted(tom, seller)

    with pytest.raises(NotAllowed, match="once some of it has been delivered"):
        review_submit(order=order, author=tom.parent, rating=5, text="Great")


def test_completed_order_may_be_reviewed_without_a_delivery_record():
    tom, seller = family(), provider()
    order = order_complete(order=accepted(tom, seller), actor=tom.parent)

    review = review_submit(order=order, author=tom.parent, rating=5, text="Great")

    assert review.status == ReviewStatus.SUBMITTED


def test_second_review_of_the_same_order_is_refused():
    case = reviewable()
    submitted(case)

    with pytest.raises(NotAllowed, match="already reviewed"):
        review_submit(order=case.order, author=case.tom.parent, rating=1, text="Changed my mind")


def test_lead_professional_without_consent_may_not_review():
    case = reviewable()

    with pytest.raises(NotAllowed, match="gives consent"):
        review_submit(order=case.order, author=case.tom.lead_professional, rating=5, text="Good")


def test_parent_whose_consent_ended_may_not_review():
    case = reviewable()
    young_person = member(Role.YOUNG_PERSON, case.tom.council)
    case.tom.person.consent_holders.update(ended_at="2026-06-01T00:00:00Z")
    ConsentHolder.objects.create(
        person=case.tom.person, user=young_person, relationship=ConsentHolder.Relationship.SELF
    )

    with pytest.raises(NotAllowed):
        submitted(case)
    review = review_submit(order=case.order, author=young_person, rating=3, text="It was fine")
    assert review.author_is_young_person and review.author_description == "A young person"


def test_submitted_review_waits_for_the_listing_councils_officers_who_are_told():
    case = reviewable()

    review = submitted(case)

    assert review.council == case.seller.organisation.council
    assert review.person == case.tom.person and review.offer == case.seller.offer
    notices = Notification.objects.filter(subject__contains="waiting for you to check")
    told = set(notices.values_list("recipient", flat=True))
    assert told == {case.qa_officer.pk, case.commissioner.pk}
    assert AuditEvent.objects.filter(action="review.submitted", target_id=str(review.public_id)).exists()


def test_rating_outside_one_to_five_is_refused():
    case = reviewable()

    with pytest.raises(ValidationError):
        submitted(case, rating=6)


# --- Moderation --------------------------------------------------------------------------------------


def test_publishing_tells_the_author_and_the_provider():
    case = reviewable()

    review = published(case)

    assert review.status == ReviewStatus.PUBLISHED and review.moderated_by == case.qa_officer
    assert Notification.objects.filter(recipient=case.tom.parent, subject__contains="is published").exists()
    assert Notification.objects.filter(recipient=case.seller.staff, subject__contains="A new review").exists()
    assert AuditEvent.objects.filter(action="review.published", target_id=str(review.public_id)).exists()


def test_hiding_needs_a_reason_which_the_author_is_told():
    case = reviewable()
    review = submitted(case)

    with pytest.raises(ValidationError):
        review_hide(review=review, actor=case.commissioner, reason="  ")
    hidden = review_hide(review=review, actor=case.commissioner, reason="It names a member of staff")

    assert hidden.status == ReviewStatus.HIDDEN and hidden.hidden_reason == "It names a member of staff"
    notice = Notification.objects.get(recipient=case.tom.parent, subject__contains="is not shown")
    assert "It names a member of staff" in notice.body


def test_officer_of_another_council_may_not_moderate():
    case = reviewable()
    review = submitted(case)
    elsewhere = member(Role.QA_OFFICER, case.tom.council)  # the family's council, not the listing's

    with pytest.raises(NotAllowed):
        review_publish(review=review, actor=elsewhere)


def test_finance_officer_of_the_council_may_not_moderate():
    case = reviewable()
    review = submitted(case)
    finance = member(Role.FINANCE_OFFICER, case.seller.organisation.council)

    with pytest.raises(NotAllowed):
        review_publish(review=review, actor=finance)


def test_published_review_cannot_be_published_twice():
    case = reviewable()
    review = published(case)

    with pytest.raises(TransitionNotAllowed):
        review_publish(review=review, actor=case.commissioner)


# --- The provider's reply ------------------------------------------------------------------------------


def test_provider_replies_once():
    case = reviewable()
    review = published(case)

    reply = reply_submit(review=review, author=case.seller.staff, text="Thank you, Tom is a pleasure to teach")

    assert reply.review == review
    assert Notification.objects.filter(recipient=case.tom.parent, subject__contains="replied").exists()
    with pytest.raises(NotAllowed, match="already replied"):
        reply_submit(review=review, author=case.seller.staff, text="And again")


def test_reply_before_publication_is_refused():
    case = reviewable()
    review = submitted(case)

    with pytest.raises(NotAllowed, match="once the council has published"):
        reply_submit(review=review, author=case.seller.staff, text="Thanks")


def test_another_provider_may_not_reply():
    case = reviewable()
    review = published(case)
    other = provider("Moonlight Music")

    with pytest.raises(NotAllowed):
        reply_submit(review=review, author=other.staff, text="Not ours")


# --- The offer's rating -------------------------------------------------------------------------------


def test_submitted_review_does_not_count_towards_the_rating():
    case = reviewable()
    submitted(case)

    case.seller.offer.refresh_from_db()
    assert case.seller.offer.rating_count == 0 and case.seller.offer.rating_average is None


def test_rating_is_the_average_of_published_reviews_and_falls_back_when_one_is_hidden():
    case = reviewable()
    first = published(case, rating=5)
    second_family = family(council=case.tom.council)
    second_order = delivered(second_family, case.seller)
    second = review_submit(order=second_order, author=second_family.parent, rating=2, text="Often late")
    review_publish(review=second, actor=case.qa_officer)

    offer = case.seller.offer
    offer.refresh_from_db()
    assert (offer.rating_average, offer.rating_count) == (Decimal("3.50"), 2)

    review_hide(review=first, actor=case.qa_officer, reason="Written by the provider's relative")
    offer.refresh_from_db()
    assert (offer.rating_average, offer.rating_count) == (Decimal("2.00"), 1)

    review_hide(review=second, actor=case.qa_officer, reason="Not about this service")
    offer.refresh_from_db()
    assert (offer.rating_average, offer.rating_count) == (None, 0)


def test_rating_change_reindexes_the_offer(monkeypatch):
    case = reviewable()
    announced: list[list[int]] = []
    monkeypatch.setattr("providers.services.ratings.listings_changed", lambda ids: announced.append(list(ids)))

    offer_rating_refresh(offer=case.seller.offer)

    assert announced == [[case.seller.offer.pk]]


def test_rating_without_reviews_must_have_no_average():
    offer = provider().offer

    with pytest.raises(ValidationError):
        offer_rating_set(offer=offer, average=Decimal("4"), count=0)
