"""The commissioner's market insights (issue 14) at 100,000 offers and 10,000 budgets, on PostgreSQL: every section
page of ``marketplace.insights.SECTIONS`` and the overview, rendered through Django's test client for a
commissioner, against the same page for a council with an empty market, measured in the same run.

The subject council's market is the search benchmark's 100,000 published offers (their providers registered with
the council, their districts the council's) and 10,000 people, each with a budget whose allocation was funded,
committed to an order with one of those offers and paid, so that every ledger posting the spend figures read is
there: four transactions and eight postings per budget. A framework with two lots admits a hundred of the
providers. The rows are written in bulk (``ledger_post_many`` for the ledger), as ``search_data`` writes offers:
going through the ordering services would take hours and would change none of what the pages read.

The target is a p95 under 1 s for every page. The baseline column shows what the page costs with no market at all
(the template, the middleware and the queries against empty tables), so the ratio is the price of the data.
"""

import datetime
import random
from collections.abc import Iterator
from decimal import Decimal

from django.db import connection, transaction
from django.test import Client
from django.urls import reverse

from benchmarks import search_data
from benchmarks.harness import Row, Table, TableResult, benchmark

OFFERS = 100_000
BUDGETS = 10_000
PROVIDERS_ON_FRAMEWORK = 100
ALLOCATED = Decimal("1000.00")
ORDER_RATES = (Decimal("18.50"), Decimal("22.00"), Decimal("25.00"), Decimal("31.00"), Decimal("45.00"))
ORDER_UNITS = Decimal("10")
BATCH = 2_000
# The council's own districts: the gazetteer's districts of these postcode areas.
AREAS = ("CV", "B", "WS", "WV", "DY")
ONS_CODE = "E08000026"
TARGET_MS = 1_000.0
REPETITIONS = 30
WARMUP = 3
SUBJECT = "100k offers, 10k budgets"
EMPTY = "empty market"


def _commissioner(name: str, ons_code: str = ""):  # type: ignore[no-untyped-def]
    from accounts.roles import Role
    from accounts.tests.factories import CouncilFactory, user_with_role

    council = CouncilFactory(name=name, ons_code=ons_code)
    return council, user_with_role(Role.COMMISSIONER, council)


def market_build(council, *, offers: int, budgets: int) -> None:  # type: ignore[no-untyped-def]
    """The search benchmark's offers registered with ``council``, and ``budgets`` people funded and paid for."""
    from accounts.models import Organisation
    from providers.models import Postcode

    search_data.offers_ensure(offers, index=False)  # the insights read the offers, never the search index
    Organisation.objects.filter(slug__startswith="bench-provider-").update(council=council)
    area_of_district = "|".join(AREAS)
    Postcode.objects.filter(kind=Postcode.Kind.DISTRICT, district__regex=rf"^({area_of_district})[0-9]").update(
        council_code=council.ons_code
    )
    _framework_build(council)
    for start in range(0, budgets, BATCH):
        _budgets_write(council, range(start, min(budgets, start + BATCH)))
    _statistics_refresh()


def _framework_build(council) -> None:  # type: ignore[no-untyped-def]
    from accounts.models import Organisation
    from providers.models import FrameworkContract, FrameworkLot, FrameworkMembership, TaxonomyTerm

    today = datetime.date.today()
    framework = FrameworkContract.objects.create(
        council=council,
        reference="BENCH-1",
        name="Short breaks framework",
        starts_on=today - datetime.timedelta(days=200),
        ends_on=today + datetime.timedelta(days=900),
    )
    categories = list(TaxonomyTerm.objects.filter(taxonomy__kind="service_category").order_by("code"))
    members = list(
        Organisation.objects.filter(slug__startswith="bench-provider-").order_by("pk")[:PROVIDERS_ON_FRAMEWORK]
    )
    for number, half in enumerate((categories[::2], categories[1::2]), start=1):
        lot = FrameworkLot.objects.create(
            framework=framework, number=number, name=f"Lot {number}", rate=Decimal("24.00"), rate_unit="hour"
        )
        lot.categories.set(half)
        FrameworkMembership.objects.bulk_create(
            FrameworkMembership(lot=lot, organisation=member, admitted_on=framework.starts_on)
            for member in members[number - 1 :: 2]
        )


