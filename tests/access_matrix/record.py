"""Writes table.py from what the site answers now: for a new URL's first entry, or after a deliberate change.

Run it through pytest (it needs the test database and the world):

    ACCESS_MATRIX_RECORD=1 .venv/bin/pytest tests/access_matrix/test_matrix.py::test_record -p no:cacheprovider

It keeps each entry's kwargs, ``public`` flag and note, and writes every answer as observed. A URL
with no entry is recorded only when its kwargs are given in ``NEW_KWARGS`` below (an empty dict for a
URL without kwargs). A view whose GET answers 405 for some role is recorded as POST-only (an empty
POST). What it writes is not a proof: read the diff, and where an answer is wrong (another's object
answering 200, a role using a page it should not), fix the view, not the table.
"""

from pathlib import Path

from django.db import transaction
from django.urls import NoReverseMatch

from tests.access_matrix.patterns import url_patterns
from tests.access_matrix.probe import observe, url_for
from tests.access_matrix.spec import CODES, Entry, format_expect
from tests.access_matrix.world import ROLES, SIDES, World

# URLs to add: name -> kwargs spec ({"public_id": "order"}), for URLs that have no entry yet.
NEW_KWARGS: dict[str, dict[str, str]] = {}

TABLE = Path(__file__).with_name("table.py")


def _observe_all(world: World, url: str, entry: Entry) -> dict[tuple[str, str], str]:
    seen: dict[tuple[str, str], str] = {}
    for role in ROLES:
        for side in SIDES:
            if side == "theirs" and role in ("anonymous", "platform_staff"):
                continue
            # Each request in a savepoint rolled back, as each test_access case is: a POST that stops a
            # share or deactivates a term must not change the answers recorded after it.
            with transaction.atomic():
                seen[(role, side)] = observe(world, url, entry, role, side)
                transaction.set_rollback(True)
    return seen


def record(world: World, entries: dict[str, Entry], new_kwargs: dict[str, dict[str, str]]) -> str:
    lines: list[str] = []
    for pattern in url_patterns():
        old = entries.get(pattern.name)
        if old is None and pattern.name not in new_kwargs:
            continue
        kwargs = old.kwargs if old else new_kwargs[pattern.name]
        probe = Entry(kwargs=kwargs, expect={}, method="GET")
        try:
            url = url_for(world, pattern, probe)
        except (NoReverseMatch, KeyError) as error:
            print(f"not recorded: {pattern.name}: {error}")
            continue
        if old is not None and old.method == "POST":
            probe = Entry(kwargs=kwargs, expect={}, method="POST")
        seen = _observe_all(world, url, probe)
        if probe.method == "GET" and "405" in seen.values():
            probe = Entry(kwargs=kwargs, expect={}, method="POST")
            seen = _observe_all(world, url, probe)
        lines.append(_entry_source(pattern.name, kwargs, seen, probe.method, old))
    return _HEADER + "\n".join(lines) + "\n}\n"


def _entry_source(name: str, kwargs: dict[str, str], seen, method: str, old: Entry | None) -> str:  # type: ignore[no-untyped-def]
    tokens = format_expect(seen).split()
    half = len(CODES) // 2 + 1
    parts = [" ".join(tokens[:half]), " ".join(tokens[half:])]
    args = [repr(kwargs), *(repr(part) for part in parts)]
    if method != "GET":
        args.append(f"method={method!r}")
    if old is not None and old.public:
        args.append("public=True")
    if old is not None and old.shared:
        args.append(f"shared={' '.join(sorted(old.shared))!r}")
    if old is not None and old.note:
        args.append(f"note={old.note!r}")
    body = ",\n        ".join(args)
    return f"    {name!r}: E(\n        {body},\n    ),"


_HEADER = '''"""The access-control matrix: for every URL, what each role gets for our object and for another's.

Written by record.py from the site's answers and then read by a person (docs/access-matrix.md); the
columns and answers are explained in spec.py. A new URL must be added here, or test_matrix fails.
"""

from tests.access_matrix.spec import E, Entry

ENTRIES: dict[str, Entry] = {
'''
