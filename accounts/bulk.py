"""Inserting thousands of rows of one model in one statement, without building a model instance for each.

``bulk_create`` builds and prepares a model instance per row and compiles a VALUES list of every field of every
row; for a payment run's ten thousand ledger transactions and twenty thousand postings that took longer than the
database's own work. On PostgreSQL, ``rows_insert`` sends one array per column and lets the server unpack them
(``INSERT … SELECT FROM unnest(…)``), and a column with the same value in every row (the council, the kind) as
that one value; elsewhere (SQLite in tests and the embedded default) it falls back to ``bulk_create``, so both
paths write the same rows.

Rows are dictionaries of field names (``council_id`` or ``council`` for a foreign key, by primary key) to values
psycopg adapts as they are: str, int, Decimal, date, aware datetime, UUID, None. A field a row leaves out gets
the field's default: computed per row for a unique field (a new UUID), once per statement for any other (the
time now). No signals are sent, as with ``bulk_create``.
"""

import uuid
from collections.abc import Iterable, KeysView, Mapping, Sequence
from typing import Any

from django.db import connection
from django.db.models import Field, Model

Row = Mapping[str, Any]


def rows_insert(model: type[Model], rows: Sequence[Row], *, returning: Sequence[str] = ()) -> list[tuple]:
    """Insert ``rows`` into ``model``'s table and return, for each inserted row, the values of the fields named
    in ``returning`` (e.g. ``("pk", "idempotency_key")``) as a tuple, in no particular order: match them up by a
    unique field rather than by position."""
    if not rows:
        return []
    fields = [field for field in model._meta.concrete_fields if not _is_auto(field)]
    if connection.vendor != "postgresql":
        return _bulk_create(model, rows, fields, returning)
    quote = connection.ops.quote_name
    keys = rows[0].keys()
    given = keys if all(row.keys() == keys for row in rows) else None  # the same keys in every row, as usual
    # A new UUID per row is the database's to make (gen_random_uuid() is a version 4 UUID, as uuid.uuid4).
    made = {
        field
        for field in fields
        if _is_new_uuid(field) and not any(field.attname in row or field.name in row for row in rows)
    }
    columns = [[] if field in made else _column(field, rows, given) for field in fields]
    # A column with one value in every row (the council, the kind, the time now) is sent once, not as an array of
    # thousands of copies for psycopg to adapt one by one; the rest are unpacked by the server.
    scalar = [
        field in made or values.count(values[0]) == len(values) for field, values in zip(fields, columns, strict=True)
    ]
    if all(scalar):
        scalar[fields.index(next(field for field in fields if field not in made))] = False
    selected, scalars, arrays, unpacked = [], [], [], []
    for number, (field, values, once) in enumerate(zip(fields, columns, scalar, strict=True)):
        # A foreign key's db_type is its target's (e.g. bigint); every other field's its own, e.g. varchar(200).
        if field in made:
            selected.append("gen_random_uuid()")
        elif once:
            selected.append(f"%s::{field.db_type(connection)}")
            scalars.append(values[0])
        else:
            selected.append(f"c{number}")
            unpacked.append(f"%s::{field.db_type(connection)}[]")
            arrays.append(values)
    names = ", ".join(quote(field.column) for field in fields)
    aliases = ", ".join(name for name, once in zip(selected, scalar, strict=True) if not once)
    sql = (
        f"INSERT INTO {quote(model._meta.db_table)} ({names}) "  # noqa: S608
        f"SELECT {', '.join(selected)} FROM unnest({', '.join(unpacked)}) AS given({aliases})"
    )
    if returning:
        sql += " RETURNING " + ", ".join(quote(_field(model, name).column) for name in returning)
    with connection.cursor() as cursor:
        cursor.execute(sql, scalars + arrays)
        return [tuple(values) for values in cursor.fetchall()] if returning else []


def _column(field: Field, rows: Sequence[Row], given: KeysView[str] | None) -> list[Any]:
    """The field's value in each row. A field no row gives gets its default, computed once for the statement (the
    time now, today) unless the field is unique and its default a function (a new UUID per row). ``given`` is
    the keys of every row when they are all the same."""
    if given is not None and field.attname in given or given is None and all(field.attname in row for row in rows):
        return [row[field.attname] for row in rows]
    if (
        given is not None
        and field.name not in given
        or given is None
        and not any(field.attname in row or field.name in row for row in rows)
    ):
        if field.unique and callable(field.default):
            return [field.get_default() for _ in rows]
        return [field.get_default()] * len(rows)
    return [_value(field, row) for row in rows]


def _is_new_uuid(field: Field) -> bool:
    return field.get_internal_type() == "UUIDField" and field.default is uuid.uuid4


def _is_auto(field: Field) -> bool:
    return field.primary_key and field.get_internal_type() in {"AutoField", "BigAutoField", "SmallAutoField"}


def _field(model: type[Model], name: str) -> Field:
    return model._meta.pk if name == "pk" else model._meta.get_field(name)


def _value(field: Field, row: Row) -> Any:
    if field.attname in row:
        return row[field.attname]
    if field.name in row:
        value = row[field.name]
        return getattr(value, "pk", value) if field.is_relation else value
    return field.get_default()


def _bulk_create(model: type[Model], rows: Iterable[Row], fields: list[Field], returning: Sequence[str]) -> list[tuple]:
    created = model._default_manager.bulk_create(
        model(**{field.attname: _value(field, row) for field in fields}) for row in rows
    )
    attnames = [_field(model, name).attname for name in returning]
    return [tuple(getattr(record, attname) for attname in attnames) for record in created] if returning else []
