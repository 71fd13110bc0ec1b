"""python manage.py payment_run {prepare,authorise,execute,cancel,status} --council SLUG [--as EMAIL] ...

The payment run from the command line, through the same services as the finance pages (docs/payments.md):

    payment_run prepare --council coventry --as ann@coventry.gov.uk [--pay-on 2026-12-29]
    payment_run authorise PR-2026-0001 --council coventry --as ben@coventry.gov.uk
    payment_run execute PR-2026-0001 --council coventry --as ben@coventry.gov.uk   (also resumes a stopped run)
    payment_run cancel PR-2026-0001 --council coventry --as ann@coventry.gov.uk --reason "Wrong date"
    payment_run status [PR-2026-0001] --council coventry
"""

from collections.abc import Callable
from datetime import date

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from accounts.models import Membership, Organisation, User
from accounts.roles import OrganisationKind, Role
from brokerage.exceptions import BrokerageError
from marketplace.payments import runs
from marketplace.payments.models import PaymentRun
from marketplace.payments.selectors import runs_for_council
from providers.management.commands.import_postcodes import ProgressStream


class Command(BaseCommand):
    help = "Prepare, authorise, pay, cancel or show payment runs of a council (two finance officers)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["prepare", "authorise", "execute", "cancel", "status"])
        parser.add_argument("reference", nargs="?", help="The run, e.g. PR-2026-0001 (all but prepare)")
        parser.add_argument("--council", required=True, help="The council's slug")
        parser.add_argument("--as", dest="email", help="The finance officer acting (all but status)")
        parser.add_argument("--pay-on", type=date.fromisoformat, help="YYYY-MM-DD; the next banking day if left out")
        parser.add_argument("--reason", default="", help="Why the run is cancelled")

    def handle(self, *args: object, action: str, reference: str | None, council: str, **options: object) -> None:
        organisation = Organisation.objects.filter(slug=council, kind=OrganisationKind.COUNCIL).first()
        if organisation is None:
            raise CommandError(f"No council with the slug {council}")
        if action == "status":
            self._status(organisation, reference)
            return
        actor = self._finance_officer(organisation, options["email"])  # type: ignore[arg-type]
        try:
            run = self._act(action, organisation, actor, reference, options)
        except (ValidationError, BrokerageError) as error:
            message = "; ".join(error.messages) if isinstance(error, ValidationError) else str(error)
            raise CommandError(message) from error
        self._describe(run)

    def _act(self, action: str, council: Organisation, actor: User, reference: str | None, options: dict) -> PaymentRun:  # type: ignore[type-arg]
        if action == "prepare":
            requested = options["pay_on"]
            with self._bar("Preparing") as progress:
                run = runs.run_prepare(council=council, actor=actor, pay_on=requested, progress=progress)
            if requested and requested != run.pay_on:
                self.stdout.write(
                    f"{requested:%-d %B %Y} is not a banking day: the run pays on {run.pay_on:%-d %B %Y}."
                )
            return run
        run = self._run(council, reference)
        if action == "authorise":
            return runs.run_authorise(run=run, actor=actor)
        if action == "cancel":
            return runs.run_cancel(run=run, actor=actor, reason=options["reason"])
        with self._bar("Paying") as progress:
            return runs.run_execute(run=run, actor=actor, progress=progress)

    def _finance_officer(self, council: Organisation, email: str | None) -> User:
        if not email:
            raise CommandError("Say who is acting: --as EMAIL of one of the council's finance officers")
        membership = (
            Membership.objects.active()
            .filter(organisation=council, role=Role.FINANCE_OFFICER, user__email__iexact=email)
            .select_related("user")
            .first()
        )
        if membership is None:
            raise CommandError(f"{email} is not a finance officer of {council}")
        return membership.user

    def _run(self, council: Organisation, reference: str | None) -> PaymentRun:
        run = runs_for_council(council).filter(reference=reference).first() if reference else None
        if run is None:
            raise CommandError(f"No payment run {reference or '(give its reference)'} of {council}")
        return run

    def _status(self, council: Organisation, reference: str | None) -> None:
        if reference:
            self._describe(self._run(council, reference))
            return
        for run in runs_for_council(council)[:20]:
            self._describe(run)

    def _describe(self, run: PaymentRun) -> None:
        self.stdout.write(
            f"{run.reference}: {run.get_status_display()}; £{run.total:,.2f} on {run.pay_on:%-d %B %Y}, "
            f"{run.item_count} item(s), {run.progress_done} of {run.progress_total} paid"
        )

    def _bar(self, desc: str) -> "_Bar":
        return _Bar(tqdm(desc=desc, unit=" items", file=ProgressStream(self.stderr), disable=not self.stderr.isatty()))


class _Bar:
    """A tqdm bar as a service's ``progress(done, total)`` callback."""

    def __init__(self, bar: tqdm) -> None:
        self._bar = bar

    def __enter__(self) -> Callable[[int, int], None]:
        return self._update

    def __exit__(self, *exc: object) -> None:
        self._bar.close()

    def _update(self, done: int, total: int) -> None:
        self._bar.total = total
        self._bar.n = done
        self._bar.refresh()
