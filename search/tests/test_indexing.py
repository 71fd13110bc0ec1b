"""Indexing follows providers' changes after commit, through a task on the "search" queue."""

import datetime

import pytest
from django.db import DatabaseError
from django.utils import timezone
from django_tasks import TaskResultStatus

from providers.models import OfferStatus
from providers.services.offers import offer_set_status
from search.backends.database import DatabaseSearchBackend
from search.exceptions import SearchUnavailable
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


def test_an_indexing_task_that_fails_on_the_database_is_tried_again(monkeypatch):
    offer = listing(name="Swimming lessons")
    failures = iter([DatabaseError("deadlock detected")])
    real_index = DatabaseSearchBackend.index

    def index_once_failing(self, offer_ids):  # type: ignore[no-untyped-def]
        error = next(failures, None)
        if error is not None:
            raise error
        real_index(self, offer_ids)

    monkeypatch.setattr(DatabaseSearchBackend, "index", index_once_failing)

    index_offers_task.enqueue(offer_ids=[offer.pk])

    assert offers_search(SearchQuery(text="swimming")).total == 1


def test_an_indexing_task_gives_up_after_three_attempts(monkeypatch):
    attempts = []

    def always_failing(self, offer_ids):  # type: ignore[no-untyped-def]
        attempts.append(offer_ids)
        raise DatabaseError("deadlock detected")

    monkeypatch.setattr(DatabaseSearchBackend, "index", always_failing)

    result = index_offers_task.enqueue(offer_ids=[1])

    assert len(attempts) == 3
    assert result.status == TaskResultStatus.FAILED


DATABASE_TASKS = {
    "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "notifications", "search"]}
}


def test_an_unreachable_search_cluster_is_tried_again_later_where_tasks_can_wait(monkeypatch, settings):
    from django_tasks_db.models import DBTaskResult

    def unreachable(self, offer_ids):  # type: ignore[no-untyped-def]
        raise SearchUnavailable("Connection refused")

    monkeypatch.setattr(DatabaseSearchBackend, "index", unreachable)
    settings.TASKS = DATABASE_TASKS
    before = timezone.now()

    with pytest.raises(SearchUnavailable):
        index_offers_task.call(offer_ids=[7], attempt=2)

    retry = DBTaskResult.objects.get()
    assert retry.args_kwargs["kwargs"] == {"offer_ids": [7], "attempt": 3}
    assert retry.run_after >= before + datetime.timedelta(minutes=2)


def test_an_unreachable_search_cluster_is_not_retried_by_tasks_that_run_at_once(monkeypatch):
    def unreachable(self, offer_ids):  # type: ignore[no-untyped-def]
        raise SearchUnavailable("Connection refused")

    monkeypatch.setattr(DatabaseSearchBackend, "index", unreachable)

    result = index_offers_task.enqueue(offer_ids=[1])

    assert result.status == TaskResultStatus.FAILED
