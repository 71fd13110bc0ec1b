"""The access-control matrix (issue #15): every URL and API operation, every role, ours and theirs.

See docs/access-matrix.md. The world (the demo, plus "their" users) is built once for this module.
"""

import os
import re

import pytest
from django.urls import Resolver404, resolve

from tests.access_matrix.objects import NOT_OBJECTS
from tests.access_matrix.patterns import api_operations, url_patterns
from tests.access_matrix.probe import observe, url_for
from tests.access_matrix.spec import CODE_FOR_ROLE, ONE_SIDED
from tests.access_matrix.table import ENTRIES, KNOWN_MISSING, PENDING
from tests.access_matrix.world import ROLES, SIDES, World

PATTERNS = {pattern.name: pattern for pattern in url_patterns()}
# "Refused" answers: what another side, or a role that may not, must get.
REFUSED = {"403", "404", "405", "signin"}


def _cases() -> list[tuple[str, str, str]]:
    cases = []
    for name in sorted(ENTRIES):
        for role in ROLES:
            for side in SIDES:
                if side == "theirs" and role in ONE_SIDED:
                    continue
                cases.append((name, role, side))
    return cases


def test_every_url_has_an_entry() -> None:
    missing = sorted(set(PATTERNS) - set(ENTRIES) - set(PENDING))
    assert not missing, (
        "These URLs have no entry in tests/access_matrix/table.py; add one (docs/access-matrix.md says how): "
        + ", ".join(f"{name} ({PATTERNS[name].route})" for name in missing)
    )


def test_pending_urls_are_not_in_the_table() -> None:
    """PENDING lists URLs whose answers are not yet recorded and read; none of them may have an entry."""
    assert not set(PENDING) & set(ENTRIES)


def test_every_entry_is_a_url() -> None:
    stale = sorted((set(ENTRIES) | set(PENDING)) - set(PATTERNS))
    assert not stale, f"table.py has entries for URLs that no longer exist: {', '.join(stale)}"


def test_every_entry_names_every_kwarg() -> None:
    for name, entry in ENTRIES.items():
        wanted = set(PATTERNS[name].converters) | set(PATTERNS[name].regex_groups)
        given = {kwarg for kwarg in entry.kwargs if not kwarg.isdigit()}
        assert given == wanted, f"{name}: the table gives kwargs {sorted(given)}, the URL takes {sorted(wanted)}"


def test_every_api_operation_has_an_entry() -> None:
    operations = api_operations()
    assert operations, "the API schema lists no operations"
    for method, path in operations:
        concrete = re.sub(r"\{[^}]+\}", "00000000-0000-4000-8000-000000000001", path)
        try:
            match = resolve(concrete)
        except Resolver404:  # pragma: no cover - a schema path the URLs do not answer is itself a bug
            pytest.fail(f"the API schema lists {method} {path}, which no URL answers")
        assert match.view_name in ENTRIES or match.view_name in PENDING, (
            f"API operation {method} {path} ({match.view_name}) has no entry"
        )
        entry = ENTRIES.get(match.view_name)
        assert entry is None or method == "GET" or entry.method == method, f"{method} {path}: not tested"


def test_the_table_never_lets_another_side_in() -> None:
    """What the table itself promises: no other side sees a private object, no role gets a 500."""
    for name, entry in ENTRIES.items():
        assert entry.answer("anonymous", "ours") != "302" or entry.note, f"{name}: anonymous redirected, not to sign-in"
        for role in ROLES:
            if role in ONE_SIDED or CODE_FOR_ROLE[role] in entry.shared:
                continue
            theirs = entry.answer(role, "theirs")
            owned = [key for key in entry.kwargs.values() if key.partition(".")[0] not in NOT_OBJECTS]
            if owned and not entry.public:
                assert theirs in REFUSED, f"{name}: {role} of another side gets {theirs} for our object"
            if entry.method == "POST" and owned and not entry.public:
                assert theirs in REFUSED | {"400"}, f"{name}: an empty POST by {role} of another side got {theirs}"


@pytest.mark.postgres  # the requests: on PostgreSQL only (docs/access-matrix.md), like the browser tests
@pytest.mark.django_db
def test_the_world_has_every_object(world: World) -> None:
    assert world.missing == KNOWN_MISSING, (
        f"the demo no longer has (or now has) objects for {sorted(world.missing ^ KNOWN_MISSING)}: "
        "point the finder in objects.py at another, or update KNOWN_MISSING in table.py"
    )


@pytest.mark.postgres  # the requests: on PostgreSQL only (docs/access-matrix.md), like the browser tests
@pytest.mark.django_db
@pytest.mark.parametrize(("name", "role", "side"), _cases())
def test_access(world: World, name: str, role: str, side: str) -> None:
    entry = ENTRIES[name]
    url = url_for(world, PATTERNS[name], entry)
    expected = entry.answer(role, side)
    got = observe(world, url, entry, role, side)
    assert got == expected, f"{entry.method} {url} ({name}) as {role} ({side}): expected {expected}, got {got}"


@pytest.mark.postgres  # the requests: on PostgreSQL only (docs/access-matrix.md), like the browser tests
@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(name for name, entry in ENTRIES.items() if entry.method == "POST"))
def test_post_only_views_never_serve_a_get(world: World, name: str) -> None:
    entry = ENTRIES[name]
    url = url_for(world, PATTERNS[name], entry)
    get = type(entry)(kwargs=entry.kwargs, expect={}, method="GET")
    for role in ROLES:
        got = observe(world, url, get, role, "ours")
        assert got in REFUSED, f"GET {url} ({name}, POST-only) as {role}: got {got}"


@pytest.mark.django_db
@pytest.mark.skipif(not os.environ.get("ACCESS_MATRIX_RECORD"), reason="set ACCESS_MATRIX_RECORD=1 to rewrite table.py")
def test_record(world: World) -> None:
    from tests.access_matrix.record import NEW_KWARGS, TABLE, record

    source = record(world, ENTRIES, NEW_KWARGS)
    missing = "KNOWN_MISSING: set[str] = " + (
        repr(sorted(world.missing)).replace("[", "{").replace("]", "}") if world.missing else "set()"
    )
    pending = "PENDING: dict[str, str] = " + (repr(dict(sorted(PENDING.items()))) if PENDING else "{}")
    TABLE.write_text(source + "\n" + missing + "\n\n" + pending + "\n")
