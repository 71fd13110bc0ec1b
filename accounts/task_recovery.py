"""Background tasks a killed worker left RUNNING, put back on the queue.

django-tasks-db marks a task RUNNING when a worker claims it and SUCCESSFUL or FAILED when it ends. A worker
killed part-way (SIGKILL, the out-of-memory killer, a machine lost) never gets to the end, so its task
stays RUNNING for ever and no worker picks it up again (django-tasks issue #46). This finds such tasks and
makes them READY, so that the next free worker runs them again.

Running a task again is safe for every task of this project: a payment run pays only what it has not paid
(and two executors of one run wait on each other), notifications are delivered once, the daily jobs deal
with each record once and indexing is idempotent. A task is abandoned when

- the worker that claimed it last is named in ``worker_ids``: a supervisor that restarts worker ``w1``
  with the same ``--worker-id`` knows that the previous ``w1`` is dead, so its task can go back at once;
- or it started before ``started_before``: a worker that died on another machine, found by a periodic
  sweep. A task still running after that long is run a second time alongside (harmless, as above, but
  choose a limit well above the longest task: a council's payment run takes minutes).
"""

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class AbandonedTask:
    id: str
    task_path: str
    queue_name: str
    worker_id: str
    started_at: datetime | None


def tasks_abandoned(*, worker_ids: Iterable[str] = (), started_before: datetime | None = None) -> list[AbandonedTask]:
    """RUNNING tasks last claimed by one of ``worker_ids`` or started before ``started_before``."""
    dead = set(worker_ids)
    found = []
    for result in DBTaskResult.objects.running().order_by("started_at"):
        last_worker = result.worker_ids[-1] if result.worker_ids else ""
        stale = started_before is not None and result.started_at is not None and result.started_at < started_before
        if last_worker in dead or stale:
            found.append(
                AbandonedTask(
                    id=str(result.pk),
                    task_path=result.task_path,
                    queue_name=result.queue_name,
                    worker_id=last_worker,
                    started_at=result.started_at,
                )
            )
    return found


@transaction.atomic
def tasks_requeue(tasks: Iterable[AbandonedTask]) -> list[AbandonedTask]:
    """Make each task READY again, unless it has finished meanwhile; the tasks re-queued."""
    requeued = []
    for task in tasks:
        # Only while still RUNNING: a live worker finishing it at this moment keeps its result.
        changed = DBTaskResult.objects.filter(pk=task.id, status=TaskResultStatus.RUNNING).update(
            status=TaskResultStatus.READY
        )
        if changed:
            requeued.append(task)
            logger.warning(
                "Task %s (%s) was left running by worker %s since %s; queued again",
                task.id,
                task.task_path,
                task.worker_id or "unknown",
                task.started_at,
            )
    return requeued
