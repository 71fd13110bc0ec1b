"""Indexing in the background: providers' services report changed listings after commit, and a task
on the "search" queue brings the index up to date. Tasks take plain ids, so any task backend can store them."""

from django_tasks import task

from search.backends import get_backend


@task(queue_name="search")
def index_offers_task(offer_ids: list[int]) -> None:
    get_backend().index(offer_ids)


def index_offers_enqueue(offer_ids: list[int]) -> None:
    """The listener registered with ``providers.changes``: runs after the change has committed."""
    index_offers_task.enqueue(offer_ids=list(offer_ids))
