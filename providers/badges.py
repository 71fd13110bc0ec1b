"""What a listing's badges are, in plain English, with what each one means.

Used by the public pages (``{% listing_badges %}``) and by search results (``badges_for_offers`` reads a
page of offers in a fixed number of queries; the single-listing functions share its parts). Every badge
is worked out from dates compared with ``today``, never from a stored flag, so a check that lapses stops counting the
day after its last current day without anything being re-saved or re-indexed.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from accounts.models import Organisation
from providers.frameworks import framework_badges_for
from providers.models import (
    InsuranceKind,
    InsurancePolicy,
    Offer,
    PersonalAssistantProfile,
    ProviderProfile,
    Regulator,
    RegulatorRating,
    RegulatorRegistration,
    SaferRecruitmentDeclaration,
    Verification,
)

Profile = ProviderProfile | PersonalAssistantProfile

DBS_CHECKED = "DBS checked"


@dataclass(frozen=True)
class Badge:
    label: str
    explanation: str
    colour: str = "blue"  # a GOV.UK tag colour: green, blue, red, grey, turquoise…


def long_date(day: datetime.date) -> str:
    """3 March 2026."""
    return f"{day.day} {day:%B %Y}"


def is_dbs_checked(profile: Profile, today: datetime.date) -> bool:
    """A PA: an enhanced check with the children's barred list, current today by the verifying
    council's policy. An organisation: a verified safer-recruitment declaration, current today."""
    return profile.checks_current_until is not None and profile.checks_current_until >= today


def badges_for_profile(profile: Profile, today: datetime.date) -> list[Badge]:
    if isinstance(profile, PersonalAssistantProfile):
        kinds = _insurance_kinds([], [profile.pk], today)
        return [*_check_badges(profile, today, _PA_WORDS), *_insurance_badges(kinds[("pa", profile.pk)])]
    return badges_for_organisation(profile.organisation, today, profile=profile)


def badges_for_offer(offer: Offer, today: datetime.date) -> list[Badge]:
    """An offer carries its provider's badges: the checks are of the people who give the support."""
    return badges_for_offers([offer], today)[offer.pk]


def badges_for_organisation(
    organisation: Organisation, today: datetime.date, profile: ProviderProfile | None = None
) -> list[Badge]:
    """A provider's or broker organisation's badges. A broker organisation may have no profile: its
    assurance is then read from its latest verified declaration."""
    assured = profile or _declarations([organisation]).get(organisation.pk)
    return _organisation_badges(
        organisation,
        assured,
        registrations=_registrations([organisation.pk]),
        insurance=_insurance_kinds([organisation.pk], [], today),
        frameworks=framework_badges_for([organisation], today),
        today=today,
    )


def badges_for_offers(offers: Iterable[Offer], today: datetime.date) -> dict[int, list[Badge]]:
    """Each offer's badges (by offer id), for a page of offers read at once. The offers need their
    organisation (with ``provider_profile``) or personal assistant loaded."""
    offers = list(offers)
    organisations = {offer.organisation_id: offer.organisation for offer in offers if offer.organisation_id}
    pa_ids = [offer.personal_assistant_id for offer in offers if offer.personal_assistant_id]
    insurance = _insurance_kinds(list(organisations), pa_ids, today)
    registrations = _registrations(list(organisations))
    frameworks = framework_badges_for(organisations.values(), today) if organisations else {}
    declarations = _declarations([o for o in organisations.values() if not _has_profile(o)])
    badges: dict[int, list[Badge]] = {}
    for offer in offers:
        if offer.personal_assistant_id:
            pa = offer.personal_assistant
            badges[offer.pk] = [*_check_badges(pa, today, _PA_WORDS), *_insurance_badges(insurance[("pa", pa.pk)])]
            continue
        organisation = offer.organisation
        assured = organisation.provider_profile if _has_profile(organisation) else declarations.get(organisation.pk)
        badges[offer.pk] = _organisation_badges(
            organisation, assured, registrations=registrations, insurance=insurance, frameworks=frameworks, today=today
        )
    return badges


def _organisation_badges(
    organisation: Organisation,
    assured: "Profile | _Assurance | None",
    *,
    registrations: dict[int, list[Badge]],
    insurance: dict[tuple, set[str]],
    frameworks: dict[int, list[str]],
    today: datetime.date,
) -> list[Badge]:
    return [
        *(_check_badges(assured, today, _ORGANISATION_WORDS) if assured is not None else []),
        *registrations[organisation.pk],
        *_insurance_badges(insurance[("organisation", organisation.pk)]),
        *(Badge(text, FRAMEWORK_EXPLANATION, "grey") for text in frameworks.get(organisation.pk, [])),
    ]


def _has_profile(organisation: Organisation) -> bool:
    return getattr(organisation, "provider_profile", None) is not None


# --- DBS checks and declarations --------------------------------------------------------------------


@dataclass(frozen=True)
class _Words:
    checked: str
    lapsed: str
    assured: str


