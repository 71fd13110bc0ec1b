"""Badges: what a listing shows, in plain English, with what each badge means."""

import datetime
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.urls import reverse

from accounts.roles import OrganisationKind
from providers.badges import DBS_CHECKED, badges_for_offer, badges_for_organisation, badges_for_profile
from providers.models import (
    DBSLevel,
    FrameworkContract,
    FrameworkLot,
    FrameworkMembership,
    InsuranceKind,
    Regulator,
    RegulatorRating,
)
from providers.services.qa import (
    dbs_check_verify,
    declaration_decide,
    declaration_submit,
    insurance_decide,
    insurance_submit,
    registration_record,
)
from providers.tests import qa_factories as qa
from providers.tests.factories import published_offer

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 3)


@pytest.fixture(autouse=True)
def frozen(time_machine) -> None:  # type: ignore[no-untyped-def]
    time_machine.move_to(datetime.datetime(2026, 3, 3, 12, tzinfo=datetime.UTC), tick=False)


@pytest.fixture
def coventry():  # type: ignore[no-untyped-def]
    return qa.council("Coventry City Council")


@pytest.fixture
def alice(coventry):  # type: ignore[no-untyped-def]
    return qa.qa_officer(coventry)


@pytest.fixture
def acme(alice, coventry):  # type: ignore[no-untyped-def]
    """A provider with a verified declaration."""
    profile, staff = qa.provider()
    declaration = declaration_submit(actor=staff, organisation=profile.organisation, staff_count=6, evidence=qa.pdf())
    declaration_decide(declaration=declaration, officer=alice, council=coventry, accept=True, reason="")
    profile.refresh_from_db()
    profile.staff = staff
    return profile


def _labels(badges) -> list[str]:  # type: ignore[no-untyped-def]
    return [badge.label for badge in badges]


def test_a_pa_with_a_current_qualifying_check_is_dbs_checked_and_names_the_assuring_council(alice, coventry):
    sam = qa.personal_assistant()
    dbs_check_verify(check=qa.dbs_check(pa_profile=sam), officer=alice, council=coventry, original_seen_on=TODAY)
    sam.refresh_from_db()

    badges = badges_for_profile(sam, TODAY)

    assert _labels(badges) == [DBS_CHECKED, "Assured by Coventry City Council on 3 March 2026"]
    assert badges[0].explanation.startswith("DBS checked means this personal assistant has an enhanced DBS check")
    assert "3 March 2028" in badges[0].explanation


def test_a_pa_with_only_an_enhanced_check_without_the_barred_list_has_no_dbs_badge(alice, coventry):
    sam = qa.personal_assistant()
    check = qa.dbs_check(pa_profile=sam, level=DBSLevel.ENHANCED)
    dbs_check_verify(check=check, officer=alice, council=coventry, original_seen_on=TODAY)
    sam.refresh_from_db()

    assert badges_for_profile(sam, TODAY) == []


def test_an_unverified_check_gives_no_badge():
    sam = qa.personal_assistant()
    qa.dbs_check(pa_profile=sam)

    assert badges_for_profile(sam, TODAY) == []


def test_an_organisation_is_dbs_checked_on_its_verified_declaration(acme):
    badges = badges_for_profile(acme, TODAY)

    assert _labels(badges)[:2] == [DBS_CHECKED, "Assured by Coventry City Council on 3 March 2026"]
    assert "declared that all its staff who work with children" in badges[0].explanation


def test_a_lapsed_declaration_says_when_it_lapsed(acme):
    later = datetime.date(2029, 3, 4)

    assert _labels(badges_for_profile(acme, later)) == ["DBS check lapsed on 4 March 2029"]


def test_registrations_show_the_regulator_rating_and_inspection(acme, alice, coventry):
    registration_record(
        officer=alice,
        council=coventry,
        organisation=acme.organisation,
        regulator=Regulator.OFSTED,
        registration_id="EY123456",
        rating=RegulatorRating.GOOD,
        inspection_date=datetime.date(2025, 5, 12),
    )
    registration_record(
        officer=alice,
        council=coventry,
        organisation=acme.organisation,
        regulator=Regulator.CQC,
        registration_id="1-101010101",
        rating=RegulatorRating.NOT_YET_RATED,
        inspection_date=None,
    )

    labels = _labels(badges_for_profile(acme, TODAY))

    assert "Registered with Ofsted: Good (inspected 12 May 2025)" in labels
    assert "Registered with CQC: not yet rated" in labels


