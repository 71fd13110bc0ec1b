"""python manage.py monitoring_flags [--quiet]: the daily light-touch monitoring of direct payments, run by cron."""

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone
from tqdm import tqdm

from brokerage.services.monitoring import allocations_to_monitor, monitoring_flags_raise


class Command(BaseCommand):
    help = (
        "Flag direct payments with a surplus above the stream's weeks of spend, or with no spending recorded for "
        "the council's number of weeks. Each flag is raised once, however often this runs."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--quiet", action="store_true", help="Do not show a progress bar.")

    def handle(self, *args: object, quiet: bool, verbosity: int, **options: object) -> None:
        today = timezone.localdate()
        allocations = list(allocations_to_monitor())
        # The bar goes to the terminal only, so that cron's mail and logs get the summary alone.
        show_progress = not quiet and verbosity > 0 and self.stderr.isatty()
        with tqdm(total=len(allocations), desc="Direct payments", unit=" budgets", disable=not show_progress) as bar:
            run = monitoring_flags_raise(today=today, allocations=allocations, on_each=bar.update)
        self.stdout.write(f"{today:%d %B %Y}: checked {run.checked} direct payment(s); raised {run.raised} flag(s).")
