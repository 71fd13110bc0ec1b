"""Create the planned rows that are missing, in batches, leaving rows already there untouched.

Rows are matched on a natural key (an organisation's slug, a user's email, a membership's user,
organisation and role), which is what makes ``demo_data`` safe to run again. Batches keep large scales
fast: one query to find what exists and one insert per batch, instead of a query per row.
"""

import uuid
from collections.abc import Callable, Hashable, Iterator, Sequence
from typing import TypeVar

from django.db import models

from demo.context import DemoContext

BATCH_SIZE = 500

# Demo rows get public ids derived from their natural keys, so links to them are the same on every
# machine that runs demo_data (handy in docs, benchmarks and bug reports).
_DEMO_NAMESPACE = uuid.UUID("5e0c7a1d-3b8f-4c52-9d1e-2f6a8b0c4d17")

T = TypeVar("T")
M = TypeVar("M", bound=models.Model)
K = TypeVar("K", bound=Hashable)


def demo_uuid(*natural_key: str) -> uuid.UUID:
    return uuid.uuid5(_DEMO_NAMESPACE, "/".join(natural_key))


def batched(items: Sequence[T], size: int = BATCH_SIZE) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def validate_without_queries(obj: models.Model) -> None:
    """Field and model validation, as full_clean, without the per-row queries.

    Related rows were just fetched or created, and uniqueness is what the natural key lookup settles,
    so checking them again row by row would only make large scales slow.
    """
    relations = [f.name for f in obj._meta.get_fields() if f.is_relation]
    obj.clean_fields(exclude=relations)
    obj.clean()


def ensure_rows(
    ctx: DemoContext,
    *,
    label: str,
    model: type[M],
    planned: Sequence[M],
    natural_key: Callable[[M], K],
    find_existing: Callable[[list[K]], dict[K, M]],
) -> dict[K, M]:
    """Insert each planned row whose natural key is not found; return every planned row by key.

    Rows found are returned as they are in the database: nothing of theirs is changed.
    """
    keys = [natural_key(obj) for obj in planned]
    if len(set(keys)) != len(keys):
        raise ValueError(f"The demo plan for {label} repeats a natural key")
    rows: dict[K, M] = {}
    with ctx.progress(total=len(planned), desc=label) as bar:
        for batch in batched(planned):
            existing = find_existing([natural_key(obj) for obj in batch])
            missing = [obj for obj in batch if natural_key(obj) not in existing]
            for obj in missing:
                validate_without_queries(obj)
            model._default_manager.bulk_create(missing)
            # Fetched again rather than trusting bulk_create to set primary keys on every database.
            rows.update(existing)
            rows.update(find_existing([natural_key(obj) for obj in missing]) if missing else {})
            ctx.tally.record(label, created=len(missing), existing=len(existing))
            bar.update(len(batch))
    return rows


def unique_field_lookup(model: type[M], field_name: str) -> Callable[[list[K]], dict[K, M]]:
    """Find rows by a unique field, such as ``Organisation.slug`` or ``User.email``."""

    def find_existing(keys: list[K]) -> dict[K, M]:
        return model._default_manager.in_bulk(keys, field_name=field_name) if keys else {}

    return find_existing
