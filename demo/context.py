"""What the demo builders share: the scale, what has been built so far, the tally and the progress bar."""

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from typing import Protocol

from django.contrib.auth.hashers import make_password
from tqdm import tqdm

from accounts.models import Organisation, User
from demo.logins import DEMO_PASSWORD

# A fixed salt makes the demo password hash the same on every run, so a re-run can tell cheaply
# (without hashing again) whether a demo sign-in still has the demo password. It is long enough that
# Django does not ask to re-hash it on sign-in. The password itself is public, so the salt hides nothing.
_DEMO_PASSWORD_SALT = "supportexchangedemodata2026"  # noqa: S105  (salt for the public demo password)


class ProgressStream(Protocol):
    def write(self, text: str, /) -> object: ...

    def flush(self) -> object: ...


@dataclass
class Count:
    created: int = 0
    existing: int = 0


@dataclass
class Tally:
    """Rows created and rows found already there, per kind of row, in the order first recorded."""

    counts: dict[str, Count] = field(default_factory=dict)
    passwords_restored: int = 0

    def record(self, label: str, *, created: int, existing: int) -> None:
        count = self.counts.setdefault(label, Count())
        count.created += created
        count.existing += existing

    @property
    def created(self) -> int:
        return sum(count.created for count in self.counts.values())


@dataclass
class DemoContext:
    """Passed to each builder in turn; later builders find here what earlier ones made.

    ``organisations`` and ``users`` hold every demo row by natural key (slug, email), whether created
    now or found from an earlier run; ``members`` lists the emails holding a role in an organisation.
    """

    scale: int = 1
    show_progress: bool = False
    progress_stream: ProgressStream | None = None
    tally: Tally = field(default_factory=Tally)
    organisations: dict[str, Organisation] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    members: dict[tuple[str, str], list[str]] = field(default_factory=lambda: defaultdict(list))
    provider_categories: dict[str, str] = field(default_factory=dict)

    @cached_property
    def password_hash(self) -> str:
        # Hashing takes about half a second, so every demo user shares this one hash.
        return make_password(DEMO_PASSWORD, salt=_DEMO_PASSWORD_SALT)

    def people(self, organisation_slug: str, role: str) -> list[User]:
        return [self.users[email] for email in self.members.get((organisation_slug, role), [])]

    def progress(self, *, total: int, desc: str) -> tqdm:
        return tqdm(
            total=total,
            desc=desc,
            unit=" rows",
            file=self.progress_stream,
            disable=not self.show_progress,
            leave=False,
            dynamic_ncols=True,
        )
