"""The framework flag on a listing: its wording, when it shows, and a council's own-verification rule.

Acme Care is on lot 2 of Coventry's Short Breaks Framework 2026–2030.
"""

import datetime

import pytest
from django.utils import timezone

from accounts.models import Organisation
from accounts.roles import OrganisationKind
from accounts.tests.factories import CouncilFactory, OrganisationFactory
from providers.frameworks import council_place_name, framework_badges, framework_badges_for
from providers.models import (
    CouncilQAPolicy,
    FrameworkContract,
    FrameworkLot,
    FrameworkMembership,
    MembershipStatus,
)
from providers.tests.factories import ProviderProfileFactory

pytestmark = pytest.mark.django_db

COVENTRY_BADGE = "On Coventry Short Breaks Framework 2026–2030, Lot 2"


@pytest.fixture
def coventry():
    return CouncilFactory(name="Coventry City Council")


@pytest.fixture
def acme(coventry):
    return ProviderProfileFactory(
        organisation=OrganisationFactory(name="Acme Care", kind=OrganisationKind.PROVIDER, council=coventry)
    ).organisation


def framework(council, name="Short Breaks Framework", starts=2026, ends=2030, reference="SB"):  # type: ignore[no-untyped-def]
    return FrameworkContract.objects.create(
        council=council,
        reference=reference,
        name=name,
        starts_on=datetime.date(starts, 4, 1),
        ends_on=datetime.date(ends, 3, 31),
    )


def admit(contract, organisation, *, lot_number=2, status=MembershipStatus.ADMITTED, admitted_on=None):  # type: ignore[no-untyped-def]
    lot, _ = FrameworkLot.objects.get_or_create(framework=contract, number=lot_number, defaults={"name": "Lot"})
    return FrameworkMembership.objects.create(
        lot=lot, organisation=organisation, status=status, admitted_on=admitted_on or contract.starts_on
    )


@pytest.fixture
def on_coventry_framework(coventry, acme):
    return admit(framework(coventry), acme)


@pytest.fixture
def frozen_2027(time_machine):
    time_machine.move_to(datetime.datetime(2027, 1, 15, 12, tzinfo=datetime.UTC), tick=False)
    return timezone.localdate()


@pytest.mark.parametrize(
    ("name", "place"),
    [
        ("Coventry City Council", "Coventry"),
        ("Gloucestershire County Council", "Gloucestershire"),
        ("London Borough of Redbridge", "Redbridge"),
        ("Royal Borough of Greenwich", "Greenwich"),
        ("Stockport Metropolitan Borough Council", "Stockport"),
    ],
)
def test_a_councils_place_name_drops_its_formal_words(name, place):
    assert council_place_name(Organisation(name=name)) == place


def test_badge_names_the_councils_place_the_framework_its_years_and_the_lot(acme, on_coventry_framework, frozen_2027):
    assert framework_badges(acme, frozen_2027) == [COVENTRY_BADGE]


def test_badge_does_not_repeat_a_place_or_years_the_framework_name_already_has(coventry, acme, frozen_2027):
    admit(framework(coventry, name="Coventry Short Breaks Framework 2026–2030"), acme)

    assert framework_badges(acme, frozen_2027) == [COVENTRY_BADGE]


@pytest.mark.parametrize("status", [MembershipStatus.SUSPENDED, MembershipStatus.ENDED])
def test_no_badge_while_the_membership_is_not_admitted(coventry, acme, frozen_2027, status):
    admit(framework(coventry), acme, status=status)

    assert framework_badges(acme, frozen_2027) == []


def test_no_badge_before_the_framework_starts_or_after_it_ends(coventry, acme, on_coventry_framework):
    assert framework_badges(acme, datetime.date(2026, 3, 31)) == []
    assert framework_badges(acme, datetime.date(2026, 4, 1)) == [COVENTRY_BADGE]
    assert framework_badges(acme, datetime.date(2030, 3, 31)) == [COVENTRY_BADGE]
    assert framework_badges(acme, datetime.date(2030, 4, 1)) == []


def test_no_badge_before_the_provider_is_admitted(coventry, acme, frozen_2027):
    admit(framework(coventry), acme, admitted_on=datetime.date(2027, 2, 1))

    assert framework_badges(acme, frozen_2027) == []


def test_own_verification_hides_the_badge_when_another_council_assured_the_listing(
    coventry, acme, on_coventry_framework, frozen_2027
):
    CouncilQAPolicy.objects.create(council=coventry, framework_needs_own_verification=True)
    acme.provider_profile.assured_by_council = CouncilFactory(name="Warwickshire County Council")
    acme.provider_profile.checks_current_until = datetime.date(2028, 1, 1)
    acme.provider_profile.save()

    assert framework_badges(acme, frozen_2027) == []


def test_own_verification_shows_the_badge_while_the_councils_own_checks_are_current(
    coventry, acme, on_coventry_framework, time_machine
):
    CouncilQAPolicy.objects.create(council=coventry, framework_needs_own_verification=True)
    acme.provider_profile.assured_by_council = coventry
    acme.provider_profile.checks_current_until = datetime.date(2027, 6, 30)
    acme.provider_profile.save()

    time_machine.move_to(datetime.datetime(2027, 6, 30, 12, tzinfo=datetime.UTC), tick=False)
    assert framework_badges(acme, timezone.localdate()) == [COVENTRY_BADGE]

    # The day after the checks lapse, the flag goes without anything being saved.
    time_machine.move_to(datetime.datetime(2027, 7, 1, 12, tzinfo=datetime.UTC), tick=False)
    assert framework_badges(acme, timezone.localdate()) == []


def test_without_the_own_verification_rule_any_listing_on_the_framework_shows_the_badge(
    coventry, acme, on_coventry_framework, frozen_2027
):
    CouncilQAPolicy.objects.create(council=coventry, framework_needs_own_verification=False)

    assert acme.provider_profile.assured_by_council is None
    assert framework_badges(acme, frozen_2027) == [COVENTRY_BADGE]


def test_the_viewing_councils_frameworks_come_first(coventry, acme, on_coventry_framework, frozen_2027):
    gloucestershire = CouncilFactory(name="Gloucestershire County Council")
    admit(framework(gloucestershire, name="Personal Assistance Framework", starts=2025, ends=2029), acme, lot_number=3)

    badges = framework_badges(acme, frozen_2027, viewing_council=gloucestershire)

    assert badges == ["On Gloucestershire Personal Assistance Framework 2025–2029, Lot 3", COVENTRY_BADGE]


def test_badges_for_many_organisations_answer_each_with_its_own(coventry, acme, on_coventry_framework, frozen_2027):
    other = ProviderProfileFactory().organisation

    badges = framework_badges_for([acme, other], frozen_2027)

    assert badges == {acme.pk: [COVENTRY_BADGE]}
