"""What a listing's badges are, in plain English, with what each one means.

Used by the public pages (``{% listing_badges %}``) and by search results. Every badge is worked out
from dates compared with ``today``, never from a stored flag, so a check that lapses stops counting the
day after its last current day without anything being re-saved or re-indexed.
"""

import datetime
from dataclasses import dataclass
from importlib import import_module

from django.utils import timezone

from accounts.models import Organisation
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
        return [
            *_check_badges(profile, today, _PA_WORDS),
            *_insurance_badges(InsurancePolicy.objects.filter(pa_profile=profile), today),
        ]
    return badges_for_organisation(profile.organisation, today, profile=profile)


def badges_for_offer(offer: Offer, today: datetime.date) -> list[Badge]:
    """An offer carries its provider's badges: the checks are of the people who give the support."""
    if offer.personal_assistant_id:
        return badges_for_profile(offer.personal_assistant, today)
    profile = ProviderProfile.objects.filter(organisation_id=offer.organisation_id).first()
    return badges_for_organisation(offer.organisation, today, profile=profile)


def badges_for_organisation(
    organisation: Organisation, today: datetime.date, profile: ProviderProfile | None = None
) -> list[Badge]:
    """A provider's or broker organisation's badges. A broker organisation may have no profile: its
    assurance is then read from its latest verified declaration."""
    assured = profile or _declaration_assurance(organisation)
    badges = _check_badges(assured, today, _ORGANISATION_WORDS) if assured is not None else []
    badges += _registration_badges(organisation)
    badges += _insurance_badges(InsurancePolicy.objects.filter(organisation=organisation), today)
    badges += _framework_badges(organisation, today)
    return badges


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


def _declaration_assurance(organisation: Organisation) -> _Assurance | None:
    declaration = (
        SaferRecruitmentDeclaration.objects.filter(
            organisation=organisation, verified_at__isnull=False, current_until__isnull=False
        )
        .select_related("verified_by_council")
        .order_by("-current_until")
        .first()
    )
    if declaration is None:
        return None
    on = timezone.localdate(declaration.verified_at)
    return _Assurance(declaration.current_until, declaration.verified_by_council, on)


# --- Regulators, insurance and frameworks -----------------------------------------------------------


_REGULATOR_SHORT_NAMES = {Regulator.CQC: "CQC", Regulator.OFSTED: "Ofsted"}


def _registration_badges(organisation: Organisation) -> list[Badge]:
    badges = []
    for registration in RegulatorRegistration.objects.filter(organisation=organisation):
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
        badges.append(Badge(label, explanation, "turquoise"))
    return badges


def _insurance_badges(policies, today: datetime.date) -> list[Badge]:  # type: ignore[no-untyped-def]
    kinds = [
        kind
        for kind in InsuranceKind
        if policies.filter(kind=kind, verification=Verification.VERIFIED, expires_on__gte=today).exists()
    ]
    if not kinds:
        return []
    names = " and ".join(kind.label.lower() for kind in kinds)
    explanation = (
        f"A council officer has seen a current {names} insurance certificate. Public liability insurance "
        "covers injury or damage to you or your property caused by the provider's work."
    )
    return [Badge(f"Insured: {names}", explanation, "blue")]


def _framework_badges(organisation: Organisation, today: datetime.date) -> list[Badge]:
    # Framework flags come from the frameworks module when it is installed; imported late so that this
    # module has no fixed dependency on it.
    try:
        frameworks = import_module("providers.frameworks")
    except ImportError:
        return []
    explanation = (
        "A council has admitted this provider to one of its framework contracts, after checking it meets the "
        "framework's quality requirements. It is a sign of quality, not a rule: you can buy from providers on "
        "or off a framework."
    )
    return [Badge(text, explanation, "grey") for text in frameworks.framework_badges(organisation, today)]
