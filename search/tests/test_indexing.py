"""Indexing follows providers' changes after commit, through a task on the "search" queue."""

import pytest

from providers.models import OfferStatus
from providers.services.offers import offer_set_status
from search.models import OfferDocument
from search.query import SearchQuery
from search.selectors import offers_search
from search.tasks import index_offers_task
from search.tests.factories import listing

pytestmark = pytest.mark.django_db


def test_a_published_offer_becomes_searchable_once_the_transaction_commits(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        offer = listing(name="Swimming lessons")

    assert not OfferDocument.objects.exists()  # nothing is indexed while the change could still roll back
    for callback in callbacks:
        callback()
    assert [hit.offer_id for hit in offers_search(SearchQuery(text="swimming")).hits] == [offer.pk]


def test_a_suspended_offer_leaves_search_once_the_change_commits(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        offer = listing(name="Swimming lessons")

    with django_capture_on_commit_callbacks(execute=True):
        offer_set_status(offer=offer, new_status=OfferStatus.SUSPENDED, actor=None, reason="Concern raised")

    assert offers_search(SearchQuery(text="swimming")).total == 0


class TaskRecorder:
    def __init__(self) -> None:
        self.enqueued: list[dict] = []

    def enqueue(self, **kwargs) -> None:  # type: ignore[no-untyped-def]
        self.enqueued.append(kwargs)


def test_indexing_runs_as_a_task_on_the_search_queue(django_capture_on_commit_callbacks, monkeypatch):
    recorder = TaskRecorder()
    monkeypatch.setattr("search.tasks.index_offers_task", recorder)

    with django_capture_on_commit_callbacks(execute=True):
        offer = listing(name="Swimming lessons")

    assert index_offers_task.queue_name == "search"
    assert {"offer_ids": [offer.pk]} in recorder.enqueued
    assert not OfferDocument.objects.exists()  # the task, not the save, does the indexing
