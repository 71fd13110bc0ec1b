"""python manage.py demo_data [--scale N] [--quiet] | demo_data --logins"""

import argparse

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser, OutputWrapper
from django.urls import reverse

from demo.logins import DEMO_LOGINS
from demo.mfa import format_demo_mfa
from demo.report import format_logins, format_tally, format_urls
from demo.runner import demo_data_build
from demo.selectors import demo_logins_missing


def _scale(value: str) -> int:
    try:
        scale = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number") from None
    if scale < 1:
        raise argparse.ArgumentTypeError("the scale must be 1 or more")
    return scale


class _ProgressStream:
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
        # tqdm also reads the stream's encoding (to draw with Unicode blocks) and its file descriptor
        # (to fit the terminal's width); OutputWrapper passes those through to the real stream.
        return getattr(self._wrapper, name)


class Command(BaseCommand):
    help = (
        "Create demo councils, organisations and people with one sign-in per role. Safe to run again: "
        "it adds only what is missing. Demo data only: the shared password is public."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--scale",
            type=_scale,
            default=1,
            help="Multiply the families, personal assistants and extra providers by N, for benchmarks (default 1).",
        )
        parser.add_argument("--logins", action="store_true", help="Only print the demo sign-ins; create nothing.")
        parser.add_argument("--quiet", action="store_true", help="Do not show a progress bar.")
        parser.add_argument(
            "--allow-production-settings",
            action="store_true",
            help="Run even under production settings (for a staging site; the demo password is public).",
        )

    def handle(self, *args: object, scale: int, logins: bool, quiet: bool, verbosity: int, **options: object) -> None:
        # The demo creates a superuser whose password is in the README: never on a live site by accident.
        if not logins and settings.SETTINGS_MODULE.endswith(".production") and not options["allow_production_settings"]:
            raise CommandError(
                "Refusing to load demo data under production settings: the demo password is public. "
                "Use --allow-production-settings for a staging site."
            )
        sections = []
        if not logins:
            # The progress bar goes to the terminal only; piped or logged output stays clean.
            show_progress = not quiet and verbosity > 0 and self.stderr.isatty()
            ctx = demo_data_build(
                scale=scale, show_progress=show_progress, progress_stream=_ProgressStream(self.stderr)
            )
            sections.append(format_tally(ctx.tally, scale=scale))
        sections.append(format_logins(DEMO_LOGINS))
        sections.append(format_demo_mfa())
        missing = demo_logins_missing(DEMO_LOGINS)
        if missing:
            sections.append(
                self.style.WARNING(
                    f"{len(missing)} of these sign-ins do not exist yet: run `python manage.py demo_data`."
                )
            )
        sections.append(
            format_urls(
                site=f"{settings.SITE_URL}/",
                django_admin=f"{settings.SITE_URL}{reverse('admin:index')}",
                wagtail_admin=f"{settings.SITE_URL}{reverse('wagtailadmin_home')}",
            )
        )
        self.stdout.write("\n\n".join(sections))
