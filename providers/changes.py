"""Telling the layers above that listings changed, without importing them.

Search (a higher layer) registers a listener when it starts; providers' services call
``listings_changed`` after any change to what a listing shows (status, live content, the provider's
profile, QA dates, framework memberships). Listeners run after the transaction commits, so nothing is
indexed that might still roll back, and never during the save itself.
"""

from collections.abc import Callable, Iterable

from django.db import transaction

from providers.models import Offer, PersonalAssistantProfile, ProviderProfile

ListingListener = Callable[[list[int]], None]

listing_listeners: list[ListingListener] = []


def register_listing_listener(listener: ListingListener) -> None:
    if listener not in listing_listeners:
        listing_listeners.append(listener)


def listings_changed(offer_ids: Iterable[int]) -> None:
    """Call every listener with these offer ids once the current transaction commits."""
    ids = sorted(set(offer_ids))
    if not ids:
        return
    for listener in listing_listeners:
        # robust: a listener that fails (a queue that is down) must not undo or break the change.
        transaction.on_commit(_notifier(listener, ids), robust=True)


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