@transaction.atomic
def _budgets_write(council, numbers: range) -> None:  # type: ignore[no-untyped-def]
    """People, budgets, allocations, orders and the ledger of funding, committing and paying them."""
    from brokerage import ledger
    from brokerage.models import AccountKind, Allocation, Budget, LedgerAccount, PersonSupported, TransactionKind
    from brokerage.selectors.config import financial_year_current
    from marketplace.models import Order
    from marketplace.models.orders import OrderStatus
    from providers.models import Offer

    stream = _stream(council, financial_year_current())
    rng = random.Random(numbers.start)
    districts = _council_districts(council)
    people = PersonSupported.objects.bulk_create(
        PersonSupported(
            council=council,
            first_name="Child",
            last_name=f"{n:05d}",
            date_of_birth=datetime.date(2012 + n % 10, 1 + n % 12, 1 + n % 28),
            postcode=f"{districts[n % len(districts)]} 1AA" if districts else "",
        )
        for n in numbers
    )
    budget_rows = Budget.objects.bulk_create(
        Budget(
            person=person,
            council=council,
            financial_year=stream.financial_year,
            starts_on=datetime.date(stream.financial_year, 4, 1),
            ends_on=datetime.date(stream.financial_year + 1, 3, 31),
        )
        for person in people
    )
    allocations = Allocation.objects.bulk_create(Allocation(budget=budget, stream=stream) for budget in budget_rows)
    offers = list(
        Offer.objects.filter(organisation__council=council)
        .order_by("pk")
        .values_list("pk", "organisation_id")[numbers.start * 7 % OFFERS :][: len(numbers)]
    )
    placer = _placer(council)
    day_zero = datetime.date(stream.financial_year, 4, 7)
    orders = Order.objects.bulk_create(
        Order(
            person=allocation.budget.person,
            allocation=allocation,
            offer_id=offer_id,
            provider_organisation_id=organisation_id,
            description="Support",
            units=ORDER_UNITS,
            unit="hour",
            rate=rng.choice(ORDER_RATES),
            starts_on=day_zero,
            ends_on=day_zero + datetime.timedelta(days=150),
            status=OrderStatus.ACCEPTED,
            placed_by=placer,
        )
        for allocation, (offer_id, organisation_id) in zip(allocations, offers, strict=False)
    )
    accounts = LedgerAccount.objects.bulk_create(
        LedgerAccount(kind=kind, allocation=allocation, council=council, stream=stream)
        for allocation in allocations
        for kind in (AccountKind.AVAILABLE, AccountKind.COMMITTED, AccountKind.PROVIDER_PAYABLE, AccountKind.SPENT)
    )
    pool = ledger.stream_account(stream, AccountKind.STREAM_POOL)
    ledger.stream_fund(stream=stream, amount=ALLOCATED * len(allocations), key=f"bench-fund-{numbers.start}")
    # One batch per step, as the services would have posted them over time: ``ledger_post_many`` posts a batch
    # at once only when no account could go below zero with all of its debits taken first.
    phases: list[list] = [[], [], [], []]  # type: ignore[type-arg]
    for index, (allocation, order) in enumerate(zip(allocations, orders, strict=False)):
        available, committed, payable, spent = accounts[index * 4 : index * 4 + 4]
        cost = order.rate * order.units
        reference = f"order-{order.public_id}"
        moves = (
            (TransactionKind.ALLOCATE, pool, available, ALLOCATED, ""),
            (TransactionKind.COMMIT, available, committed, cost, reference),
            (TransactionKind.SETTLE, committed, payable, cost, reference),
            (TransactionKind.PAY, payable, spent, cost, reference),
        )
        for phase, (kind, source, target, amount, ref) in zip(phases, moves, strict=True):
            phase.append(
                ledger.Entry(
                    key=f"bench-{kind}-{allocation.pk}",
                    council=council,
                    kind=kind,
                    movements=[ledger.Movement(source, target, amount)],
                    description="Benchmark",
                    budget=allocation.budget,
                    reference=ref,
                )
            )
    for phase in phases:
        ledger.ledger_post_many(entries=phase)
    _spread_over_months(stream.financial_year)


