"""The database backend's own bookkeeping: the word table and the vocabulary stay in step with documents."""

import pytest

from search.backends.database import DatabaseSearchBackend
from search.models import OfferDocument, SearchWord
from search.query import SearchQuery
from search.tests.factories import listing

pytestmark = pytest.mark.django_db


@pytest.fixture
def backend() -> DatabaseSearchBackend:
    return DatabaseSearchBackend()


def test_a_document_deleted_without_the_indexer_leaves_nothing_that_confuses_a_later_one(backend):
    gone = listing(name="Swimming lessons")
    backend.index([gone.pk])
    OfferDocument.objects.filter(offer=gone).delete()  # as a cascade would: its words stay behind

    later = listing(name="Music lessons")
    backend.index([later.pk])

    assert [hit.offer_id for hit in backend.search(SearchQuery(text="lessons")).hits] == [later.pk]
    assert backend.search(SearchQuery(text="swimming")).total == 0


def test_the_vocabulary_counts_the_documents_using_each_word(backend):
    swimming = listing(name="Swimming lessons", description="In the pool.")
    music = listing(name="Music lessons", description="Guitar.")
    backend.index([swimming.pk, music.pk])

    assert SearchWord.objects.get(word="lessons").frequency == 2
    assert SearchWord.objects.get(word="swimming").frequency == 1

    backend.remove([swimming.pk])

    assert SearchWord.objects.get(word="lessons").frequency == 1
    assert not SearchWord.objects.filter(word="swimming").exists()


def test_reindexing_an_unchanged_offer_leaves_the_vocabulary_as_it_was(backend):
    offer = listing(name="Swimming lessons", description="In the pool.")
    backend.index([offer.pk])
    before = dict(SearchWord.objects.values_list("word", "frequency"))

    backend.index([offer.pk])

    assert dict(SearchWord.objects.values_list("word", "frequency")) == before
