"""Quality: lapsing DBS checks and insurance in 30/60/90-day bands, listings waiting for checks, registrations
rated below good, open concerns, complaints by outcome and low ratings, all of the council's market only."""

import datetime

import pytest
from django.urls import reverse

from marketplace.insights.quality import quality_figures
from marketplace.insights.scope import InsightScope
from marketplace.tests.insights_factories import PAGE_QUERIES, YEAR, commissioner, council, priced_offer, provider_of
from providers.models import (
    Concern,
    ConcernStatus,
    DBSCheck,
    InsurancePolicy,
    Offer,
    OfferStatus,
    PersonalAssistantProfile,
    ProfileStatus,
    RegulatorRegistration,
)
from providers.tests.factories import PersonalAssistantProfileFactory

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 6, 1)


def dbs(holder, person: str, days: int, **more) -> DBSCheck:  # type: ignore[no-untyped-def]
    owner = {"pa_profile": holder} if isinstance(holder, PersonalAssistantProfile) else {"organisation": holder}
    values = {"verification": "verified", "current_until": TODAY + datetime.timedelta(days=days), **more}
    return DBSCheck.objects.create(
        **owner,
        person_name=person,
        level="enhanced_children",
        certificate_number="001234567890",
        certificate_last4="7890",
        issue_date=datetime.date(2024, 1, 1),
        **values,
    )


def insured(holder, days: int, kind: str = "public_liability") -> InsurancePolicy:  # type: ignore[no-untyped-def]
    return InsurancePolicy.objects.create(
        organisation=holder,
        kind=kind,
        insurer="Acme",
        cover_amount="5000000.00",
        expires_on=TODAY + datetime.timedelta(days=days),
        verification="verified",
    )


def rated(offer: Offer, average: str, count: int) -> None:
    Offer.objects.filter(pk=offer.pk).update(rating_average=average, rating_count=count)


@pytest.fixture
def market():  # type: ignore[no-untyped-def]
    coventry, birmingham = council("Coventry City Council"), council("Birmingham City Council")
    club = provider_of(coventry, "Saturday Club")
    assistant = PersonalAssistantProfileFactory(council=coventry, display_name="Sam K.")
    dbs(club, "Ann Lee", 10)
    dbs(club, "Ben Ray", 45)
    dbs(assistant, "Sam Kay", 80)
    dbs(club, "Cat Dow", 120)  # beyond 90 days
    dbs(club, "Dan Fox", 20)
    dbs(club, "Dan Fox", 400)  # Dan's later check replaces the one lapsing
    dbs(club, "Eve Hart", 5, verification="submitted")  # not verified: not a current check
    dbs(provider_of(birmingham, "Elsewhere"), "Fay Gill", 10)
    insured(club, 50)
    insured(club, 70, kind="employers_liability")
    insured(provider_of(birmingham, "Elsewhere too"), 10)
    PersonalAssistantProfileFactory(council=coventry, status=ProfileStatus.PENDING)
    PersonalAssistantProfileFactory(council=birmingham, status=ProfileStatus.PENDING)
    Offer.objects.filter(pk=priced_offer(coventry, "10.00").pk).update(status=OfferStatus.PENDING)
    RegulatorRegistration.objects.create(
        organisation=club, regulator="ofsted", registration_id="EY1", rating="inadequate", recorded_by_council=coventry
    )
    RegulatorRegistration.objects.create(
        organisation=club, regulator="cqc", registration_id="1-1", rating="good", recorded_by_council=coventry
    )
    for status in (ConcernStatus.RECEIVED, ConcernStatus.RECEIVED, ConcernStatus.UNDER_ENQUIRY, ConcernStatus.CLOSED):
        Concern.objects.create(council=coventry, organisation=club, description="Late", status=status)
    Concern.objects.create(council=birmingham, organisation=club, description="Late")
    rated(priced_offer(coventry, "11.00", name="Low"), "2.50", 3)
    rated(priced_offer(coventry, "12.00", name="Too few reviews"), "1.00", 2)
    rated(priced_offer(coventry, "13.00", name="Fine"), "3.00", 10)
    rated(priced_offer(birmingham, "14.00", name="Elsewhere low"), "1.50", 8)
    return coventry


def test_dbs_checks_lapsing_fall_in_bands_of_days(market) -> None:  # type: ignore[no-untyped-def]
    figures = quality_figures(InsightScope(market, YEAR), today=TODAY)
    assert [(lapse.what, lapse.days_left) for lapse in figures.dbs_lapsing] == [
        ("DBS check of Ann Lee", 10),
        ("DBS check of Ben Ray", 45),
        ("DBS check of Sam Kay", 80),
    ]
    assert figures.dbs_bands == [(30, 1), (60, 2), (90, 3)]


def test_insurance_lapsing_and_registrations_of_concern(market) -> None:  # type: ignore[no-untyped-def]
    figures = quality_figures(InsightScope(market, YEAR), today=TODAY)
    assert figures.insurance_bands == [(30, 0), (60, 1), (90, 2)]
    assert [r.registration_id for r in figures.registrations_of_concern] == ["EY1"]


def test_waiting_listings_concerns_and_low_ratings(market) -> None:  # type: ignore[no-untyped-def]
    figures = quality_figures(InsightScope(market, YEAR), today=TODAY)
    assert (figures.profiles_waiting, figures.offers_waiting) == (1, 1)
    assert figures.concerns_open == {"Received": 2, "Being looked into": 1}
    assert [offer.offer_name for offer in figures.low_ratings] == ["Low"]


def test_quality_page_takes_a_bounded_number_of_queries(market, client, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    client.force_login(commissioner(market))
    with django_assert_max_num_queries(PAGE_QUERIES + 12):
        response = client.get(reverse("marketplace:insights-quality"))
    assert response.status_code == 200
    export = client.get(reverse("marketplace:insights-quality-export", args=["low-ratings"]))
    assert "Low," in export.content.decode()


def complaint(council_, provider, *, status: str = "open", outcome: str = "") -> None:  # type: ignore[no-untyped-def]
    from brokerage.tests.factories import PersonSupportedFactory
    from marketplace.models import Complaint

    Complaint.objects.create(
        person=PersonSupportedFactory(council=council_),
        council=council_,
        provider_organisation=provider,
        made_by=commissioner(council_),
        made_as="family_member",
        what_happened="Late",
        what_they_want="On time",
        status=status,
        outcome=outcome,
        response_due_on=TODAY,
    )


def test_complaints_by_outcome_are_the_complaint_figures_added_up(market) -> None:  # type: ignore[no-untyped-def]
    club = provider_of(market, "Holiday Club")
    complaint(market, club)
    complaint(market, club, status="closed", outcome="upheld")
    complaint(market, club, status="closed", outcome="not_upheld")
    other = council("Leeds City Council")
    complaint(other, provider_of(other, "Leeds Club"), status="closed", outcome="upheld")
    figures = quality_figures(InsightScope(market, YEAR), today=TODAY)
    assert (figures.complaints["total"], figures.complaints["upheld"], figures.complaints["not_upheld"]) == (3, 1, 1)
