"""Quality: checks about to lapse, listings waiting for checks, concerns, complaints and low ratings.

Lapse dates are those the quality-assurance lapse warnings use (``providers.services.qa.lapses``): a verified
DBS check's ``current_until`` (set by the verifying council's recheck policy) and a verified insurance policy's
``expires_on``, each unless a later verified one replaces it. Only the council's market counts: provider
organisations and personal assistants registered with it.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Exists, F, OuterRef, Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from marketplace.complaint_selectors import complaint_figures
from marketplace.insights.scope import InsightScope, council_offers
from providers.models import (
    Concern,
    ConcernStatus,
    DBSCheck,
    InsurancePolicy,
    OfferStatus,
    PersonalAssistantProfile,
    ProfileStatus,
    ProviderProfile,
    RegulatorRating,
    RegulatorRegistration,
    Verification,
)

LAPSE_BANDS = (30, 60, 90)
# An offer's rating counts as low under this average, once enough families have reviewed it to mean something.
LOW_RATING_BELOW = Decimal("3")
LOW_RATING_MIN_REVIEWS = 3
RATINGS_OF_CONCERN = (RegulatorRating.REQUIRES_IMPROVEMENT, RegulatorRating.INADEQUATE)


@dataclass(frozen=True)
class Lapse:
    what: str
    holder: str
    lapses_on: datetime.date
    days_left: int


@dataclass(frozen=True)
class LowRating:
    offer_name: str
    provider: str
    average: Decimal
    reviews: int
    url: str


@dataclass
class QualityFigures:
    today: datetime.date
    dbs_lapsing: list[Lapse] = field(default_factory=list)
    insurance_lapsing: list[Lapse] = field(default_factory=list)
    profiles_waiting: int = 0
    offers_waiting: int = 0
    registrations_of_concern: list[RegulatorRegistration] = field(default_factory=list)
    concerns_open: dict[str, int] = field(default_factory=dict)
    complaints: dict[str, int] = field(default_factory=dict)
    low_ratings: list[LowRating] = field(default_factory=list)

    def within(self, lapses: list[Lapse]) -> list[tuple[int, int]]:
        """How many lapse within each band of days (each band includes the shorter ones)."""
        return [(days, sum(1 for lapse in lapses if lapse.days_left <= days)) for days in LAPSE_BANDS]

    @property
    def dbs_bands(self) -> list[tuple[int, int]]:
        return self.within(self.dbs_lapsing)

    @property
    def insurance_bands(self) -> list[tuple[int, int]]:
        return self.within(self.insurance_lapsing)


def _holder_market(council) -> Q:  # type: ignore[no-untyped-def]
    return Q(organisation__council=council) | Q(pa_profile__council=council)


def dbs_lapsing(scope: InsightScope, today: datetime.date) -> list[Lapse]:
    horizon = today + datetime.timedelta(days=max(LAPSE_BANDS))
    replaced = DBSCheck.objects.filter(
        verification=Verification.VERIFIED,
        person_name=OuterRef("person_name"),
        current_until__gt=OuterRef("current_until"),
    ).filter(Q(organisation=OuterRef("organisation")) | Q(pa_profile=OuterRef("pa_profile")))
    checks = (
        DBSCheck.objects.filter(_holder_market(scope.council), verification=Verification.VERIFIED)
        .filter(current_until__range=(today, horizon))
        .exclude(Exists(replaced))
        .annotate(holder=Coalesce(F("pa_profile__display_name"), F("organisation__name")))
        .values("person_name", "holder", "current_until")
        .order_by("current_until", "holder")
    )
    return [
        Lapse(
            f"DBS check of {row['person_name']}",
            row["holder"],
            row["current_until"],
            (row["current_until"] - today).days,
        )
        for row in checks
    ]


def insurance_lapsing(scope: InsightScope, today: datetime.date) -> list[Lapse]:
    horizon = today + datetime.timedelta(days=max(LAPSE_BANDS))
    replaced = InsurancePolicy.objects.filter(
        verification=Verification.VERIFIED, kind=OuterRef("kind"), expires_on__gt=OuterRef("expires_on")
    ).filter(Q(organisation=OuterRef("organisation")) | Q(pa_profile=OuterRef("pa_profile")))
    policies = (
        InsurancePolicy.objects.filter(_holder_market(scope.council), verification=Verification.VERIFIED)
        .filter(expires_on__range=(today, horizon))
        .exclude(Exists(replaced))
        .annotate(holder=Coalesce(F("pa_profile__display_name"), F("organisation__name")))
        .values("kind", "holder", "expires_on")
        .order_by("expires_on", "holder")
    )
    kinds = dict(InsurancePolicy._meta.get_field("kind").choices)
    return [
        Lapse(f"{kinds[row['kind']]} insurance", row["holder"], row["expires_on"], (row["expires_on"] - today).days)
        for row in policies
    ]


def low_ratings(scope: InsightScope) -> list[LowRating]:
    offers = (
        council_offers(scope.council)
        .filter(
            status=OfferStatus.PUBLISHED,
            rating_average__lt=LOW_RATING_BELOW,
            rating_count__gte=LOW_RATING_MIN_REVIEWS,
        )
        .values(
            "public_id",
            "live_version__name",
            "organisation__name",
            "personal_assistant__display_name",
            "rating_average",
            "rating_count",
        )
        .order_by("rating_average", "live_version__name")
    )
    return [
        LowRating(
            offer_name=row["live_version__name"],
            provider=row["organisation__name"] or row["personal_assistant__display_name"],
            average=row["rating_average"],
            reviews=row["rating_count"],
            url=reverse("providers:public-offer", args=[row["public_id"]]),
        )
        for row in offers
    ]


def _waiting(scope: InsightScope) -> tuple[int, int]:
    profiles = (
        ProviderProfile.objects.filter(organisation__council=scope.council, status=ProfileStatus.PENDING).count()
        + PersonalAssistantProfile.objects.filter(council=scope.council, status=ProfileStatus.PENDING).count()
    )
    offers = council_offers(scope.council).filter(status=OfferStatus.PENDING).count()
    return profiles, offers


def _complaints(scope: InsightScope) -> dict[str, int]:
    """The complaints section's own figures (``complaint_figures``) added up over every provider."""
    rows = complaint_figures(council=scope.council, since=scope.starts_on)
    names = ("total", "undecided", "resolved", "upheld", "partly_upheld", "not_upheld")
    return {name: sum(getattr(row, name) for row in rows) for name in names}


def quality_figures(scope: InsightScope, today: datetime.date | None = None) -> QualityFigures:
    today = today or timezone.localdate()
    figures = QualityFigures(today=today)
    figures.dbs_lapsing = dbs_lapsing(scope, today)
    figures.insurance_lapsing = insurance_lapsing(scope, today)
    figures.profiles_waiting, figures.offers_waiting = _waiting(scope)
    figures.registrations_of_concern = list(
        RegulatorRegistration.objects.filter(organisation__council=scope.council, rating__in=RATINGS_OF_CONCERN)
        .select_related("organisation")
        .order_by("organisation__name", "regulator")
    )
    concerns = (
        Concern.objects.filter(council=scope.council).exclude(status=ConcernStatus.CLOSED).values("status")
    ).annotate(count=Count("pk"))
    labels = dict(ConcernStatus.choices)
    figures.concerns_open = {labels[row["status"]]: row["count"] for row in concerns.order_by("status")}
    figures.complaints = _complaints(scope)
    figures.low_ratings = low_ratings(scope)
    return figures
