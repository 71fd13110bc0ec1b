"""manage.py search_index --rebuild | --verify [--sample N] | --offers ID [ID ...]"""

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from search.backends import get_backend
from search.backends.base import IndexCheck
from search.exceptions import SearchUnavailable

# Enough ids to find them in the database; a longer list would only scroll past.
IDS_SHOWN = 20


class Command(BaseCommand):
    help = "Rebuild the search index, bring some offers up to date, or check the index against the database."

    def add_arguments(self, parser: CommandParser) -> None:
        action = parser.add_mutually_exclusive_group(required=True)
        action.add_argument("--rebuild", action="store_true", help="Index every published offer afresh")
        action.add_argument("--verify", action="store_true", help="Compare counts and a sample with the database")
        action.add_argument("--offers", nargs="+", type=int, metavar="ID", help="Reindex these offers (by id)")
        parser.add_argument("--sample", type=int, default=50, help="How many documents --verify compares")
        parser.add_argument("--no-progress", action="store_true", help="No progress bar (for logs)")

    def handle(self, *args, **options) -> None:  # type: ignore[no-untyped-def]
        try:
            self._run(get_backend(), options)
        except SearchUnavailable as error:
            # A cluster that is down is an operator's message, not a traceback.
            raise CommandError(str(error)) from error

    def _run(self, backend, options) -> None:  # type: ignore[no-untyped-def]
        if options["rebuild"]:
            self._rebuild(backend, show_progress=not options["no_progress"])
        elif options["offers"]:
            backend.index(options["offers"])
            self.stdout.write(f"Brought {len(options['offers'])} offers up to date in the {backend.name} index.")
        else:
            self._verify(backend.verify(sample_size=options["sample"]), backend.name)

    def _rebuild(self, backend, *, show_progress: bool) -> None:  # type: ignore[no-untyped-def]
        with tqdm(desc="Indexing offers", unit=" offers", file=self.stderr, disable=not show_progress) as bar:

            def progress(done: int, total: int) -> None:
                bar.total = total
                bar.update(done - bar.n)

            indexed = backend.rebuild(progress=progress)
        self.stdout.write(self.style.SUCCESS(f"Indexed {indexed} published offers in the {backend.name} index."))

    def _verify(self, check: IndexCheck, name: str) -> None:
        self.stdout.write(f"Searchable offers in the database: {check.expected}")
        self.stdout.write(f"Offers in the {name} index:        {check.indexed}")
        problems = {
            "Missing from the index": check.missing,
            "In the index but not searchable": check.unexpected,
            f"Out of date (of {check.sampled} compared)": check.stale,
        }
        for label, ids in problems.items():
            if ids:
                shown = ", ".join(str(offer_id) for offer_id in ids[:IDS_SHOWN])
                more = f" and {len(ids) - IDS_SHOWN} more" if len(ids) > IDS_SHOWN else ""
                self.stdout.write(f"{label}: {shown}{more}")
        if not check.ok:
            raise CommandError("The index does not match the database: run search_index --rebuild")
        self.stdout.write(self.style.SUCCESS(f"The index matches the database ({check.sampled} documents compared)."))
