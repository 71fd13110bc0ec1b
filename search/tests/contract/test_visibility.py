"""Only published offers of listed providers are ever returned, whatever is asked of the index."""

from accounts.tests.factories import UserFactory
from providers.models import OfferStatus, ProfileStatus
from providers.services.offers import offer_approve, offer_create, offer_edit, offer_set_status, offer_submit
from providers.services.profiles import profile_set_status
from providers.tests.factories import ProviderProfileFactory, offer_content
from search.query import SearchQuery
from search.tests.factories import listing


def everything(backend):  # type: ignore[no-untyped-def]
    return {hit.offer_id for hit in backend.search(SearchQuery(per_page=100)).hits}


def test_drafts_pending_suspended_and_withdrawn_offers_are_never_returned(backend):
    provider = ProviderProfileFactory().organisation
    alice = UserFactory()
    draft = offer_create(actor=alice, content=offer_content(name="Draft club"), organisation=provider)
    pending = offer_create(actor=alice, content=offer_content(name="Pending club"), organisation=provider)
    offer_submit(offer=pending, actor=alice)
    suspended = listing(name="Suspended club")
    offer_set_status(offer=suspended, new_status=OfferStatus.SUSPENDED, actor=alice, reason="Concern raised")
    withdrawn = listing(name="Withdrawn club")
    offer_set_status(offer=withdrawn, new_status=OfferStatus.WITHDRAWN, actor=alice, reason="Closed")
    published = listing(name="Open club")

    backend.index([draft.pk, pending.pk, suspended.pk, withdrawn.pk, published.pk])

    assert everything(backend) == {published.pk}
    assert backend.search(SearchQuery(text="club")).total == 1
    assert backend.text_matches("club") == [published.pk]


def test_a_rebuild_indexes_only_published_offers(backend):
    published = listing(name="Open club")
    suspended = listing(name="Suspended club")
    offer_set_status(offer=suspended, new_status=OfferStatus.SUSPENDED, actor=None, reason="Concern raised")

    assert backend.rebuild() == 1
    assert everything(backend) == {published.pk}


def test_reindexing_an_offer_that_is_no_longer_published_removes_it(backend):
    offer = listing(name="Open club")
    backend.index([offer.pk])
    offer_set_status(offer=offer, new_status=OfferStatus.SUSPENDED, actor=None, reason="Concern raised")

    backend.index([offer.pk])

    assert everything(backend) == set()
    assert backend.search(SearchQuery(text="club")).total == 0


def test_offers_of_a_suspended_provider_are_not_returned(backend):
    offer = listing(name="Open club")
    profile = offer.organisation.provider_profile
    profile.status = ProfileStatus.PENDING
    profile.save()
    profile_set_status(profile=profile, new_status=ProfileStatus.PUBLISHED, actor=None)
    profile_set_status(profile=profile, new_status=ProfileStatus.SUSPENDED, actor=None, reason="Concern raised")

    backend.index([offer.pk])

    assert everything(backend) == set()


def test_removed_offers_are_not_returned(backend):
    kept, removed = listing(name="Kept club"), listing(name="Removed club")
    backend.index([kept.pk, removed.pk])

    backend.remove([removed.pk])

    assert everything(backend) == {kept.pk}
    assert backend.text_matches("removed") == []


def test_an_edit_is_searchable_once_reindexed_and_the_old_words_are_gone(backend):
    offer = listing(name="Swimming lessons", description="Small groups in a warm pool.")
    backend.index([offer.pk])

    offer_edit(offer=offer, actor=UserFactory(), content=offer_content(name="Climbing lessons"))
    offer_submit(offer=offer, actor=UserFactory())
    offer_approve(offer=offer, actor=UserFactory())
    backend.index([offer.pk])

    assert backend.search(SearchQuery(text="climbing")).total == 1
    assert backend.search(SearchQuery(text="swimming")).total == 0
    # "swiming" is no longer one edit from a word any offer uses.
    assert backend.search(SearchQuery(text="swiming")).suggestions == []
