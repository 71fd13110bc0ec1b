"""Spend: money moved into the council's SPENT ledger accounts in the period, net of refunds and reversals.

The postings on SPENT accounts (the accounts of ``brokerage.ledger``; a refund or a reversal posts out of SPENT,
so sums are net) are read once, grouped by order, category, how the budget is held and day; every figure is then
a sum over those lines. The provider paid is found from the transaction: an order's movements carry its reference
(``order-<public id>``), and an individual service fund's spending is the fund provider's. Spending a family
records from a direct payment, and one-off purchases, name no provider in the market. Whether a provider was on a
framework that day, is a charity or is small is looked up once per provider, not per posting.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import (
    BigIntegerField,
    Case,
    Count,
    F,
    Func,
    QuerySet,
    Sum,
    UUIDField,
    When,
)
from django.db.models.functions import Coalesce

from accounts.models import Organisation
from brokerage.models import AccountKind, HeldAs, Posting, TransactionKind
from marketplace.insights.scope import InsightScope, people_count_text
from marketplace.models import Order
from providers.models import (
    FrameworkLot,
    FrameworkMembership,
    MembershipStatus,
    PersonalAssistantProfile,
    ProviderProfile,
    SaferRecruitmentDeclaration,
    Verification,
)

ZERO = Decimal("0.00")
PENNY = Decimal("0.01")
TOP_PROVIDERS = 10
# "Small" is what the profile records can tell: an organisation whose latest verified safer-recruitment
# declaration counts fewer than 10 staff working with children (the UK's micro-business size), or a personal
# assistant, who works alone. An organisation that has declared nothing is not counted as small.
SMALL_STAFF_FEWER_THAN = 10
NO_PROVIDER = "No provider in the market (direct payments spent by families, one-off purchases)"
UNTAGGED = "No category recorded"
HELD_AS_LABELS = dict(HeldAs.choices)


class OrderUuidOf(Func):
    """The order's public id in a ledger reference ``order-<uuid>``, else NULL.

    PostgreSQL stores UUIDs as ``uuid`` and SQLite as 32 hexadecimal characters, so the text is turned into
    each database's own form; comparing with ``Order.public_id`` then uses its unique index."""

    output_field = UUIDField()

    def as_postgresql(self, compiler, connection, **extra):  # type: ignore[no-untyped-def]
        template = (
            "(CASE WHEN LEFT(%(expressions)s, 6) = 'order-' THEN CAST(SUBSTRING(%(expressions)s FROM 7) AS uuid) END)"
        )
        return self.as_sql(compiler, connection, template=template, **extra)

    def as_sqlite(self, compiler, connection, **extra):  # type: ignore[no-untyped-def]
        template = (
            "(CASE WHEN SUBSTR(%(expressions)s, 1, 6) = 'order-' THEN REPLACE(SUBSTR(%(expressions)s, 7), '-', '') END)"
        )
        return self.as_sql(compiler, connection, template=template, **extra)


@dataclass(frozen=True)
class SpendRow:
    label: str
    amount: Decimal
    children: int | None = None

    @property
    def children_text(self) -> str:
        return "" if self.children is None else people_count_text(self.children)


@dataclass(frozen=True)
class ProviderSpend:
    organisation_id: int | None
    personal_assistant_id: int | None
    name: str
    amount: Decimal


@dataclass
class SpendFigures:
    total: Decimal = ZERO
    by_stream: list[SpendRow] = field(default_factory=list)
    by_category: list[SpendRow] = field(default_factory=list)
    by_held_as: list[SpendRow] = field(default_factory=list)
    by_month: list[SpendRow] = field(default_factory=list)
    by_framework: list[SpendRow] = field(default_factory=list)
    providers: list[ProviderSpend] = field(default_factory=list)
    with_charities: Decimal = ZERO
    with_small: Decimal = ZERO
    with_small_or_voluntary: Decimal = ZERO

    @property
    def top_providers(self) -> list[ProviderSpend]:
        return [row for row in self.providers if row.name != NO_PROVIDER][:TOP_PROVIDERS]

    @property
    def small_or_voluntary_percent(self) -> int | None:
        return round(100 * self.with_small_or_voluntary / self.total) if self.total > 0 else None


def _money(value: Decimal | None) -> Decimal:
    # SQLite sums decimals as floating point; money is always to the penny.
    return (value or ZERO).quantize(PENNY)


