"""manage.py year_end --council <slug> --year <YYYY> [--dry-run]: apply each stream's surplus policy."""

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from accounts.models import Organisation
from accounts.roles import OrganisationKind
from brokerage.services.year_end import Decision, YearEndReport, year_end_apply, year_end_budgets
from providers.management.commands.import_postcodes import progress_bar

# Enough lines to check a dry run by eye; the totals below cover every budget.
LINES_SHOWN = 200


class Command(BaseCommand):
    help = (
        "Apply each funding stream's surplus policy to a council's budgets for a financial year that has "
        "ended: return unspent money or carry it over. Running it again changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--council", required=True, help="The council's slug")
        parser.add_argument("--year", required=True, type=int, help="The year it starts: 2026 means 2026/27")
        parser.add_argument("--dry-run", action="store_true", help="Report what would happen; record nothing")

    def handle(self, *args, **options) -> None:  # type: ignore[no-untyped-def]
        council = Organisation.objects.filter(slug=options["council"], kind=OrganisationKind.COUNCIL).first()
        if council is None:
            raise CommandError(f"There is no council with the slug {options['council']!r}")
        year, dry_run = options["year"], options["dry_run"]
        total = len(year_end_budgets(council=council, year=year))
        with progress_bar(self, total=total, desc="Budgets") as bar:
            report = year_end_apply(
                council=council, year=year, today=timezone.localdate(), dry_run=dry_run, progress=bar.update
            )
        self._report(report)

    def _report(self, report: YearEndReport) -> None:
        verb = "Would return" if report.dry_run else "Returned"
        for line in report.lines[:LINES_SHOWN]:
            allocation = line.allocation
            amount = f"£{line.to_return:,.2f}" if line.decision == Decision.RETURNED else f"£{line.available:,.2f} left"
            if line.from_family_account:
                amount += f" (£{line.from_family_account:,.2f} of it reclaimed from the family's account)"
            self.stdout.write(f"{allocation.budget}: {allocation} – {line.decision}, {amount}")
        if len(report.lines) > LINES_SHOWN:
            self.stdout.write(f"… and {len(report.lines) - LINES_SHOWN} more allocations")
        year = f"{report.year}/{str(report.year + 1)[-2:]}"
        self.stdout.write(
            f"{verb} £{report.returned:,.2f} from {report.count(Decision.RETURNED)} allocations; "
            f"£{report.carried_over:,.2f} carried over; "
            f"{report.count(Decision.ALREADY_DONE)} already done; "
            f"{report.count(Decision.STILL_RUNNING)} still running."
        )
        done = "Dry run: nothing was recorded." if report.dry_run else f"Year end {year} recorded for {report.council}."
        self.stdout.write(self.style.SUCCESS(done))
