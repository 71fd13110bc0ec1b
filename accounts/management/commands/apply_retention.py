"""python manage.py apply_retention [--dry-run] [--only KEY ...] [--list] [--quiet]: the retention schedule.

Run daily by cron, or enqueue ``accounts.tasks.retention_apply_task`` from the scheduler. Each kind of
record is dealt with in its own transaction and audited; running it twice changes nothing the second time.
"""

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from tqdm import tqdm

from accounts.retention import RetentionResult, retention_apply, retention_rules


class Command(BaseCommand):
    help = (
        "Delete or anonymise the records whose time is up under the retention schedule (docs/data-protection.md). "
        "With --dry-run, say how many of each kind would go and change nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Count what is due; change nothing.")
        parser.add_argument("--only", nargs="+", metavar="KEY", help="Apply only these rules (see --list).")
        parser.add_argument("--list", action="store_true", help="Print the schedule and stop.")
        parser.add_argument("--quiet", action="store_true", help="Do not show a progress bar.")

    def handle(self, *args: object, dry_run: bool, only: list[str] | None, quiet: bool, **options: object) -> None:
        rules = retention_rules()
        if options["list"]:
            for rule in rules:
                self.stdout.write(f"{rule.key}\n  {rule.record_type}: {rule.action}, {rule.period}.\n  {rule.reason}")
            return
        unknown = sorted(set(only or []) - {rule.key for rule in rules})
        if unknown:
            raise CommandError(f"No such retention rule: {', '.join(unknown)}. See --list.")
        today = timezone.localdate()
        total = len(only) if only else len(rules)
        # The bar goes to the terminal only, so that cron's mail and logs get the summary alone.
        show_progress = not quiet and options["verbosity"] > 0 and self.stderr.isatty()
        with tqdm(total=total, desc="Retention rules", unit=" rules", disable=not show_progress) as bar:

            def done(result: RetentionResult) -> None:
                bar.update(1)

            run = retention_apply(today=today, dry_run=dry_run, only=only, on_each=done)
        verb = "would be" if dry_run else "were"
        self.stdout.write(
            f"Retention schedule as of {today:%d %B %Y}{' (dry run: nothing changed)' if dry_run else ''}:"
        )
        for result in run.results:
            action = "anonymised" if result.rule.action == "anonymise" else "deleted"
            count = result.due if dry_run else result.changed
            skipped = (
                "" if dry_run or result.changed == result.due else f" ({result.due - result.changed} still in use)"
            )
            self.stdout.write(f"  {result.rule.record_type}: {count} {verb} {action}{skipped}")
        self.stdout.write(f"{run.total_due} record(s) due in all.")
