"""Issue #15, operations: the backup and restore that docs/deployment.md ("Backups and restore") tells an
operator to run, run here as written against the test database.

Data with ledger postings (a paid payment run, bank details encrypted at rest) is committed; ``pg_dump
--format=custom`` dumps the database; ``pg_restore`` loads the dump into a database created fresh; the
restored database then has every table's rows, a ledger whose postings add up to nothing in every
transaction, sequences past the restored ids, and bank details that still decrypt with the same key."""

import os
import shutil
import subprocess
import uuid
from decimal import Decimal
from pathlib import Path

import psycopg
import pytest
from django.db import connection

from accounts import crypto
from brokerage.models import LedgerTransaction, Posting
from marketplace.payments import runs
from marketplace.payments.models import BankAccount, RunStatus
from marketplace.payments.tests.factories import (
    allocation,
    approved_invoice,
    finance,
    provider,
    verified_account,
)

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
PG_BIN = Path("/usr/lib/postgresql/15/bin")


def _tool(name: str) -> str:
    """Debian's PostgreSQL 15 client (the server's version), else the one on PATH."""
    found = PG_BIN / name if (PG_BIN / name).exists() else shutil.which(name)
    if not found:
        pytest.fail(f"{name} is missing: install postgresql-client-15")
    return str(found)


def _client_args(database: str) -> tuple[list[str], dict[str, str]]:
    db = connection.settings_dict
    args = ["--host", db["HOST"] or "127.0.0.1", "--port", str(db["PORT"] or 5432), "--username", db["USER"]]
    return [*args, "--dbname", database], {**os.environ, "PGPASSWORD": db["PASSWORD"] or ""}


def _connect(database: str) -> psycopg.Connection:
    db = connection.settings_dict
    return psycopg.connect(
        host=db["HOST"] or "127.0.0.1",
        port=db["PORT"] or 5432,
        user=db["USER"],
        password=db["PASSWORD"] or None,
        dbname=database,
        autocommit=True,
    )


def _tables(cursor: psycopg.Cursor) -> dict[str, int]:
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
    names = [row[0] for row in cursor.fetchall()]
    counts = {}
    for name in names:
        cursor.execute(f'SELECT count(*) FROM "{name}"')  # noqa: S608 - names from the catalogue
        counts[name] = cursor.fetchone()[0]
    return counts


def test_a_dump_restored_into_a_fresh_database_has_everything_balanced_and_decryptable(tmp_path):
    team = finance()
    tom = allocation(team.council)
    details = {}
    for number in range(3):
        seller = provider(team.council, f"Provider {number}")
        account = verified_account(team.council, checked_by=(team.ann, team.ben), **seller.payee)
        details[account.pk] = (account.sort_code, account.account_number)
        approved_invoice(tom, seller, amount=f"{100 + number}.50", approver=team.lena)
    run = runs.run_authorise(run=runs.run_prepare(council=team.council, actor=team.ann), actor=team.ben)
    assert runs.run_execute(run=run, actor=team.ben).status == RunStatus.SENT
    postings = Posting.objects.count()
    assert postings > 0 and LedgerTransaction.objects.count() > 0

    source = connection.settings_dict["NAME"]
    restored = f"restore_{uuid.uuid4().hex[:12]}"
    dump = tmp_path / "support_exchange.dump"
    args, env = _client_args(source)
    # The backup, exactly as docs/deployment.md gives it.
    subprocess.run([_tool("pg_dump"), "--format=custom", "--no-owner", "--file", str(dump), *args], env=env, check=True)
    assert dump.stat().st_size > 0

    with _connect("postgres") as admin:
        admin.execute(f'CREATE DATABASE "{restored}"')
    try:
        args, env = _client_args(restored)
        # The restore, into a database created fresh (empty, no tables).
        subprocess.run(
            [_tool("pg_restore"), "--no-owner", "--exit-on-error", "--single-transaction", *args, str(dump)],
            env=env,
            check=True,
        )
        with _connect(source) as original, _connect(restored) as copy:
            source_counts, restored_counts = _tables(original.cursor()), _tables(copy.cursor())
            assert restored_counts == source_counts
            assert restored_counts[Posting._meta.db_table] == postings

            cursor = copy.cursor()
            cursor.execute(
                f'SELECT transaction_id, sum(amount) FROM "{Posting._meta.db_table}" '  # noqa: S608
                "GROUP BY transaction_id HAVING sum(amount) <> 0"
            )
            assert cursor.fetchall() == []
            cursor.execute(f'SELECT sum(amount) FROM "{Posting._meta.db_table}"')  # noqa: S608
            assert cursor.fetchone()[0] == Decimal("0.00")

            # New rows in the restored database get new ids: the sequences came with the data.
            table = LedgerTransaction._meta.db_table
            cursor.execute(
                f"SELECT nextval(pg_get_serial_sequence('{table}', 'id')), (SELECT max(id) FROM \"{table}\")"  # noqa: S608
            )
            next_id, max_id = cursor.fetchone()
            assert next_id > max_id

            cursor.execute(f'SELECT id, sort_code, account_number FROM "{BankAccount._meta.db_table}"')  # noqa: S608
            stored = {pk: (sort_code, number) for pk, sort_code, number in cursor.fetchall()}
            assert set(stored) >= set(details)
            for pk, (sort_code, number) in details.items():
                assert sort_code not in stored[pk][0]  # encrypted at rest in the dump too
                assert (crypto.decrypt(stored[pk][0]), crypto.decrypt(stored[pk][1])) == (sort_code, number)
    finally:
        with _connect("postgres") as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{restored}" WITH (FORCE)')
