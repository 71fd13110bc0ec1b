"""Indexing in the background: providers' services report changed listings after commit, and a task
on the "search" queue brings the index up to date. Tasks take plain ids, so any task backend can store them."""

import logging

from django.db import DatabaseError
from django_tasks import task

from search.backends import get_backend

logger = logging.getLogger(__name__)

# Two tasks updating the same vocabulary words can deadlock; PostgreSQL then stops one of them, which
# succeeds when run again.
ATTEMPTS = 3


@task(queue_name="search")
def index_offers_task(offer_ids: list[int], attempt: int = 1) -> None:
    try:
        get_backend().index(offer_ids)
    except DatabaseError:
        if attempt < ATTEMPTS:
            logger.warning("Indexing offers %s failed (attempt %s of %s); trying again", offer_ids, attempt, ATTEMPTS)
            index_offers_task.enqueue(offer_ids=offer_ids, attempt=attempt + 1)
        raise  # this attempt is recorded as failed either way


def index_offers_enqueue(offer_ids: list[int]) -> None:
    """The listener registered with ``providers.changes``: runs after the change has committed."""
    index_offers_task.enqueue(offer_ids=list(offer_ids))
