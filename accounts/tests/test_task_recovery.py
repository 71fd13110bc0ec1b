"""manage.py tasks_recover: background tasks a killed worker left RUNNING go back on the queue; tasks still
being run by a live worker, or finished, are left alone. The whole fault (a real worker killed mid payment
run) is tests/faults/test_worker_killed.py, on PostgreSQL."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max

pytestmark = pytest.mark.django_db


def _task(status: str = TaskResultStatus.RUNNING, worker: str = "w1", minutes_ago: int = 1) -> DBTaskResult:
    return DBTaskResult.objects.create(
        status=status,
        args_kwargs={"args": [], "kwargs": {"run_id": 1}},
        task_path="marketplace.payments.tasks.run_execute_task",
        backend_name="default",
        run_after=get_date_max(),
        worker_ids=["w0", worker] if worker else [],
        started_at=timezone.now() - timedelta(minutes=minutes_ago),
    )


def _recover(*args: str) -> str:
    out = StringIO()
    call_command("tasks_recover", *args, stdout=out)
    return out.getvalue()


def _statuses(*tasks: DBTaskResult) -> list[str]:
    return [DBTaskResult.objects.get(pk=task.pk).status for task in tasks]


def test_a_restarted_workers_own_running_task_is_queued_again_and_others_are_left():
    dead, alive, finished = _task(worker="w1"), _task(worker="w2"), _task(TaskResultStatus.SUCCESSFUL, "w1")

    output = _recover("--worker-id", "w1")

    assert _statuses(dead, alive, finished) == ["READY", "RUNNING", "SUCCESSFUL"]
    assert "1 abandoned task queued again." in output
    assert str(dead.pk) in output


def test_a_task_claimed_by_the_dead_worker_earlier_but_now_by_another_is_left():
    moved_on = _task(worker="w2")  # w0 claimed it first, then w2

    _recover("--worker-id", "w0")

    assert _statuses(moved_on) == ["RUNNING"]


def test_tasks_running_longer_than_the_limit_are_queued_again():
    old, recent = _task(worker="w5", minutes_ago=90), _task(worker="w6", minutes_ago=10)

    output = _recover("--older-than", "60")

    assert _statuses(old, recent) == ["READY", "RUNNING"]
    assert "1 abandoned task queued again." in output


def test_a_dry_run_lists_and_changes_nothing():
    dead = _task(worker="w1")

    output = _recover("--worker-id", "w1", "--dry-run")

    assert _statuses(dead) == ["RUNNING"]
    assert "1 abandoned task would be queued again." in output


def test_it_refuses_to_guess_which_tasks_are_abandoned():
    with pytest.raises(CommandError, match="--worker-id"):
        _recover()
    with pytest.raises(CommandError, match="at least 1 minute"):
        _recover("--older-than", "0")
