"""Framework flags on listings: "On Coventry Short Breaks Framework 2026–2030, Lot 2".

A flag is a quality signal, never a gate: budget holders may buy on or off a framework. A flag shows
while the membership is admitted and the framework is running. When the framework's council requires
its own verification (``CouncilQAPolicy.framework_needs_own_verification``), the flag shows only if
that council assured the listing and its checks are still current today.
"""

import datetime
import re
from collections import defaultdict
from collections.abc import Iterable

from accounts.models import Organisation
from providers.models import CouncilQAPolicy, FrameworkMembership, MembershipStatus, ProviderProfile

# Words that end or begin a council's formal name but not the place it is known by.
_COUNCIL_NAME_AFFIXES = re.compile(
    r"^(London Borough of|Royal Borough of|City of|Council of the)\s+|"
    r"\s+(Metropolitan Borough|City|County|Borough|District)?\s*Council$",
    flags=re.IGNORECASE,
)


def council_place_name(council: Organisation) -> str:
    """'Coventry City Council' → 'Coventry'; 'London Borough of Redbridge' → 'Redbridge'."""
    return _COUNCIL_NAME_AFFIXES.sub("", council.name).strip() or council.name


def framework_badge_text(membership: FrameworkMembership) -> str:
    """The flag for one membership, naming the council's place unless the framework's name already does."""
    framework = membership.lot.framework
    place = council_place_name(framework.council)
    name = framework.name if place.lower() in framework.name.lower() else f"{place} {framework.name}"
    years = f"{framework.starts_on:%Y}–{framework.ends_on:%Y}"
    if f"{framework.starts_on:%Y}" not in name:
        name = f"{name} {years}"
    return f"On {name}, Lot {membership.lot.number}"


def framework_badges(
    organisation: Organisation, today: datetime.date, viewing_council: Organisation | None = None
) -> list[str]:
    """The framework flags to show on a provider organisation's listing today.

    With ``viewing_council`` (the council whose area the visitor is looking in), that council's
    frameworks come first; the others still show, because a flag from any council says something true.
    """
    return framework_badges_for([organisation], today, viewing_council).get(organisation.pk, [])


def framework_badges_for(
    organisations: Iterable[Organisation], today: datetime.date, viewing_council: Organisation | None = None
) -> dict[int, list[str]]:
    """Flags for many organisations at once (a page of search results), by organisation id, in three queries."""
    ids = [organisation.pk for organisation in organisations]
    memberships = list(
        FrameworkMembership.objects.filter(
            organisation_id__in=ids,
            status=MembershipStatus.ADMITTED,
            admitted_on__lte=today,
            lot__framework__starts_on__lte=today,
            lot__framework__ends_on__gte=today,
        ).select_related("lot__framework__council")
    )
    own_check_councils = set(
        CouncilQAPolicy.objects.filter(
            framework_needs_own_verification=True,
            council_id__in={m.lot.framework.council_id for m in memberships},
        ).values_list("council_id", flat=True)
    )
    assurance = _assurance_by_organisation(ids) if own_check_councils else {}
    viewing_id = viewing_council.pk if viewing_council else None
    memberships.sort(key=lambda m: _badge_order(m, viewing_id))
    badges: dict[int, list[str]] = defaultdict(list)
    for membership in memberships:
        council_id = membership.lot.framework.council_id
        if council_id in own_check_councils and not _assured_by(
            assurance.get(membership.organisation_id), council_id, today
        ):
            continue
        badges[membership.organisation_id].append(framework_badge_text(membership))
    return dict(badges)


def _badge_order(membership: FrameworkMembership, viewing_id: int | None) -> tuple:
    framework = membership.lot.framework
    return (
        framework.council_id != viewing_id,
        framework.council.name,
        framework.starts_on,
        framework.pk,
        membership.lot.number,
    )


def _assurance_by_organisation(ids: list[int]) -> dict[int, tuple[int | None, datetime.date | None]]:
    rows = ProviderProfile.objects.filter(organisation_id__in=ids).values_list(
        "organisation_id", "assured_by_council_id", "checks_current_until"
    )
    return {organisation_id: (council_id, until) for organisation_id, council_id, until in rows}


def _assured_by(
    assurance: tuple[int | None, datetime.date | None] | None, council_id: int, today: datetime.date
) -> bool:
    if assurance is None:
        return False
    assured_by, current_until = assurance
    return assured_by == council_id and current_until is not None and current_until >= today
