"""What demo_data prints: the tally of rows and the table of demo sign-ins."""

from collections.abc import Iterable, Sequence

from demo.context import Tally
from demo.logins import DEMO_PASSWORD, DemoLogin

_NO_ORGANISATION = "-"


def format_table(headings: Sequence[str], rows: Iterable[Sequence[str]], *, align_right_from: int | None = None) -> str:
    """A plain-text table with columns padded to their widest cell and a rule under the headings."""
    rows = [list(map(str, row)) for row in rows]
    widths = [max(len(cell) for cell in column) for column in zip(headings, *rows, strict=False)]

    def line(cells: Sequence[str]) -> str:
        padded = [
            cell.rjust(width) if align_right_from is not None and index >= align_right_from else cell.ljust(width)
            for index, (cell, width) in enumerate(zip(cells, widths, strict=True))
        ]
        return "  " + "   ".join(padded).rstrip()

    rule = "  " + "   ".join("-" * width for width in widths)
    return "\n".join([line(headings), rule, *(line(row) for row in rows)])


def format_tally(tally: Tally, *, scale: int) -> str:
    rows = [(label, str(count.created), str(count.existing)) for label, count in tally.counts.items()]
    lines = [
        f"Demo data is ready (scale {scale}).",
        "",
        format_table(("Rows", "created", "already there"), rows, align_right_from=1),
    ]
    if tally.passwords_restored:
        lines += ["", f"The demo password was restored on {tally.passwords_restored} demo sign-in(s)."]
    return "\n".join(lines)


def format_logins(logins: Sequence[DemoLogin]) -> str:
    rows = [
        (login.role_label, login.email, login.organisation.name if login.organisation else _NO_ORGANISATION)
        for login in logins
    ]
    return "\n".join(
        [
            f"Demo sign-ins. The password for each is {DEMO_PASSWORD} (demo data only).",
            "",
            format_table(("Role", "Email", "Organisation"), rows),
        ]
    )


def format_urls(*, site: str, django_admin: str, wagtail_admin: str) -> str:
    return format_table(
        ("Where", "Address"),
        [("The site", site), ("Django admin", django_admin), ("Wagtail admin (content)", wagtail_admin)],
    )
