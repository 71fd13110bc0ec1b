"""On PostgreSQL, two finance officers preparing at once never put one invoice in two live items, and two
executors of the same run pay each item once."""

import threading
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from brokerage.models import LedgerTransaction, TransactionKind
from marketplace.payments import runs
from marketplace.payments.exceptions import PaymentError
from marketplace.payments.models import LIVE_ITEM_STATUSES, PaymentItem, PaymentRun, RunStatus
from marketplace.payments.tests.factories import (
    allocation,
    approved_invoice,
    balances,
    finance,
    provider,
    verified_account,
)

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
D = Decimal


def _at_once(actions: list[Callable[[], object]]) -> list[str]:
    start = threading.Barrier(len(actions))
    outcomes: list[str] = []

    def attempt(action: Callable[[], object]) -> None:
        try:
            start.wait()
            action()
            outcomes.append("done")
        except (ValidationError, PaymentError) as error:
            outcomes.append(f"refused: {error}")
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(action,)) for action in actions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def _invoices(team, count: int):  # type: ignore[no-untyped-def]
    tom = allocation(team.council)
    sellers = [provider(team.council, f"Provider {number}") for number in range(count)]
    for seller in sellers:
        verified_account(team.council, checked_by=(team.ann, team.ben), **seller.payee)
        approved_invoice(tom, seller, amount="25.00", approver=team.lena)
    return tom


def test_two_runs_prepared_at_once_never_take_the_same_invoice():
    team = finance()
    _invoices(team, 6)

    outcomes = _at_once(
        [
            lambda: runs.run_prepare(council=team.council, actor=team.ann),
            lambda: runs.run_prepare(council=team.council, actor=team.ben),
        ]
    )

    assert outcomes.count("done") == 1
    assert PaymentRun.objects.count() == 1
    live = PaymentItem.objects.filter(status__in=LIVE_ITEM_STATUSES)
    assert live.count() == live.values("invoice").distinct().count() == 6


def test_two_executors_of_the_same_run_pay_each_item_once():
    team = finance()
    tom = _invoices(team, 8)
    run = runs.run_authorise(run=runs.run_prepare(council=team.council, actor=team.ann), actor=team.ben)

    outcomes = _at_once([lambda: runs.run_execute(run=run, actor=team.ben) for _ in range(2)])

    assert outcomes == ["done", "done"]
    assert LedgerTransaction.objects.filter(kind=TransactionKind.PAY).count() == 8
    assert balances(tom)["spent"] == D("200.00")
    run.refresh_from_db()
    assert (run.status, run.progress_done) == (RunStatus.SENT, 8)
