"""Paying an authorised run in the background: the page that starts it polls the run's progress. Tasks take
plain ids, so any task backend can store them. A task that dies part-way is safe to enqueue again (or to
resume with `manage.py payment_run execute`): the run pays only what it has not paid."""

import logging

from django_tasks import task

from accounts.models import User
from marketplace.payments.models import PaymentRun
from marketplace.payments.runs import run_execute

logger = logging.getLogger(__name__)


@task()
def run_execute_task(run_id: int, actor_id: int | None = None) -> None:
    run = PaymentRun.objects.get(pk=run_id)
    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    run = run_execute(run=run, actor=actor)
    logger.info("Payment run %s is %s", run.reference, run.status)
