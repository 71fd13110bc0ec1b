"""Council policies and the dates they give: how long a verified check counts as current, and what a
listing stores about its checks so that search can compare the date with today."""

import calendar
import datetime

from django.db import transaction
from django.utils import timezone

from accounts.events import audit_record
from accounts.models import Organisation, User
from accounts.roles import OrganisationKind
from providers.changes import organisation_listings_changed, profile_listings_changed
from providers.models import (
    CHILDREN_BARRED_LIST_LEVELS,
    CouncilQAPolicy,
    DBSCheck,
    PersonalAssistantProfile,
    ProviderProfile,
    SaferRecruitmentDeclaration,
)

Profile = ProviderProfile | PersonalAssistantProfile
ASSURABLE_KINDS = frozenset({OrganisationKind.PROVIDER, OrganisationKind.BROKER})


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` later, or the month's last day when it is shorter (31 Jan + 1 → 28 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


# --- Council policy ---------------------------------------------------------------------------------


def qa_policy_for(council: Organisation) -> CouncilQAPolicy:
    """The council's policy, created with the defaults (3-yearly rechecks) the first time it is needed."""
    if not council.is_council:
        raise ValueError("Only a council has a quality-assurance policy")
    policy, _created = CouncilQAPolicy.objects.get_or_create(council=council)
    return policy


@transaction.atomic
def qa_policy_update(
    *,
    council: Organisation,
    actor: User,
    dbs_recheck_months: int,
    update_service_check_months: int,
    framework_needs_own_verification: bool,
) -> CouncilQAPolicy:
    """Change the policy, and re-date the checks this council verified: a check is current for as long
    as the verifying council's policy says, so a shorter recheck period takes effect at once."""
    policy = CouncilQAPolicy.objects.select_for_update().get(pk=qa_policy_for(council).pk)
    before = _policy_values(policy)
    policy.dbs_recheck_months = dbs_recheck_months
    policy.update_service_check_months = update_service_check_months
    policy.framework_needs_own_verification = framework_needs_own_verification
    policy.full_clean()
    policy.save()
    redated = _checks_redate(policy)
    audit_record(
        actor=actor,
        action="qa.policy_changed",
        target=council,
        council=council,
        summary=f"Quality-assurance policy changed for {council}",
        data={"before": before, "after": _policy_values(policy), "checks_redated": redated},
    )
    return policy


def _policy_values(policy: CouncilQAPolicy) -> dict[str, object]:
    return {
        "dbs_recheck_months": policy.dbs_recheck_months,
        "update_service_check_months": policy.update_service_check_months,
        "framework_needs_own_verification": policy.framework_needs_own_verification,
    }


def _checks_redate(policy: CouncilQAPolicy) -> int:
    checks = list(DBSCheck.objects.verified().filter(verified_by_council=policy.council).select_for_update())
    for check in checks:
        check.current_until = dbs_current_until(check, policy, verified_on=timezone.localdate(check.verified_at))
    DBSCheck.objects.bulk_update(checks, ["current_until"])
    declarations = list(
        SaferRecruitmentDeclaration.objects.verified().filter(verified_by_council=policy.council).select_for_update()
    )
    for declaration in declarations:
        declaration.current_until = add_months(timezone.localdate(declaration.verified_at), policy.dbs_recheck_months)
    SaferRecruitmentDeclaration.objects.bulk_update(declarations, ["current_until"])
    for pa_profile in {check.pa_profile for check in checks if check.pa_profile_id}:
        listing_assurance_refresh(pa_profile=pa_profile)
    for organisation in {declaration.organisation for declaration in declarations}:
        listing_assurance_refresh(organisation=organisation)
    return len(checks) + len(declarations)


# --- What a listing shows ---------------------------------------------------------------------------


def listing_assurance_refresh(
    *, pa_profile: PersonalAssistantProfile | None = None, organisation: Organisation | None = None
) -> None:
    """Store on the listing the date until which its checks are current, and who assured it.

    A PA is "DBS checked" on an enhanced check with the children's barred list; an organisation on a
    verified safer-recruitment declaration. The latest such check counts, even when it has lapsed, so
    that the listing can say when it lapsed. Search compares the stored date with today, so it needs
    re-indexing only when the date changes, not when it passes.
    """
    if pa_profile is not None:
        best = (
            DBSCheck.objects.filter(pa_profile=pa_profile, level__in=CHILDREN_BARRED_LIST_LEVELS)
            .filter(verified_at__isnull=False, current_until__isnull=False)
            .order_by("-current_until", "-verified_at")
            .first()
        )
        profiles = PersonalAssistantProfile.objects.filter(pk=pa_profile.pk)
    elif organisation is not None:
        best = (
            SaferRecruitmentDeclaration.objects.filter(organisation=organisation)
            .filter(verified_at__isnull=False, current_until__isnull=False)
            .order_by("-current_until", "-verified_at")
            .first()
        )
        profiles = ProviderProfile.objects.filter(organisation=organisation)
    else:
        raise ValueError("Name the personal assistant or the organisation")
    profiles.update(
        checks_current_until=best.current_until if best else None,
        assured_by_council=best.verified_by_council if best else None,
        assured_on=timezone.localdate(best.verified_at) if best else None,
    )
    if pa_profile is not None:
        profile_listings_changed(pa_profile)
    else:
        organisation_listings_changed(organisation.pk)


def dbs_current_until(check: DBSCheck, policy: CouncilQAPolicy, *, verified_on: datetime.date) -> datetime.date:
    """On the Update Service, a check is current until the next status check is due; otherwise until
    the council's recheck period from the issue date has passed (a certificate itself never expires)."""
    if check.update_service:
        return add_months(check.last_status_check_on or verified_on, policy.update_service_check_months)
    return add_months(check.issue_date, policy.dbs_recheck_months)
