import pytest

from accounts.tests.factories import UserFactory
from providers.exceptions import ProvidersError, TransitionNotAllowed
from providers.models import OfferStatus, VersionState
from providers.services.offers import (
    offer_approve,
    offer_create,
    offer_edit,
    offer_reject,
    offer_set_status,
    offer_submit,
)
from providers.tests.factories import ProviderProfileFactory, offer_content, published_offer, term

pytestmark = pytest.mark.django_db


@pytest.fixture
def provider():
    return ProviderProfileFactory().organisation


def test_a_new_offer_is_a_draft_with_one_version(provider):
    alice = UserFactory()

    offer = offer_create(actor=alice, content=offer_content(), organisation=provider)

    assert offer.status == OfferStatus.DRAFT
    assert offer.live_version is None
    assert offer.working_version.number == 1
    assert offer.working_version.state == VersionState.DRAFT


def test_submitting_moves_the_offer_to_pending_and_records_who_and_why(provider):
    alice = UserFactory()
    offer = offer_create(actor=alice, content=offer_content(), organisation=provider)

    offer_submit(offer=offer, actor=alice)

    offer.refresh_from_db()
    assert offer.status == OfferStatus.PENDING
    change = offer.status_changes.get()
    assert (change.old_status, change.new_status, change.actor) == (OfferStatus.DRAFT, OfferStatus.PENDING, alice)


def test_approval_publishes_the_submitted_version():
    offer = published_offer(name="Holiday play scheme")

    assert offer.status == OfferStatus.PUBLISHED
    assert offer.live_version.name == "Holiday play scheme"
    assert offer.live_version.state == VersionState.APPROVED
    assert offer.working_version is None
    assert offer.published_at is not None


def test_rejection_needs_a_reason_and_returns_a_first_version_to_draft(provider):
    alice = UserFactory()
    offer = offer_create(actor=alice, content=offer_content(), organisation=provider)
    offer_submit(offer=offer, actor=alice)

    with pytest.raises(ProvidersError, match="Give a reason"):
        offer_reject(offer=offer, actor=UserFactory(), reason=" ")
    offer_reject(offer=offer, actor=UserFactory(), reason="Add the ages you support")

    offer.refresh_from_db()
    assert offer.status == OfferStatus.DRAFT
    assert offer.working_version.state == VersionState.REJECTED
    assert offer.working_version.decision_reason == "Add the ages you support"


def test_editing_a_published_offer_keeps_the_published_version_visible_until_approved():
    offer = published_offer(name="Saturday club")
    live_before = offer.live_version

    offer_edit(offer=offer, actor=UserFactory(), content=offer_content(name="Saturday and Sunday club"))
    offer_submit(offer=offer, actor=UserFactory())
    offer.refresh_from_db()

    assert offer.status == OfferStatus.PUBLISHED
    assert offer.live_version == live_before
    assert offer.live_version.name == "Saturday club"
    assert offer.has_pending_change

    offer_approve(offer=offer, actor=UserFactory())
    offer.refresh_from_db()
    assert offer.live_version.name == "Saturday and Sunday club"
    live_before.refresh_from_db()
    assert live_before.state == VersionState.SUPERSEDED
    assert offer.versions.count() == 2


def test_a_rejected_change_leaves_the_published_offer_as_it_was():
    offer = published_offer(name="Saturday club")
    offer_edit(offer=offer, actor=UserFactory(), content=offer_content(name="Cheaper club"))
    offer_submit(offer=offer, actor=UserFactory())

    offer_reject(offer=offer, actor=UserFactory(), reason="Prices must include VAT status")

    offer.refresh_from_db()
    assert offer.status == OfferStatus.PUBLISHED
    assert offer.live_version.name == "Saturday club"


def test_editing_copies_nested_rows_into_the_new_version_only():
    offer = published_offer()
    live = offer.live_version

    offer_edit(
        offer=offer, actor=UserFactory(), content=offer_content(cost_options=[{"amount": "25.00", "unit": "session"}])
    )

    offer.refresh_from_db()
    assert [str(c.amount) for c in live.cost_options.all()] == ["18.50"]
    assert [str(c.amount) for c in offer.working_version.cost_options.all()] == ["25.00"]


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (OfferStatus.DRAFT, OfferStatus.PUBLISHED),
        (OfferStatus.DRAFT, OfferStatus.SUSPENDED),
        (OfferStatus.WITHDRAWN, OfferStatus.PUBLISHED),
        (OfferStatus.PENDING, OfferStatus.WITHDRAWN),
    ],
)
def test_moves_outside_the_transition_table_are_refused_and_leave_no_history(provider, old, new):
    offer = offer_create(actor=UserFactory(), content=offer_content(), organisation=provider)
    type(offer).objects.filter(pk=offer.pk).update(status=old)

    with pytest.raises(TransitionNotAllowed):
        offer_set_status(offer=offer, new_status=new, actor=UserFactory())

    assert offer.status_changes.count() == 0


def test_suspend_and_reinstate_are_recorded_with_reasons():
    offer = published_offer()
    qa = UserFactory()

    offer_set_status(offer=offer, new_status=OfferStatus.SUSPENDED, actor=qa, reason="Concern reported")
    offer_set_status(offer=offer, new_status=OfferStatus.PUBLISHED, actor=qa, reason="Enquiry closed")

    reasons = list(offer.status_changes.values_list("reason", flat=True))
    assert reasons[:2] == ["Enquiry closed", "Concern reported"]


def test_an_offer_needs_a_category_and_a_way_of_attending(provider):
    with pytest.raises(ProvidersError, match="at least one kind of support"):
        offer_create(actor=UserFactory(), content=offer_content(categories=[]), organisation=provider)
    with pytest.raises(ProvidersError, match="at home, at a venue or online"):
        offer_create(actor=UserFactory(), content=offer_content(attending_types=["teleport"]), organisation=provider)


def test_a_venue_offer_needs_its_venue(provider):
    with pytest.raises(ProvidersError, match="Add the venue"):
        offer_create(
            actor=UserFactory(),
            content=offer_content(attending_types=["venue"], categories=[term("leisure-and-activities")]),
            organisation=provider,
        )
