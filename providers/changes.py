"""Telling the layers above that listings changed, without importing them.

Search (a higher layer) registers a listener when it starts; providers' services call
``listings_changed`` after any change to what a listing shows (status, live content, the provider's
profile, QA dates, framework memberships). Listeners run after the transaction commits, so nothing is
indexed that might still roll back, and never during the save itself.
"""

import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager

from django.db import transaction

from providers.models import Offer, PersonalAssistantProfile, ProviderProfile

ListingListener = Callable[[list[int]], None]

listing_listeners: list[ListingListener] = []

# Offer ids gathered while changes are batched (see ``listings_changes_batched``), per thread.
_batches = threading.local()


def register_listing_listener(listener: ListingListener) -> None:
    if listener not in listing_listeners:
        listing_listeners.append(listener)


def listings_changed(offer_ids: Iterable[int]) -> None:
    """Call every listener with these offer ids once the current transaction commits."""
    ids = sorted(set(offer_ids))
    if not ids:
        return
    batch: set[int] | None = getattr(_batches, "ids", None)
    if batch is not None:
        batch.update(ids)
        return
    for listener in listing_listeners:
        # robust: a listener that fails (a queue that is down) must not undo or break the change.
        transaction.on_commit(_notifier(listener, ids), robust=True)


@contextmanager
def listings_changes_batched() -> Iterator[None]:
    """Announce every change made inside the block once, at its end, instead of one by one.

    For bulk work (the demo directory, imports) that changes hundreds of listings in one transaction:
    the listeners then get one call with every offer id, rather than hundreds of small ones.
    """
    if getattr(_batches, "ids", None) is not None:
        yield  # already batching: the outer block announces
        return
    _batches.ids = set()
    try:
        yield
        ids = _batches.ids
    finally:
        _batches.ids = None
    listings_changed(ids)


def _notifier(listener: ListingListener, offer_ids: list[int]) -> Callable[[], None]:
    def notify() -> None:
        listener(offer_ids)

    # A failing robust callback is logged by name.
    notify.__qualname__ = f"listings_changed:{getattr(listener, '__qualname__', repr(listener))}"
    return notify


def profile_listings_changed(profile: ProviderProfile | PersonalAssistantProfile) -> None:
    """Every offer of this provider or personal assistant changed (their name, status or checks)."""
    if isinstance(profile, PersonalAssistantProfile):
        offers = Offer.objects.filter(personal_assistant=profile)
    else:
        offers = Offer.objects.filter(organisation_id=profile.organisation_id)
    listings_changed(offers.values_list("pk", flat=True))


def organisation_listings_changed(organisation_id: int) -> None:
    """Every offer of this organisation changed (e.g. a framework membership began or ended)."""
    listings_changed(Offer.objects.filter(organisation_id=organisation_id).values_list("pk", flat=True))
