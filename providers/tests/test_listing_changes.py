"""The listing-change hook: listeners hear about changed offers after commit, never during the save."""

import pytest

from accounts.tests.factories import UserFactory
from providers import changes
from providers.models import OfferStatus, ProfileStatus
from providers.services.offers import offer_edit, offer_set_status
from providers.services.profiles import profile_set_status
from providers.tests.factories import offer_content, published_offer

pytestmark = pytest.mark.django_db


@pytest.fixture
def heard(monkeypatch):  # type: ignore[no-untyped-def]
    """Offer ids each listener call received, with only this listener registered."""
    calls: list[list[int]] = []
    monkeypatch.setattr(changes, "listing_listeners", [])
    changes.register_listing_listener(calls.append)
    return calls


def test_listeners_hear_nothing_until_the_transaction_commits(heard, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        offer = published_offer()

    assert heard == []
    for callback in callbacks:
        callback()
    assert [offer.pk] in heard


def test_a_status_change_tells_listeners_once_committed(heard, django_capture_on_commit_callbacks):
    offer = published_offer()

    with django_capture_on_commit_callbacks(execute=True):
        offer_set_status(offer=offer, new_status=OfferStatus.SUSPENDED, actor=None, reason="Concern raised")

    assert heard == [[offer.pk]]


def test_editing_a_published_offer_tells_listeners(heard, django_capture_on_commit_callbacks):
    offer = published_offer()

    with django_capture_on_commit_callbacks(execute=True):
        offer_edit(offer=offer, actor=UserFactory(), content=offer_content(capacity_places=2))

    assert heard == [[offer.pk]]


def test_a_profile_status_change_tells_listeners_about_every_offer_of_the_provider(
    heard, django_capture_on_commit_callbacks
):
    first = published_offer()
    second = published_offer(organisation=first.organisation)
    profile = first.organisation.provider_profile
    profile.status = ProfileStatus.PUBLISHED
    profile.save()

    with django_capture_on_commit_callbacks(execute=True):
        profile_set_status(profile=profile, new_status=ProfileStatus.SUSPENDED, actor=None, reason="Concern")

    assert heard == [sorted([first.pk, second.pk])]


def test_a_failing_listener_does_not_undo_the_change(monkeypatch, django_capture_on_commit_callbacks):
    def broken(offer_ids: list[int]) -> None:
        raise RuntimeError("queue is down")

    monkeypatch.setattr(changes, "listing_listeners", [])
    changes.register_listing_listener(broken)
    offer = published_offer()

    with django_capture_on_commit_callbacks(execute=True):
        offer_set_status(offer=offer, new_status=OfferStatus.WITHDRAWN, actor=None, reason="Closed")

    offer.refresh_from_db()
    assert offer.status == OfferStatus.WITHDRAWN


def test_a_listener_is_registered_once():
    before = list(changes.listing_listeners)

    def listener(offer_ids: list[int]) -> None:
        return None

    try:
        changes.register_listing_listener(listener)
        changes.register_listing_listener(listener)
        assert changes.listing_listeners.count(listener) == 1
    finally:
        changes.listing_listeners[:] = before


def test_batched_changes_reach_listeners_once_with_every_offer(heard, django_capture_on_commit_callbacks):
    first, second = published_offer(), published_offer()

    with django_capture_on_commit_callbacks(execute=True), changes.listings_changes_batched():
        offer_set_status(offer=first, new_status=OfferStatus.SUSPENDED, actor=None, reason="Concern raised")
        with changes.listings_changes_batched():
            offer_edit(offer=second, actor=UserFactory(), content=offer_content(capacity_places=2))
        assert heard == []

    assert heard == [sorted([first.pk, second.pk])]


def test_a_failed_batch_announces_nothing_and_later_changes_are_heard_again(heard, django_capture_on_commit_callbacks):
    offer = published_offer()

    with pytest.raises(RuntimeError), changes.listings_changes_batched():
        changes.listings_changed([offer.pk])
        raise RuntimeError("the bulk job failed")
    with django_capture_on_commit_callbacks(execute=True):
        changes.listings_changed([offer.pk])

    assert heard == [[offer.pk]]
