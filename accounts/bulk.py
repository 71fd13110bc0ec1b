"""Inserting thousands of rows of one model in one statement, without building a model instance for each.

``bulk_create`` builds and prepares a model instance per row and compiles a VALUES list of every field of every
row; for a payment run's ten thousand ledger transactions and twenty thousand postings that took longer than the
database's own work. On PostgreSQL, ``rows_insert`` sends one array per column and lets the server unpack them
(``INSERT … SELECT FROM unnest(…)``); elsewhere (SQLite in tests and the embedded default) it falls back to
``bulk_create``, so both paths write the same rows.

Rows are dictionaries of field names (``council_id`` or ``council`` for a foreign key, by primary key) to values
psycopg adapts as they are: str, int, Decimal, date, aware datetime, UUID, None. A field a row leaves out gets
the field's default, computed per row (a new UUID, the time now). No signals are sent, as with ``bulk_create``.
"""

from collections.abc import Iterable, Mapping, Sequence
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
    names = ", ".join(quote(field.column) for field in fields)
    # A foreign key's db_type is its target's (e.g. bigint); every other field's its own, e.g. varchar(200).
    arrays = ", ".join(f"%s::{field.db_type(connection)}[]" for field in fields)
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({names}) SELECT * FROM unnest({arrays})"  # noqa: S608
    if returning:
        sql += " RETURNING " + ", ".join(quote(_field(model, name).column) for name in returning)
    with connection.cursor() as cursor:
        cursor.execute(sql, [[_value(field, row) for row in rows] for field in fields])
        return [tuple(values) for values in cursor.fetchall()] if returning else []


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
