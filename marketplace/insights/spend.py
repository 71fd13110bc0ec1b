"""Spend: money moved into the council's SPENT ledger accounts in the period, net of refunds and reversals.

Every figure is one grouped query over the postings on SPENT accounts (the accounts of ``brokerage.ledger``;
a refund or a reversal posts out of SPENT, so sums are net). The provider paid is found from the transaction:
an order's movements carry its reference (``order-<public id>``), and an individual service fund's spending
is the fund provider's. Spending a family records from a direct payment, and one-off purchases, name no
provider in the market.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import (
    BigIntegerField,
    BooleanField,
    Case,
    Count,
    Exists,
    F,
    Func,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    UUIDField,
    When,
)
from django.db.models.functions import Coalesce, TruncMonth

from accounts.models import Organisation
from brokerage.models import AccountKind, HeldAs, Posting, TransactionKind
from marketplace.insights.scope import InsightScope, people_count_text
from marketplace.models import Order
from providers.models import (
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
    """The council's postings on SPENT accounts in the period, each with the provider paid."""
    order = Order.objects.filter(public_id=OuterRef("order_public_id"))
    kind = Coalesce("transaction__reverses__kind", "transaction__kind")
    return (
        Posting.objects.filter(
            account__council=scope.council,
            account__kind=AccountKind.SPENT,
            transaction__occurred_on__range=(scope.starts_on, scope.ends_on),
        )
        .annotate(order_public_id=OrderUuidOf("transaction__reference"), effective_kind=kind)
        .annotate(
            provider_id=Coalesce(
                Subquery(order.values("provider_organisation")[:1]),
                Case(When(effective_kind=TransactionKind.ISF_SPEND, then=F("account__allocation__isf_provider"))),
                output_field=BigIntegerField(),
            ),
            assistant_id=Subquery(order.values("personal_assistant")[:1]),
        )
    )


def _on_framework(council: Organisation) -> Case:
    """Whether the provider was a member, on the day, of a lot of the council's frameworks for the spend's
    category (for spend with no category: of any lot)."""
    member = FrameworkMembership.objects.filter(
        lot__framework__council=council,
        organisation=OuterRef("provider_id"),
        admitted_on__lte=OuterRef("transaction__occurred_on"),
    ).filter(
        Q(ended_on__gte=OuterRef("transaction__occurred_on"))
        | Q(ended_on__isnull=True, status__in=[MembershipStatus.ADMITTED, MembershipStatus.SUSPENDED])
    )
    for_category = member.filter(lot__categories=OuterRef("transaction__category"))
    return Case(
        When(transaction__category__isnull=True, then=Exists(member)),
        default=Exists(for_category),
        output_field=BooleanField(),
    )


def _grouped(postings: QuerySet[Posting], *names: str) -> QuerySet:  # type: ignore[type-arg]
    return postings.values(*names).annotate(total=Sum("amount")).order_by(*names)


def spend_figures(scope: InsightScope) -> SpendFigures:
    postings = spend_postings(scope)
    figures = SpendFigures(total=_money(postings.aggregate(total=Sum("amount"))["total"]))
    figures.by_stream = _by_stream(postings)
    figures.by_category = [
        SpendRow(row["transaction__category__name"] or UNTAGGED, _money(row["total"]))
        for row in _grouped(postings, "transaction__category__name")
    ]
    figures.by_held_as = [
        SpendRow(HELD_AS_LABELS.get(row["account__allocation__held_as"], ""), _money(row["total"]))
        for row in _grouped(postings, "account__allocation__held_as")
    ]
    months = _grouped(postings.annotate(month=TruncMonth("transaction__occurred_on")), "month")
    figures.by_month = [SpendRow(f"{row['month']:%B %Y}", _money(row["total"])) for row in months]
    framework = _grouped(postings.annotate(on_framework=_on_framework(scope.council)), "on_framework")
    totals = {row["on_framework"]: _money(row["total"]) for row in framework}
    figures.by_framework = [
        SpendRow("With framework members (for that kind of support, on the day)", totals.get(True, ZERO)),
        SpendRow("Off framework", totals.get(False, ZERO)),
    ]
    figures.providers = _by_provider(postings)
    _small_and_voluntary(figures, postings)
    return figures


def _by_stream(postings: QuerySet[Posting]) -> list[SpendRow]:
    rows = (
        postings.values("account__stream__name")
        .annotate(total=Sum("amount"), children=Count("account__allocation__budget__person", distinct=True))
        .order_by("account__stream__name")
    )
    return [SpendRow(row["account__stream__name"], _money(row["total"]), row["children"]) for row in rows]


def _by_provider(postings: QuerySet[Posting]) -> list[ProviderSpend]:
    """Spend per provider, most first; the names come from one query per kind of provider."""
    rows = list(_grouped(postings, "provider_id", "assistant_id"))
    organisation_names = dict(
        Organisation.objects.filter(pk__in={row["provider_id"] for row in rows if row["provider_id"]}).values_list(
            "pk", "name"
        )
    )
    assistant_names = dict(
        PersonalAssistantProfile.objects.filter(
            pk__in={row["assistant_id"] for row in rows if row["assistant_id"]}
        ).values_list("pk", "display_name")
    )
    providers = [
        ProviderSpend(
            organisation_id=row["provider_id"],
            personal_assistant_id=row["assistant_id"],
            name=organisation_names.get(row["provider_id"]) or assistant_names.get(row["assistant_id"]) or NO_PROVIDER,
            amount=_money(row["total"]),
        )
        for row in rows
    ]
    return sorted(providers, key=lambda row: (-row.amount, row.name))


def _small_and_voluntary(figures: SpendFigures, postings: QuerySet[Posting]) -> None:
    charity = Exists(ProviderProfile.objects.filter(organisation=OuterRef("provider_id")).exclude(charity_number=""))
    staff = Subquery(
        SaferRecruitmentDeclaration.objects.filter(
            organisation=OuterRef("provider_id"), verification=Verification.VERIFIED
        )
        .order_by("-declared_at")
        .values("staff_count")[:1]
    )
    sums = postings.annotate(is_charity=charity, staff=staff).aggregate(
        charities=Sum("amount", filter=Q(is_charity=True)),
        small=Sum("amount", filter=Q(assistant_id__isnull=False) | Q(staff__lt=SMALL_STAFF_FEWER_THAN)),
        either=Sum(
            "amount",
            filter=Q(is_charity=True) | Q(assistant_id__isnull=False) | Q(staff__lt=SMALL_STAFF_FEWER_THAN),
        ),
    )
    figures.with_charities = _money(sums["charities"])
    figures.with_small = _money(sums["small"])
    figures.with_small_or_voluntary = _money(sums["either"])


def framework_member_spend(organisation_ids: set[int], figures: SpendFigures) -> Decimal:
    """What the spend selector found paid to these organisations (for the frameworks section)."""
    return sum((row.amount for row in figures.providers if row.organisation_id in organisation_ids), ZERO)
