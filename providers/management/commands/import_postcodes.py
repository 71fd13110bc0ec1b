"""python manage.py import_postcodes FILE [--dry-run]: load the ONS Postcode Directory or a simple CSV."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser, OutputWrapper
from tqdm import tqdm

from providers.exceptions import ImportFailed
from providers.services.gazetteer import PostcodeImportResult, postcodes_import

ERRORS_SHOWN = 50


class ProgressStream:
    """The command's stderr as tqdm needs it: partial lines, uncoloured.

    OutputWrapper ends every write with a newline and colours stderr as an error, which would break a
    bar redrawn in place with carriage returns.
    """

    def __init__(self, wrapper: OutputWrapper) -> None:
        self._wrapper = wrapper

    def write(self, text: str) -> None:
        self._wrapper.write(text, style_func=str, ending="")

    def flush(self) -> None:
        self._wrapper.flush()

    def __getattr__(self, name: str) -> object:
        return getattr(self._wrapper, name)


def progress_bar(command: BaseCommand, *, total: int | None, desc: str) -> tqdm:
    """A progress bar on stderr, drawn only when stderr is a terminal (not in logs or tests)."""
    return tqdm(
        total=total,
        desc=desc,
        unit=" rows",
        file=ProgressStream(command.stderr),
        disable=not command.stderr.isatty(),
        leave=False,
        dynamic_ncols=True,
    )


def count_lines(path: Path) -> int:
    """Lines in the file, for the progress bar's total: reading bytes is quick even for 1 GB."""
    with path.open("rb") as raw:
        return sum(chunk.count(b"\n") for chunk in iter(lambda: raw.read(1 << 20), b""))


def errors_text(error: ImportFailed) -> str:
    lines = [f"  line {line}: {message}" for line, message in error.errors[:ERRORS_SHOWN]]
    if len(error.errors) > ERRORS_SHOWN:
        lines.append(f"  … and {len(error.errors) - ERRORS_SHOWN} more")
    return "\n".join([f"{error}:", *lines])


class Command(BaseCommand):
    help = (
        "Add or update postcodes from the ONS Postcode Directory CSV, or from a CSV of "
        "postcode,latitude,longitude[,council_code[,council_name]]. Nothing is saved if any row is wrong."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="The CSV file")
        parser.add_argument("--dry-run", action="store_true", help="Check the file and count rows; save nothing")

    def handle(self, *args: object, file: Path, dry_run: bool, **options: object) -> None:
        if not file.is_file():
            raise CommandError(f"There is no file at {file}")
        with progress_bar(self, total=count_lines(file), desc="Postcodes") as bar:
            try:
                with file.open(encoding="utf-8-sig", newline="") as lines:
                    result = postcodes_import(lines=lines, dry_run=dry_run, progress=bar.update)
            except ImportFailed as error:
                raise CommandError(errors_text(error)) from None
            except UnicodeDecodeError:
                raise CommandError("The file is not UTF-8 text: save it as CSV UTF-8 and try again") from None
        self.stdout.write(summary(result))


def summary(result: PostcodeImportResult) -> str:
    lines = [
        f"Read {result.rows_read} rows ({result.file_format}).",
        f"New postcodes: {result.created}. Updated: {result.updated}.",
    ]
    if result.skipped_terminated or result.skipped_without_location:
        lines.append(
            f"Skipped {result.skipped_terminated} terminated postcodes and "
            f"{result.skipped_without_location} without a grid reference."
        )
    if result.districts_derived:
        lines.append(f"Added {result.districts_derived} district centres worked out from their postcodes.")
    if result.dry_run:
        lines.append("This was a dry run: nothing was saved.")
    return "\n".join(lines)
