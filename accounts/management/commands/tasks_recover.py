"""python manage.py tasks_recover [--worker-id ID ...] [--older-than MINUTES] [--dry-run]: background tasks a
killed worker left RUNNING go back on the queue (accounts/task_recovery.py says why this is safe).

Run it before starting each supervised worker, with that worker's own id, and every few minutes from cron
with ``--older-than`` for workers that died and were not restarted (docs/deployment.md, "Task workers").
"""

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from accounts.task_recovery import tasks_abandoned, tasks_requeue


class Command(BaseCommand):
    help = (
        "Queue again the background tasks left RUNNING by a worker that was killed: those last claimed by the "
        "given worker ids (a restarted worker's own), or started more than --older-than minutes ago."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--worker-id",
            action="append",
            default=[],
            dest="worker_ids",
            metavar="ID",
            help="A worker known to be dead (about to be started again with this id). May be repeated.",
        )
        parser.add_argument(
            "--older-than",
            type=int,
            metavar="MINUTES",
            help="Also queue again tasks running for longer than this (choose well above the longest task).",
        )
        parser.add_argument("--dry-run", action="store_true", help="List what would be queued again; change nothing.")

    def handle(self, *args: object, worker_ids: list[str], older_than: int | None, dry_run: bool, **options: object):  # type: ignore[no-untyped-def]
        if not worker_ids and older_than is None:
            raise CommandError("Give --worker-id for a worker being restarted, or --older-than MINUTES, or both.")
        if older_than is not None and older_than < 1:
            raise CommandError("--older-than must be at least 1 minute.")
        started_before = timezone.now() - timedelta(minutes=older_than) if older_than is not None else None
        found = tasks_abandoned(worker_ids=worker_ids, started_before=started_before)
        done = found if dry_run else tasks_requeue(found)
        verb = "would be queued again" if dry_run else "queued again"
        for task in done:
            self.stdout.write(
                f"{task.id} {task.task_path} (worker {task.worker_id or 'unknown'}, started {task.started_at}): {verb}"
            )
        self.stdout.write(f"{len(done)} abandoned task{'s' if len(done) != 1 else ''} {verb}.")
