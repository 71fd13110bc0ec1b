"""Moving money in the ledger. Every operation is one balanced transaction with an idempotency key.

Concurrency: each posting locks the accounts it touches (``select_for_update``, in primary-key order
so that two transactions cannot deadlock) and only then reads their balances, so two requests
committing against the same budget at once are serialised and cannot overspend it.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Sum

from accounts.bulk import rows_insert
from accounts.models import Organisation, User
from brokerage.exceptions import BrokerageError, IdempotencyConflict, InsufficientFunds
from brokerage.models import (
    MAY_GO_NEGATIVE,
    AccountKind,
    Allocation,
    FundingStream,
    LedgerAccount,
    LedgerTransaction,
    LocalityFund,
    Posting,
    TransactionKind,
)

PENNY = Decimal("0.01")


@dataclass(frozen=True)
class Movement:
    """Move ``amount`` from one account to another."""

    source: LedgerAccount
    target: LedgerAccount
    amount: Decimal


def money(amount: Decimal | str | int) -> Decimal:
    value = Decimal(amount)
    if value != value.quantize(PENNY):
        raise BrokerageError("Amounts are in pounds and pence: no fractions of a penny")
    return value.quantize(PENNY)


# --- Accounts -------------------------------------------------------------------------------------


def allocation_account(allocation: Allocation, kind: str) -> LedgerAccount:
    account, _ = LedgerAccount.objects.get_or_create(
        kind=kind, allocation=allocation, defaults={"council": allocation.budget.council, "stream": allocation.stream}
    )
    return account


def allocation_accounts(allocations: list[Allocation], kinds: tuple[str, ...]) -> dict[tuple[int, str], LedgerAccount]:
    """``allocation_account`` for many allocations at once, by (allocation key, kind): one query, and one
    insert of the accounts that do not exist yet (a payment run's hundreds of budgets). The allocations need
    their budget (with its council) and stream loaded."""

    def existing() -> dict[tuple[int, str], LedgerAccount]:
        accounts = LedgerAccount.objects.filter(allocation__in=allocations, kind__in=kinds)
        return {(account.allocation_id, account.kind): account for account in accounts}  # type: ignore[misc]

    found = existing()
    missing = [
        LedgerAccount(kind=kind, allocation=allocation, council=allocation.budget.council, stream=allocation.stream)
        for allocation in allocations
        for kind in kinds
        if (allocation.pk, kind) not in found
    ]
    if missing:
        # Another transaction may create some of them at the same moment: the unique constraint keeps one each.
        LedgerAccount.objects.bulk_create(missing, ignore_conflicts=True)
        found = existing()
    return found


def stream_account(stream: FundingStream, kind: str) -> LedgerAccount:
    account, _ = LedgerAccount.objects.get_or_create(
        kind=kind, stream=stream, allocation=None, locality_fund=None, defaults={"council": stream.council}
    )
    return account


def locality_fund_account(fund: LocalityFund) -> LedgerAccount:
    account, _ = LedgerAccount.objects.get_or_create(
        kind=AccountKind.LOCALITY_FUND, locality_fund=fund, defaults={"council": fund.council, "stream": fund.stream}
    )
    return account


def top_up_account(council: Organisation) -> LedgerAccount:
    account, _ = LedgerAccount.objects.get_or_create(kind=AccountKind.TOP_UP_SOURCE, council=council)
    return account


def balance(account: LedgerAccount) -> Decimal:
    total = Posting.objects.filter(account=account).aggregate(total=Sum("amount"))["total"]
    # SQLite sums decimals with trailing digits; money is always to the penny.
    return (total or Decimal("0.00")).quantize(PENNY)


def committed_under(*, allocation: Allocation, reference: str) -> Decimal:
    """What transactions with ``reference`` (a plan line's, an order's) still hold on the allocation's
    committed account: commits less releases and settlements. Added up in Decimal: SQLite sums decimals
    as floating point."""
    amounts = Posting.objects.filter(
        account__allocation=allocation, account__kind=AccountKind.COMMITTED, transaction__reference=reference
    ).values_list("amount", flat=True)
    return sum(amounts, Decimal("0.00")).quantize(PENNY)


# --- Posting --------------------------------------------------------------------------------------


def ledger_post(
    *,
    key: str,
    council: Organisation,
    kind: str,
    movements: list[Movement],
    description: str,
    actor: User | None = None,
    budget=None,  # type: ignore[no-untyped-def]
    reference: str = "",
    outcome=None,  # type: ignore[no-untyped-def]
    category=None,  # type: ignore[no-untyped-def]
    occurred_on: date | None = None,
    reverses: LedgerTransaction | None = None,
) -> LedgerTransaction:
    """Record one balanced transaction, exactly once per ``key``.

    Replaying a key returns the transaction already recorded; replaying it with different
    movements is refused, because that would be two different payments under one name.
    """
    return _record(
        key=key,
        amounts=_amounts_of(movements),
        fields={
            "council": council,
            "kind": kind,
            "budget": budget,
            "reference": reference,
            "description": description[:300],
            "actor": actor,
            "outcome": outcome,
            "category": category,
            "reverses": reverses,
            **({"occurred_on": occurred_on} if occurred_on else {}),
        },
    )


def _record(*, key: str, amounts: dict[int, Decimal], fields: dict) -> LedgerTransaction:
    if sum(amounts.values()) != 0:
        raise BrokerageError("A transaction must balance")
    existing = LedgerTransaction.objects.filter(idempotency_key=key).first()
    if existing is not None:
        return _same_or_conflict(existing, amounts)
    try:
        with transaction.atomic():
            accounts = list(LedgerAccount.objects.select_for_update().filter(pk__in=amounts).order_by("pk"))
            # Another request may have recorded the same key while we waited for the locks.
            existing = LedgerTransaction.objects.filter(idempotency_key=key).first()
            if existing is not None:
                return _same_or_conflict(existing, amounts)
            _refuse_overdrafts(accounts, amounts)
            record = LedgerTransaction.objects.create(idempotency_key=key, **fields)
            Posting.objects.bulk_create(
                Posting(transaction=record, account_id=pk, amount=amount) for pk, amount in amounts.items() if amount
            )
            return record
    except IntegrityError:
        # The same key won a race outside our locks (e.g. on different accounts): it was recorded once.
        existing = LedgerTransaction.objects.filter(idempotency_key=key).first()
        if existing is None:
            raise
        return _same_or_conflict(existing, amounts)


@dataclass(frozen=True)
class Entry:
    """One transaction for ``ledger_post_many``: the arguments of ``ledger_post``."""

    key: str
    council: Organisation
    kind: str
    movements: list[Movement]
    description: str
    actor: User | None = None
    budget: object = None
    reference: str = ""
    outcome: object = None
    category: object = None


def ledger_post_many(*, entries: list[Entry]) -> list[int]:
    """Record many transactions at once (a payment run's thousands of payments), each exactly once under
    its key, with the guarantees of ``ledger_post``: the accounts are locked in primary-key order, and no
    account may end below zero even if every debit in the batch were taken first. A batch that replays
    any key, or that might overdraw, is recorded one transaction at a time by ``ledger_post`` instead, which
    returns what was recorded or refuses the one that does not fit. Returns the transactions' primary keys,
    in the order of ``entries``; the rows are written by ``accounts.bulk.rows_insert``, one statement per
    table, since building ten thousand model instances took longer than the database's work."""
    if not entries:
        return []
    amounts = [_amounts_of(entry.movements) for entry in entries]
    try:
        with transaction.atomic():
            accounts = list(
                LedgerAccount.objects.select_for_update()
                .filter(pk__in={pk for moved in amounts for pk in moved})
                .order_by("pk")
            )
            if LedgerTransaction.objects.filter(idempotency_key__in=[entry.key for entry in entries]).exists():
                raise _OneAtATime
            debits: dict[int, Decimal] = {}
            for moved in amounts:
                for pk, amount in moved.items():
                    debits[pk] = debits.get(pk, Decimal(0)) + min(amount, Decimal(0))
            if any(
                account.kind not in MAY_GO_NEGATIVE and debits[account.pk] and balance(account) + debits[account.pk] < 0
                for account in accounts
            ):
                raise _OneAtATime
            recorded = dict(
                rows_insert(
                    LedgerTransaction,
                    [{"idempotency_key": entry.key, **_column_values_of(entry)} for entry in entries],
                    returning=("idempotency_key", "pk"),
                )
            )
            pks = [recorded[entry.key] for entry in entries]
            rows_insert(
                Posting,
                [
                    {"transaction_id": transaction_pk, "account_id": account_pk, "amount": amount}
                    for transaction_pk, moved in zip(pks, amounts, strict=True)
                    for account_pk, amount in moved.items()
                    if amount
                ],
            )
            return pks
    except (_OneAtATime, IntegrityError):
        return [ledger_post(key=entry.key, movements=entry.movements, **_fields_of(entry)).pk for entry in entries]


class _OneAtATime(Exception):
    """The batch cannot be recorded in one go; ``ledger_post`` records each entry (or refuses it)."""


def _amounts_of(movements: list[Movement]) -> dict[int, Decimal]:
    if not movements:
        raise BrokerageError("A transaction must move some money")
    amounts: dict[int, Decimal] = {}
    for movement in movements:
        amount = money(movement.amount)
        if amount <= 0:
            raise BrokerageError("A movement of money must be more than £0.00")
        amounts[movement.source.pk] = amounts.get(movement.source.pk, Decimal(0)) - amount
        amounts[movement.target.pk] = amounts.get(movement.target.pk, Decimal(0)) + amount
    return amounts


def _column_values_of(entry: Entry) -> dict:  # type: ignore[type-arg]
    """``_fields_of`` by primary key: setting ten thousand transactions' relations through their model
    descriptors took a payment run longer than the insert."""
    return {
        f"{name}_id" if name in RELATIONS else name: getattr(value, "pk", None) if name in RELATIONS else value
        for name, value in _fields_of(entry).items()
    }


RELATIONS = frozenset({"council", "budget", "actor", "outcome", "category"})


def _fields_of(entry: Entry) -> dict:  # type: ignore[type-arg]
    return {
        "council": entry.council,
        "kind": entry.kind,
        "budget": entry.budget,
        "reference": entry.reference,
        "description": entry.description[:300],
        "actor": entry.actor,
        "outcome": entry.outcome,
        "category": entry.category,
    }


def _refuse_overdrafts(accounts: list[LedgerAccount], amounts: dict[int, Decimal]) -> None:
    for account in accounts:
        if account.kind in MAY_GO_NEGATIVE or amounts[account.pk] >= 0:
            continue
        if balance(account) + amounts[account.pk] < 0:
            raise InsufficientFunds(
                f"Not enough money: {account.get_kind_display().lower()} has £{balance(account):,.2f}, "
                f"this needs £{-amounts[account.pk]:,.2f}"
            )


def _same_or_conflict(existing: LedgerTransaction, amounts: dict[int, Decimal]) -> LedgerTransaction:
    recorded = {p.account_id: p.amount for p in existing.postings.all()}
    wanted = {pk: amount for pk, amount in amounts.items() if amount}
    if recorded != wanted:
        raise IdempotencyConflict(f"The key {existing.idempotency_key} was already used for a different movement")
    return existing


# --- Operations -----------------------------------------------------------------------------------


def stream_fund(*, stream: FundingStream, amount: Decimal, key: str, actor: User | None = None) -> LedgerTransaction:
    """Money for a stream arrives from its agency."""
    return ledger_post(
        key=key,
        council=stream.council,
        kind=TransactionKind.FUND,
        movements=[
            Movement(
                stream_account(stream, AccountKind.FUNDING_SOURCE),
                stream_account(stream, AccountKind.STREAM_POOL),
                amount,
            )
        ],
        description=f"{stream.name} funded",
        actor=actor,
    )


def locality_fund_fund(
    *, fund: LocalityFund, amount: Decimal, key: str, actor: User | None = None
) -> LedgerTransaction:
    return ledger_post(
        key=key,
        council=fund.council,
        kind=TransactionKind.FUND,
        movements=[
            Movement(stream_account(fund.stream, AccountKind.FUNDING_SOURCE), locality_fund_account(fund), amount)
        ],
        description=f"{fund.name} funded",
        actor=actor,
    )


def _source_of(allocation: Allocation) -> LedgerAccount:
    if allocation.locality_fund_id:
        return locality_fund_account(allocation.locality_fund)
    return stream_account(allocation.stream, AccountKind.STREAM_POOL)


def _move(
    allocation: Allocation,
    *,
    kind: str,
    source: LedgerAccount,
    target: LedgerAccount,
    amount: Decimal,
    key: str,
    description: str,
    **extra,  # type: ignore[no-untyped-def]
) -> LedgerTransaction:
    return ledger_post(
        key=key,
        council=allocation.budget.council,
        kind=kind,
        movements=[Movement(source, target, amount)],
        description=description,
        budget=allocation.budget,
        **extra,
    )


def allocate(*, allocation: Allocation, amount: Decimal, key: str, **extra) -> LedgerTransaction:  # type: ignore[no-untyped-def]
    return _move(
        allocation,
        kind=TransactionKind.ALLOCATE,
        source=_source_of(allocation),
        target=allocation_account(allocation, AccountKind.AVAILABLE),
        amount=amount,
        key=key,
        description=extra.pop("description", f"Allocated from {allocation}"),
        **extra,
    )


def commit(*, allocation: Allocation, amount: Decimal, key: str, description: str, **extra) -> LedgerTransaction:  # type: ignore[no-untyped-def]
    """Reserve money for an order or plan line; refused beyond what is available."""
    return _move(
        allocation,
        kind=TransactionKind.COMMIT,
        source=allocation_account(allocation, AccountKind.AVAILABLE),
        target=allocation_account(allocation, AccountKind.COMMITTED),
        amount=amount,
        key=key,
        description=description,
        **extra,
    )


def release(*, allocation: Allocation, amount: Decimal, key: str, description: str, **extra) -> LedgerTransaction:  # type: ignore[no-untyped-def]
    return _move(
        allocation,
        kind=TransactionKind.RELEASE,
        source=allocation_account(allocation, AccountKind.COMMITTED),
        target=allocation_account(allocation, AccountKind.AVAILABLE),
        amount=amount,
        key=key,
        description=description,
        **extra,
    )


def settle(*, allocation: Allocation, amount: Decimal, key: str, description: str, **extra) -> LedgerTransaction:  # type: ignore[no-untyped-def]
    """An approved invoice: committed money becomes payable to the provider."""
    return _move(
        allocation,
        kind=TransactionKind.SETTLE,
        source=allocation_account(allocation, AccountKind.COMMITTED),
        target=allocation_account(allocation, AccountKind.PROVIDER_PAYABLE),
        amount=amount,
        key=key,
        description=description,
        **extra,
    )


def pay(*, allocation: Allocation, amount: Decimal, key: str, description: str, **extra) -> LedgerTransaction:  # type: ignore[no-untyped-def]
    """The payment run has paid the provider."""
    return _move(
        allocation,
        kind=TransactionKind.PAY,
        source=allocation_account(allocation, AccountKind.PROVIDER_PAYABLE),
        target=allocation_account(allocation, AccountKind.SPENT),
        amount=amount,
        key=key,
        description=description,
        **extra,
    )


def dp_instalment(
    *, allocation: Allocation, amount: Decimal, key: str, from_committed: bool = True, **extra
) -> LedgerTransaction:  # type: ignore[no-untyped-def]
    """A direct payment into the family's account, from money committed to direct-payment lines."""
    source_kind = AccountKind.COMMITTED if from_committed else AccountKind.AVAILABLE
    return _move(
        allocation,
        kind=TransactionKind.DP_INSTALMENT,
        source=allocation_account(allocation, source_kind),
        target=allocation_account(allocation, AccountKind.FAMILY_ACCOUNT),
        amount=amount,
        key=key,
        description=extra.pop("description", "Direct payment to the family"),
        **extra,
    )


def dp_spend(*, allocation: Allocation, amount: Decimal, key: str, description: str, **extra) -> LedgerTransaction:  # type: ignore[no-untyped-def]
    """The family records what they spent from their direct-payment account."""
    return _move(
        allocation,
        kind=TransactionKind.DP_SPEND,
        source=allocation_account(allocation, AccountKind.FAMILY_ACCOUNT),
        target=allocation_account(allocation, AccountKind.SPENT),
        amount=amount,
        key=key,
        description=description,
        **extra,
    )


def refund(*, allocation: Allocation, amount: Decimal, key: str, description: str, **extra) -> LedgerTransaction:  # type: ignore[no-untyped-def]
    """Money paid out comes back (a provider refund): it is available again."""
    return _move(
        allocation,
        kind=TransactionKind.REFUND,
        source=allocation_account(allocation, AccountKind.SPENT),
        target=allocation_account(allocation, AccountKind.AVAILABLE),
        amount=amount,
        key=key,
        description=description,
        **extra,
    )


def top_up(*, allocation: Allocation, amount: Decimal, key: str, description: str, **extra) -> LedgerTransaction:  # type: ignore[no-untyped-def]
    """The family pays money into the budget (a top-up or an assessed contribution)."""
    return _move(
        allocation,
        kind=TransactionKind.TOP_UP,
        source=top_up_account(allocation.budget.council),
        target=allocation_account(allocation, AccountKind.AVAILABLE),
        amount=amount,
        key=key,
        description=description,
        **extra,
    )


def top_up_refund(*, allocation: Allocation, amount: Decimal, key: str, description: str, **extra) -> LedgerTransaction:  # type: ignore[no-untyped-def]
    """Money a family paid in goes back to them: out of what is available, so it is refused when the money has
    been committed or spent meanwhile."""
    return _move(
        allocation,
        kind=TransactionKind.TOP_UP_REFUND,
        source=allocation_account(allocation, AccountKind.AVAILABLE),
        target=top_up_account(allocation.budget.council),
        amount=amount,
        key=key,
        description=description,
        **extra,
    )


def contingency_hold(*, allocation: Allocation, amount: Decimal, key: str, **extra) -> LedgerTransaction:  # type: ignore[no-untyped-def]
    return _move(
        allocation,
        kind=TransactionKind.CONTINGENCY_HOLD,
        source=allocation_account(allocation, AccountKind.AVAILABLE),
        target=allocation_account(allocation, AccountKind.CONTINGENCY),
        amount=amount,
        key=key,
        description=extra.pop("description", "Contingency held back"),
        **extra,
    )


def contingency_release(
    *, allocation: Allocation, amount: Decimal, key: str, actor: User, reason: str
) -> LedgerTransaction:
    """An authorised user releases contingency so that it can be committed."""
    return _move(
        allocation,
        kind=TransactionKind.CONTINGENCY_RELEASE,
        source=allocation_account(allocation, AccountKind.CONTINGENCY),
        target=allocation_account(allocation, AccountKind.AVAILABLE),
        amount=amount,
        key=key,
        description=f"Contingency released: {reason}",
        actor=actor,
    )


def return_to_stream(
    *, allocation: Allocation, amount: Decimal, key: str, from_family_account: Decimal = Decimal("0.00"), **extra
) -> LedgerTransaction:  # type: ignore[no-untyped-def]
    """Unspent money goes back where it came from (the stream pool or the locality fund).

    ``amount`` comes from the money still available; ``from_family_account`` is a surplus the council
    reclaims from the family's direct-payment account, in the same transaction.
    """
    source = _source_of(allocation)
    movements = [
        Movement(allocation_account(allocation, kind), source, part)
        for kind, part in ((AccountKind.AVAILABLE, amount), (AccountKind.FAMILY_ACCOUNT, from_family_account))
        if part
    ]
    return ledger_post(
        key=key,
        council=allocation.budget.council,
        kind=TransactionKind.RETURN,
        movements=movements,
        description=extra.pop("description", "Unspent money returned"),
        budget=allocation.budget,
        **extra,
    )


def reverse(*, original: LedgerTransaction, key: str, actor: User | None, reason: str) -> LedgerTransaction:
    """Undo a transaction by posting its opposite; the original is never edited. Once only."""
    if original.kind == TransactionKind.REVERSAL:
        raise BrokerageError("A reversal cannot itself be reversed: record the movement again instead")
    if LedgerTransaction.objects.filter(reverses=original).exclude(idempotency_key=key).exists():
        raise BrokerageError("This transaction has already been reversed")
    amounts = {p.account_id: -p.amount for p in original.postings.all()}
    return _record(
        key=key,
        amounts=amounts,
        fields={
            "council": original.council,
            "kind": TransactionKind.REVERSAL,
            "description": f"Reversal: {reason}"[:300],
            "actor": actor,
            "budget": original.budget,
            "reference": original.reference,
            "reverses": original,
        },
    )