def _stream(council, year: int):  # type: ignore[no-untyped-def]
    from brokerage.models import FundingStream

    stream, _ = FundingStream.objects.get_or_create(
        council=council,
        financial_year=year,
        code="bench-short-breaks",
        defaults={"name": "Short breaks", "finance_code": "SB0001"},
    )
    return stream


def _council_districts(council) -> list[str]:  # type: ignore[no-untyped-def]
    from providers.models import Postcode

    return list(
        Postcode.objects.filter(kind=Postcode.Kind.DISTRICT, council_code=council.ons_code)
        .order_by("district")
        .values_list("district", flat=True)
    )


def _placer(council):  # type: ignore[no-untyped-def]
    from accounts.models import Membership
    from accounts.roles import Role
    from accounts.tests.factories import user_with_role

    member = Membership.objects.filter(organisation=council, role=Role.BROKER).select_related("user").first()
    return member.user if member else user_with_role(Role.BROKER, council)


def _spread_over_months(year: int) -> None:
    """Payments on a day of the year so far, by transaction, so that spend by month is not one bar."""
    from brokerage.models import LedgerTransaction, TransactionKind

    first = datetime.date(year, 4, 7)
    days = max(1, min(330, (datetime.date.today() - first).days))
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {LedgerTransaction._meta.db_table} SET occurred_on = %s::date + (id %% %s)::int "  # noqa: S608
            "WHERE idempotency_key LIKE %s AND occurred_on = CURRENT_DATE",
            [first, days, f"bench-{TransactionKind.PAY}-%"],
        )


def _statistics_refresh() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")


def pages() -> list[tuple[str, str]]:
    """The overview and every section's page: a new section is measured as soon as it is in SECTIONS."""
    from marketplace.insights import SECTIONS

    return [("overview", reverse("marketplace:insights"))] + [
        (section.title.lower(), reverse(section.url_name)) for section in SECTIONS
    ]


def signed_in(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def _get_ok(client: Client, path: str) -> None:
    response = client.get(path)
    if response.status_code != 200:
        raise RuntimeError(f"{path} answered {response.status_code}: the benchmark would time an error page")


def _summary(result: TableResult) -> list[str]:
    slowest = max(result.rows, key=lambda row: row.timings[SUBJECT].p95_ms)
    p95 = slowest.timings[SUBJECT].p95_ms
    met = "met" if all(row.timings[SUBJECT].p95_ms < TARGET_MS for row in result.rows) else "missed"
    return [
        f"every page's p95 < {TARGET_MS:.0f} ms at {OFFERS:,} offers and {BUDGETS:,} budgets: "
        f"slowest {slowest.label} at {p95:.0f} ms ({met})"
    ]


@benchmark(
    "insights",
    description=f"GET of each market insights page for a commissioner whose council has {OFFERS:,} offers and "
    f"{BUDGETS:,} budgets with their orders and ledger (marketplace.insights), on PostgreSQL",
    baseline="the same page for a commissioner of a council with an empty market, in the same run",
    heavy=True,
)
def insights() -> Iterator[Table]:
    def stages() -> Iterator[list[Row]]:
        print(f"  building {OFFERS:,} offers and {BUDGETS:,} budgets ...", flush=True)
        subject, subject_user = _commissioner("Subject City Council", ONS_CODE)
        _, empty_user = _commissioner("Empty County Council", "E06000999")
        market_build(subject, offers=OFFERS, budgets=BUDGETS)
        full, empty = signed_in(subject_user), signed_in(empty_user)
        rows = []
        for label, path in pages():
            _get_ok(full, path)
            _get_ok(empty, path)
            rows.append(
                Row(label, {SUBJECT: lambda p=path: full.get(p), EMPTY: lambda p=path: empty.get(p)}),
            )
        yield rows

    yield Table(
        columns=(SUBJECT, EMPTY),
        ratios=(EMPTY,),
        stages=stages,
        repetitions=REPETITIONS,
        warmup=WARMUP,
        summary=_summary,
    )