def test_only_verified_current_insurance_shows(acme, alice, coventry):
    def insured(kind: str, until: datetime.date, accept: bool = True):  # type: ignore[no-untyped-def]
        policy = insurance_submit(
            actor=acme.staff,
            organisation=acme.organisation,
            kind=kind,
            insurer="Acme Mutual",
            cover_amount=Decimal("5000000"),
            expires_on=until,
            certificate=qa.pdf(),
        )
        if accept is not None:
            insurance_decide(
                policy=policy, officer=alice, council=coventry, accept=accept, reason="" if accept else "x"
            )

    insured(InsuranceKind.EMPLOYERS_LIABILITY, datetime.date(2026, 6, 1), accept=False)
    assert not [label for label in _labels(badges_for_profile(acme, TODAY)) if label.startswith("Insured")]

    insured(InsuranceKind.PUBLIC_LIABILITY, datetime.date(2026, 6, 1))
    assert "Insured: public liability" in _labels(badges_for_profile(acme, TODAY))

    insured(InsuranceKind.EMPLOYERS_LIABILITY, datetime.date(2026, 6, 1))
    assert "Insured: public liability and employer's liability" in _labels(badges_for_profile(acme, TODAY))
    assert not [label for label in _labels(badges_for_profile(acme, datetime.date(2026, 6, 2))) if "Insured" in label]


def test_an_offer_carries_its_providers_badges(acme):
    offer = published_offer(organisation=acme.organisation)

    assert _labels(badges_for_offer(offer, TODAY)) == _labels(badges_for_profile(acme, TODAY))


def test_a_broker_organisation_without_a_profile_is_assured_through_its_declaration(alice, coventry):
    broker_profile, broker = qa.provider(kind=OrganisationKind.BROKER)
    organisation = broker_profile.organisation
    broker_profile.delete()
    declaration = declaration_submit(
        actor=broker, organisation=organisation, staff_count=2, evidence=qa.pdf(), code_of_conduct_accepted=True
    )
    declaration_decide(declaration=declaration, officer=alice, council=coventry, accept=True, reason="")

    assert _labels(badges_for_organisation(organisation, TODAY))[:2] == [
        DBS_CHECKED,
        "Assured by Coventry City Council on 3 March 2026",
    ]


def test_framework_flags_come_from_the_frameworks_module(acme, coventry):
    framework = FrameworkContract.objects.create(
        council=coventry,
        reference="CCC-SB-2026",
        name="Short Breaks Framework",
        starts_on=datetime.date(2026, 1, 1),
        ends_on=datetime.date(2030, 1, 1),
    )
    lot = FrameworkLot.objects.create(framework=framework, number=2, name="Short breaks at home")
    FrameworkMembership.objects.create(lot=lot, organisation=acme.organisation, admitted_on=datetime.date(2026, 2, 1))

    badges = badges_for_profile(acme, TODAY)

    flags = [badge for badge in badges if badge.label.startswith("On ")]
    assert [flag.label for flag in flags] == ["On Coventry Short Breaks Framework 2026–2030, Lot 2"]
    assert "not a rule" in flags[0].explanation


def test_the_include_shows_each_badge_as_a_tag_with_its_meaning_beside_it(acme):
    html = Template("{% load badges %}{% listing_badges profile %}").render(Context({"profile": acme}))

    assert '<strong class="govuk-tag govuk-tag--green">DBS checked</strong>' in html
    assert "DBS checked means this organisation has declared" in html


def test_public_provider_and_offer_pages_show_the_badges(client, acme):
    offer = published_offer(organisation=acme.organisation)

    provider_page = client.get(reverse("providers:public-provider", args=[acme.public_id])).content.decode()
    offer_page = client.get(reverse("providers:public-offer", args=[offer.public_id])).content.decode()

    for page in (provider_page, offer_page):
        assert "Checks and quality" in page
        assert "Assured by Coventry City Council on 3 March 2026" in page