def spend_postings(scope: InsightScope) -> QuerySet[Posting]:
    """The council's postings on SPENT accounts in the period."""
    return Posting.objects.filter(
        account__council=scope.council,
        account__kind=AccountKind.SPENT,
        transaction__occurred_on__range=(scope.starts_on, scope.ends_on),
    )


@dataclass(frozen=True)
class _Line:
    """Spend of one provider, category, way of holding the budget and day: the unit every figure adds up."""

    provider_id: int | None
    assistant_id: int | None
    category_id: int | None
    category: str | None
    held_as: str
    day: datetime.date
    amount: Decimal


def _lines(scope: InsightScope) -> list[_Line]:
    """The period's spend grouped by order (or service fund), category, how held and day: one query; the
    providers of the orders in a second. A join on the order would need the reference parsed for every posting of
    every figure; grouping first parses each once, and the figures are then sums over these few lines."""
    postings = spend_postings(scope).annotate(
        order_public_id=OrderUuidOf("transaction__reference"),
        # A reversal counts as the kind of what it reverses.
        effective_kind=Coalesce("transaction__reverses__kind", "transaction__kind"),
    )
    grouped = (
        postings.annotate(
            isf_provider=Case(
                When(effective_kind=TransactionKind.ISF_SPEND, then=F("account__allocation__isf_provider")),
                output_field=BigIntegerField(),
            )
        )
        .values(
            "order_public_id",
            "isf_provider",
            "transaction__category",
            "transaction__category__name",
            "account__allocation__held_as",
            "transaction__occurred_on",
        )
        .annotate(total=Sum("amount"))
        .order_by()
    )
    orders = {
        public_id: (organisation, assistant)
        for public_id, organisation, assistant in Order.objects.filter(
            public_id__in=postings.values("order_public_id")
        ).values_list("public_id", "provider_organisation", "personal_assistant")
    }
    lines = []
    for row in grouped:
        organisation, assistant = orders.get(row["order_public_id"], (None, None))
        lines.append(
            _Line(
                provider_id=organisation if organisation is not None else row["isf_provider"],
                assistant_id=assistant,
                category_id=row["transaction__category"],
                category=row["transaction__category__name"],
                held_as=row["account__allocation__held_as"],
                day=row["transaction__occurred_on"],
                amount=_money(row["total"]),
            )
        )
    return lines


def _in_batches(ids: Iterable[int], size: int = 5_000) -> Iterator[list[int]]:
    """Ids a few thousand at a time, within every database's limit on query parameters."""
    ordered = sorted(ids)
    for start in range(0, len(ordered), size):
        yield ordered[start : start + size]


def _added(pairs: Iterable[tuple[object, Decimal]]) -> dict:  # type: ignore[type-arg]
    sums: dict = defaultdict(lambda: ZERO)  # type: ignore[type-arg]
    for key, amount in pairs:
        sums[key] += amount
    return sums


def spend_figures(scope: InsightScope) -> SpendFigures:
    lines = _lines(scope)
    figures = SpendFigures(total=sum((line.amount for line in lines), ZERO))
    figures.by_stream = _by_stream(spend_postings(scope))
    by_category = _added((line.category, line.amount) for line in lines)
    figures.by_category = [
        SpendRow(name or UNTAGGED, by_category[name])
        for name in sorted(by_category, key=lambda name: (name is None, name or ""))
    ]
    by_held_as = _added((line.held_as, line.amount) for line in lines)
    figures.by_held_as = [SpendRow(HELD_AS_LABELS.get(code, ""), by_held_as[code]) for code in sorted(by_held_as)]
    by_month = _added((line.day.replace(day=1), line.amount) for line in lines)
    figures.by_month = [SpendRow(f"{month:%B %Y}", by_month[month]) for month in sorted(by_month)]
    terms = _framework_terms(scope.council)
    framework = _added((_on_framework(terms, line), line.amount) for line in lines)
    figures.by_framework = [
        SpendRow("With framework members (for that kind of support, on the day)", framework.get(True, ZERO)),
        SpendRow("Off framework", framework.get(False, ZERO)),
    ]
    figures.providers = _by_provider(lines)
    _small_and_voluntary(figures, lines)
    return figures


