"""Indexing in the background: providers' services report changed listings after commit, and a task
on the "search" queue brings the index up to date. Tasks take plain ids, so any task backend can store them."""

import logging
from datetime import timedelta

from django.db import DatabaseError
from django.utils import timezone
from django_tasks import default_task_backend, task

from search.backends import get_backend
from search.exceptions import SearchUnavailable

logger = logging.getLogger(__name__)

# Two tasks updating the same vocabulary words can deadlock; PostgreSQL then stops one of them, which
# succeeds when run again. A search cluster that cannot be reached is tried again later, a little
# longer after each attempt (1, 2, 4 ... minutes) where the task backend can wait; `search_index
# --verify` after an outage finds anything still missed.
ATTEMPTS = 3
CLUSTER_ATTEMPTS = 6


@task(queue_name="search")
def index_offers_task(offer_ids: list[int], attempt: int = 1) -> None:
    try:
        get_backend().index(offer_ids)
    except DatabaseError:
        if attempt < ATTEMPTS:
            logger.warning("Indexing offers %s failed (attempt %s of %s); trying again", offer_ids, attempt, ATTEMPTS)
            index_offers_task.enqueue(offer_ids=offer_ids, attempt=attempt + 1)
        raise  # this attempt is recorded as failed either way
    except SearchUnavailable:
        if attempt < CLUSTER_ATTEMPTS and default_task_backend.supports_defer:
            wait = timedelta(minutes=2 ** (attempt - 1))
            logger.warning("Search is unavailable; indexing offers %s again in %s", offer_ids, wait)
            index_offers_task.using(run_after=timezone.now() + wait).enqueue(offer_ids=offer_ids, attempt=attempt + 1)
        raise


def index_offers_enqueue(offer_ids: list[int]) -> None:
    """The listener registered with ``providers.changes``: runs after the change has committed."""
    index_offers_task.enqueue(offer_ids=list(offer_ids))
