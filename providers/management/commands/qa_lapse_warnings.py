"""python manage.py qa_lapse_warnings [--dry-run] [--quiet]: the daily lapse warnings, run by cron."""

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone
from tqdm import tqdm

from providers.services.qa import lapse_warnings_due, lapse_warnings_send


class Command(BaseCommand):
    help = (
        "Warn providers and councils' quality-assurance officers 60 and 30 days before a listing's DBS check, "
        "safer-recruitment declaration or insurance lapses. Each warning is sent once, however often this runs."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Count the warnings due; send and record nothing.")
        parser.add_argument("--quiet", action="store_true", help="Do not show a progress bar.")

    def handle(self, *args: object, dry_run: bool, quiet: bool, verbosity: int, **options: object) -> None:
        today = timezone.localdate()
        due = lapse_warnings_due(today=today)
        # The bar goes to the terminal only, so that cron's mail and logs get the summary alone.
        show_progress = not quiet and verbosity > 0 and self.stderr.isatty()
        with tqdm(total=len(due), desc="Lapse warnings", unit=" listings", disable=not show_progress) as bar:
            run = lapse_warnings_send(today=today, due=due, dry_run=dry_run, on_each=bar.update)
        verb = "would be sent" if dry_run else "sent"
        self.stdout.write(
            f"{today:%d %B %Y}: warnings {verb} for {run.listings_warned} listing(s) and "
            f"{run.policies_warned} insurance policy(ies); {run.already_warned} already warned."
        )