_PA_WORDS = _Words(
    checked="DBS checked means this personal assistant has an enhanced DBS check with the children's barred "
    "list. A council officer saw the original certificate, and the check is current until {until} under "
    "that council's rules for rechecking.",
    lapsed="This personal assistant's DBS check was not renewed in time, so it no longer counts. They can "
    "still be contacted, but they are not shown as DBS checked until a council checks them again.",
    assured="{council} checked this personal assistant's DBS certificate on {on}.",
)
_ORGANISATION_WORDS = _Words(
    checked="DBS checked means this organisation has declared that all its staff who work with children "
    "hold enhanced DBS checks with the children's barred list, and a council officer has checked its "
    "evidence. The declaration is current until {until}.",
    lapsed="This organisation's safer-recruitment declaration was not renewed in time, so it no longer "
    "counts. It is not shown as DBS checked until a council checks it again.",
    assured="{council} checked this organisation's safer-recruitment declaration and evidence on {on}.",
)


@dataclass(frozen=True)
class _Assurance:
    checks_current_until: datetime.date | None
    assured_by_council: Organisation | None
    assured_on: datetime.date | None


def _check_badges(assured: Profile | _Assurance, today: datetime.date, words: _Words) -> list[Badge]:
    until = assured.checks_current_until
    if until is None:
        return []
    if until < today:
        lapsed_on = until + datetime.timedelta(days=1)
        return [Badge(f"DBS check lapsed on {long_date(lapsed_on)}", words.lapsed, "red")]
    badges = [Badge(DBS_CHECKED, words.checked.format(until=long_date(until)), "green")]
    if assured.assured_by_council is not None and assured.assured_on is not None:
        council, on = assured.assured_by_council.name, long_date(assured.assured_on)
        badges.append(Badge(f"Assured by {council} on {on}", words.assured.format(council=council, on=on), "blue"))
    return badges


def _declarations(organisations: list[Organisation]) -> dict[int, _Assurance]:
    """An organisation without a profile (a broker) is assured by its latest verified declaration."""
    if not organisations:
        return {}
    rows = (
        SaferRecruitmentDeclaration.objects.filter(
            organisation__in=organisations, verified_at__isnull=False, current_until__isnull=False
        )
        .select_related("verified_by_council")
        .order_by("organisation_id", "-current_until")
    )
    latest: dict[int, _Assurance] = {}
    for row in rows:
        latest.setdefault(
            row.organisation_id,
            _Assurance(row.current_until, row.verified_by_council, timezone.localdate(row.verified_at)),
        )
    return latest


# --- Regulators, insurance and frameworks -----------------------------------------------------------


_REGULATOR_SHORT_NAMES = {Regulator.CQC: "CQC", Regulator.OFSTED: "Ofsted"}
FRAMEWORK_EXPLANATION = (
    "A council has admitted this provider to one of its framework contracts, after checking it meets the "
    "framework's quality requirements. It is a sign of quality, not a rule: you can buy from providers on "
    "or off a framework."
)


def _registrations(organisation_ids: list[int]) -> dict[int, list[Badge]]:
    badges: dict[int, list[Badge]] = defaultdict(list)
    for registration in RegulatorRegistration.objects.filter(organisation_id__in=organisation_ids):
        badges[registration.organisation_id].append(_registration_badge(registration))
    return badges


def _registration_badge(registration: RegulatorRegistration) -> Badge:
    regulator = _REGULATOR_SHORT_NAMES[registration.regulator]
    if registration.rating == RegulatorRating.NOT_YET_RATED:
        label = f"Registered with {regulator}: not yet rated"
    else:
        label = f"Registered with {regulator}: {registration.get_rating_display()}"
    if registration.inspection_date:
        label += f" (inspected {long_date(registration.inspection_date)})"
    explanation = (
        f"{registration.get_regulator_display()} inspects and rates this kind of service. Registration "
        f"number {registration.registration_id}, recorded from the regulator's register by a council officer."
    )
    return Badge(label, explanation, "turquoise")


def _insurance_kinds(organisation_ids: list[int], pa_ids: list[int], today: datetime.date) -> dict[tuple, set[str]]:
    """The kinds of verified insurance current today, by ("organisation", id) or ("pa", id)."""
    kinds: dict[tuple, set[str]] = defaultdict(set)
    rows = InsurancePolicy.objects.filter(
        Q(organisation_id__in=organisation_ids) | Q(pa_profile_id__in=pa_ids),
        verification=Verification.VERIFIED,
        expires_on__gte=today,
    )
    for organisation_id, pa_id, kind in rows.values_list("organisation_id", "pa_profile_id", "kind"):
        kinds[("organisation", organisation_id) if organisation_id else ("pa", pa_id)].add(kind)
    return kinds


def _insurance_badges(kinds: set[str]) -> list[Badge]:
    present = [kind for kind in InsuranceKind if kind in kinds]
    if not present:
        return []
    names = " and ".join(kind.label.lower() for kind in present)
    explanation = (
        f"A council officer has seen a current {names} insurance certificate. Public liability insurance "
        "covers injury or damage to you or your property caused by the provider's work."
    )
    return [Badge(f"Insured: {names}", explanation, "blue")]
