"""python manage.py pa_adverts_unanswered [--dry-run] [--enqueue]: unanswered PA adverts become demand signals."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from marketplace.pa_advert_tasks import pa_adverts_unanswered_task
from marketplace.services.pa_adverts import pa_adverts_unanswered


class Command(BaseCommand):
    help = (
        "Record every PA advert open for more than PA_ADVERT_NO_REPLY_DAYS days without a reply as a demand "
        "signal (scrubbed words, postcode district, council and month). An advert is counted once."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Say how many adverts are due; record nothing.")
        parser.add_argument(
            "--enqueue", action="store_true", help="Queue the work for the task worker instead of doing it now."
        )

    def handle(self, *args: object, dry_run: bool, enqueue: bool, **options: object) -> None:
        if enqueue and not dry_run:
            result = pa_adverts_unanswered_task.enqueue()
            self.stdout.write(f"Queued the count of unanswered PA adverts (task {result.id}).")
            return
        run = pa_adverts_unanswered(dry_run=dry_run)
        due = f"{run.checked} advert(s) open more than {settings.PA_ADVERT_NO_REPLY_DAYS} days with no reply"
        self.stdout.write(f"{due}; nothing recorded." if dry_run else f"{due}; counted {run.counted}.")
