"""python manage.py import_offers FILE (--organisation SLUG | --council SLUG) [--actor EMAIL] [--dry-run]"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.models import Organisation, User
from accounts.roles import OrganisationKind
from providers.exceptions import ImportFailed
from providers.management.commands.import_postcodes import count_lines, errors_text, progress_bar
from providers.services.imports import council_directory_import, offers_import


class Command(BaseCommand):
    help = (
        "Import offers from a directory CSV (docs/directory-csv.md): one provider organisation's offers, "
        "or a council's whole directory. Nothing is saved if any row is wrong."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="The CSV file")
        whose = parser.add_mutually_exclusive_group(required=True)
        whose.add_argument("--organisation", metavar="SLUG", help="The provider organisation whose offers these are")
        whose.add_argument("--council", metavar="SLUG", help="The council whose directory this is")
        parser.add_argument("--actor", metavar="EMAIL", help="Who to record as making the changes")
        parser.add_argument("--dry-run", action="store_true", help="Check the file and count rows; save nothing")

    def handle(self, *args: object, file: Path, dry_run: bool, **options: str | None) -> None:
        if not file.is_file():
            raise CommandError(f"There is no file at {file}")
        actor = self._actor(options["actor"])
        rows = max(count_lines(file) - 1, 0)
        with progress_bar(self, total=rows, desc="Offers") as bar:
            try:
                with file.open(encoding="utf-8-sig", newline="") as lines:
                    if options["council"]:
                        council = self._organisation(options["council"], OrganisationKind.COUNCIL)
                        result = council_directory_import(
                            actor=actor, council=council, lines=lines, dry_run=dry_run, progress=bar.update
                        )
                    else:
                        organisation = self._organisation(options["organisation"], OrganisationKind.PROVIDER)
                        result = offers_import(
                            actor=actor, organisation=organisation, lines=lines, dry_run=dry_run, progress=bar.update
                        )
            except ImportFailed as error:
                raise CommandError(errors_text(error)) from None
            except UnicodeDecodeError:
                raise CommandError("The file is not UTF-8 text: save it as CSV UTF-8 and try again") from None
        self.stdout.write(f"Imported {result.summary}.")
        if dry_run:
            self.stdout.write("This was a dry run: nothing was saved.")

    def _organisation(self, slug: str | None, kind: str) -> Organisation:
        organisation = Organisation.objects.filter(slug=slug, kind=kind).first()
        if organisation is None:
            raise CommandError(f"There is no {OrganisationKind(kind).label.lower()} with the slug {slug}")
        return organisation

    def _actor(self, email: str | None) -> User | None:
        if email is None:
            return None
        user = User.objects.filter(email=email.lower()).first()
        if user is None:
            raise CommandError(f"There is no user with the email address {email}")
        return user
