"""A django-tasks-db worker for the fault tests, run as its own process: ``python -m tests.faults.worker
[--stall-at N --flag PATH] -- <db_worker options>``.

It uses the test settings (the database from DATABASE_URL, the test encryption key) with the database task
backend instead of the test suite's immediate one. With ``--stall-at N`` it stops for good while recording
the N-th payment of a payment run, inside that payment's transaction after its ledger movements are
written, and creates PATH to say so: the test then kills it there."""

import argparse
import os
import time
from pathlib import Path

DATABASE_TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default", "notifications", "search"],
    }
}


def _stall_at(payment_number: int, flag: Path) -> None:
    from marketplace.payments import runs

    mark, marked = runs._payment_mark, []

    def mark_or_stall(payment, status, **kwargs):  # type: ignore[no-untyped-def]
        marked.append(payment.pk)
        if len(marked) == payment_number:
            flag.write_text(str(payment.pk))
            while True:  # until the test kills this process
                time.sleep(1)
        return mark(payment, status, **kwargs)

    runs._payment_mark = mark_or_stall


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--stall-at", type=int)
    parser.add_argument("--flag", type=Path)
    parser.add_argument("worker_args", nargs="*")
    options = parser.parse_args()

    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    import django
    from django.conf import settings

    settings.TASKS = DATABASE_TASKS
    django.setup()
    if options.stall_at:
        _stall_at(options.stall_at, options.flag)

    from django.core.management import call_command

    call_command("db_worker", *options.worker_args)


if __name__ == "__main__":
    main()