def _by_stream(postings: QuerySet[Posting]) -> list[SpendRow]:
    rows = (
        postings.values("account__stream__name")
        .annotate(total=Sum("amount"), children=Count("account__allocation__budget__person", distinct=True))
        .order_by("account__stream__name")
    )
    return [SpendRow(row["account__stream__name"], _money(row["total"]), row["children"]) for row in rows]


# (admitted on, ended on, status, the lot's categories) of each organisation's memberships of the council's lots
FrameworkTerms = dict[int, list[tuple[datetime.date, datetime.date | None, str, frozenset[int]]]]


def _framework_terms(council: Organisation) -> FrameworkTerms:
    categories: dict[int, set[int]] = defaultdict(set)
    for lot, category in FrameworkLot.categories.through.objects.filter(
        frameworklot__framework__council=council
    ).values_list("frameworklot", "taxonomyterm"):
        categories[lot].add(category)
    terms: FrameworkTerms = defaultdict(list)
    for organisation, lot, admitted_on, ended_on, status in FrameworkMembership.objects.filter(
        lot__framework__council=council
    ).values_list("organisation", "lot", "admitted_on", "ended_on", "status"):
        terms[organisation].append((admitted_on, ended_on, status, frozenset(categories[lot])))
    return terms


def _on_framework(terms: FrameworkTerms, line: _Line) -> bool:
    """Whether the provider was a member, on the day, of a lot of the council's frameworks for the spend's
    category (for spend with no category: of any lot). A membership with no end counts while admitted or
    suspended."""
    for admitted_on, ended_on, status, categories in terms.get(line.provider_id, ()) if line.provider_id else ():
        if admitted_on > line.day:
            continue
        if ended_on is not None:
            if ended_on < line.day:
                continue
        elif status not in (MembershipStatus.ADMITTED, MembershipStatus.SUSPENDED):
            continue
        if line.category_id is None or line.category_id in categories:
            return True
    return False


def _by_provider(lines: list[_Line]) -> list[ProviderSpend]:
    """Spend per provider, most first; the names come from one query per kind of provider."""
    sums = _added(((line.provider_id, line.assistant_id), line.amount) for line in lines)
    organisation_names: dict[int, str] = {}
    for batch in _in_batches({organisation for organisation, _ in sums if organisation}):
        organisation_names.update(Organisation.objects.filter(pk__in=batch).values_list("pk", "name"))
    assistant_names: dict[int, str] = {}
    for batch in _in_batches({assistant for _, assistant in sums if assistant}):
        assistant_names.update(PersonalAssistantProfile.objects.filter(pk__in=batch).values_list("pk", "display_name"))
    providers = [
        ProviderSpend(
            organisation_id=organisation,
            personal_assistant_id=assistant,
            name=organisation_names.get(organisation) or assistant_names.get(assistant) or NO_PROVIDER,  # type: ignore[arg-type]
            amount=amount,
        )
        for (organisation, assistant), amount in sums.items()
    ]
    return sorted(providers, key=lambda row: (-row.amount, row.name))


def _small_and_voluntary(figures: SpendFigures, lines: list[_Line]) -> None:
    organisations = {line.provider_id for line in lines if line.provider_id}
    charities: set[int] = set()
    staff: dict[int, int] = {}
    for batch in _in_batches(organisations):
        charities.update(
            ProviderProfile.objects.filter(organisation__in=batch)
            .exclude(charity_number="")
            .values_list("organisation", flat=True)
        )
        latest_first = (
            SaferRecruitmentDeclaration.objects.filter(organisation__in=batch, verification=Verification.VERIFIED)
            .order_by("organisation", "-declared_at")
            .values_list("organisation", "staff_count")
        )
        for organisation, count in latest_first:
            staff.setdefault(organisation, count)
    for line in lines:
        is_charity = line.provider_id in charities
        declared = staff.get(line.provider_id) if line.provider_id else None
        is_small = line.assistant_id is not None or (declared is not None and declared < SMALL_STAFF_FEWER_THAN)
        if is_charity:
            figures.with_charities += line.amount
        if is_small:
            figures.with_small += line.amount
        if is_charity or is_small:
            figures.with_small_or_voluntary += line.amount


def framework_member_spend(organisation_ids: set[int], figures: SpendFigures) -> Decimal:
    """What the spend selector found paid to these organisations (for the frameworks section)."""
    return sum((row.amount for row in figures.providers if row.organisation_id in organisation_ids), ZERO)
