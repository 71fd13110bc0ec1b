"""Issue #15, fault: a task worker is killed mid-task.

A finance officer starts paying a run; its task goes on the database queue and a real
``manage.py db_worker`` process (django-tasks-db) takes it. The worker is killed with SIGKILL while it is
recording the third payment, inside that payment's transaction. PostgreSQL rolls that payment back, and
the two before it stay paid.

django-tasks-db leaves the task RUNNING for ever: a new worker never takes it again (django-tasks issue
#46), so the run would sit half paid. ``manage.py tasks_recover --worker-id <the dead worker>``
(accounts/task_recovery.py) puts it back on the queue; the next worker resumes the run, which pays only
what is still pending: each item once, the ledger balanced."""

import os
import signal
import subprocess
import sys
import time
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from marketplace.payments import runs
from marketplace.payments.models import PaymentStatus, RunStatus
from marketplace.payments.tasks import run_execute_task
from marketplace.payments.tests.factories import (
    allocation,
    approved_invoice,
    balances,
    finance,
    provider,
    verified_account,
)
from tests.faults.checks import each_item_paid_once, ledger_balances, nothing_half_written
from tests.faults.worker import DATABASE_TASKS

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
D = Decimal
PAYEES = 5
STALL_AT = 3
WORKER = "payments-1"


def _database_url() -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _worker(*worker_args: str, stall_at: int | None = None, flag: Path | None = None) -> subprocess.Popen:  # type: ignore[type-arg]
    command = [sys.executable, "-m", "tests.faults.worker"]
    if stall_at:
        command += ["--stall-at", str(stall_at), "--flag", str(flag)]
    command += ["--", *worker_args, "--no-startup-delay", "--interval", "0.2", "--no-reload"]
    return subprocess.Popen(
        command,
        cwd=settings.BASE_DIR,
        env={**os.environ, "DATABASE_URL": _database_url(), "DJANGO_SETTINGS_MODULE": "config.settings.test"},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def _wait_for(flag: Path, worker: subprocess.Popen, seconds: float = 180) -> None:  # type: ignore[type-arg]
    deadline = time.monotonic() + seconds
    while not flag.exists():
        if worker.poll() is not None:
            pytest.fail(f"the worker ended before it reached the payment:\n{worker.stdout.read()}")  # type: ignore[union-attr]
        if time.monotonic() > deadline:
            worker.kill()
            pytest.fail("the worker did not reach the payment in time")
        time.sleep(0.1)


def _batch(worker_id: str) -> str:
    """A worker that runs whatever is queued and stops; its output."""
    worker = _worker("--batch", "--worker-id", worker_id)
    output, _ = worker.communicate(timeout=300)
    assert worker.returncode == 0, output
    return output


def test_a_worker_killed_mid_payment_run_leaves_its_task_to_recover_and_the_run_is_paid_once(tmp_path):
    team = finance()
    tom = allocation(team.council)
    for number in range(PAYEES):
        seller = provider(team.council, f"Provider {number}")
        verified_account(team.council, checked_by=(team.ann, team.ben), **seller.payee)
        approved_invoice(tom, seller, amount="100.00", approver=team.lena)
    run = runs.run_authorise(run=runs.run_prepare(council=team.council, actor=team.ann), actor=team.ben)
    # What the run page's "Pay" button does (marketplace/payments/views.py, _pay_in_background).
    run = runs.run_start_paying(run=run, actor=team.ben)
    with override_settings(TASKS=DATABASE_TASKS):
        result = run_execute_task.enqueue(run_id=run.pk, actor_id=team.ben.pk)
    task = DBTaskResult.objects.get(pk=result.id)
    flag = tmp_path / "stalled"

    worker = _worker("--worker-id", WORKER, stall_at=STALL_AT, flag=flag)
    _wait_for(flag, worker)
    os.kill(worker.pid, signal.SIGKILL)
    worker.wait(timeout=30)

    task.refresh_from_db()
    run.refresh_from_db()
    assert task.status == TaskResultStatus.RUNNING
    assert task.worker_ids == [WORKER]
    assert (run.status, run.progress_done) == (RunStatus.PAYING, STALL_AT - 1)
    assert run.payments.filter(status=PaymentStatus.SENT).count() == STALL_AT - 1
    nothing_half_written()  # the killed payment's ledger movements went with its transaction
    ledger_balances()

    # The defect: another worker never takes a task a dead worker left RUNNING.
    _batch("payments-2")
    task.refresh_from_db()
    assert task.status == TaskResultStatus.RUNNING

    # The recovery, as the worker's supervisor runs it before starting the worker again.
    out = StringIO()
    call_command("tasks_recover", worker_ids=[WORKER], stdout=out)
    assert "1 abandoned task queued again." in out.getvalue()
    task.refresh_from_db()
    assert task.status == TaskResultStatus.READY

    _batch(WORKER)

    task.refresh_from_db()
    run.refresh_from_db()
    assert task.status == TaskResultStatus.SUCCESSFUL, task.traceback
    assert task.worker_ids == [WORKER, WORKER]
    assert (run.status, run.progress_done, run.progress_total) == (RunStatus.SENT, PAYEES, PAYEES)
    each_item_paid_once(PAYEES)
    nothing_half_written()
    ledger_balances()
    assert balances(tom) == {"provider_payable": 0, "spent": D("500.00"), "family_account": 0}
