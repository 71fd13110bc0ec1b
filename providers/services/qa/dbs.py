"""DBS checks: sending, verifying, refusing, Update Service status checks and revealing the number.

A certificate number is written once, encrypted, and read back only by ``dbs_number_reveal``, which
logs who saw it; notifications and audit rows name a check by its masked number (``•••• 1234``).
"""

import datetime
import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.events import audit_record
from accounts.models import Organisation, User
from providers.exceptions import ProvidersError
from providers.models import (
    DBSCheck,
    DBSNumberReveal,
    DBSRefusal,
    PersonalAssistantProfile,
    StatusCheckResult,
    Verification,
)
from providers.services.qa.people import home_council, long_date, submitter_tell
from providers.services.qa.policy import ASSURABLE_KINDS, dbs_current_until, listing_assurance_refresh, qa_policy_for

CERTIFICATE_NUMBER = re.compile(r"^[0-9]{12}$")


@transaction.atomic
def dbs_check_submit(
    *,
    actor: User,
    person_name: str,
    level: str,
    certificate_number: str,
    issue_date: datetime.date,
    update_service: bool,
    pa_profile: PersonalAssistantProfile | None = None,
    organisation: Organisation | None = None,
) -> DBSCheck:
    """A PA's own check, or one for a provider's staff member or a broker (held on the organisation)."""
    number = "".join(certificate_number.split())
    if not CERTIFICATE_NUMBER.match(number):
        raise ValidationError({"certificate_number": "Enter the 12-digit certificate number"})
    if issue_date > timezone.localdate():
        raise ValidationError({"issue_date": "The date of issue must be today or in the past"})
    if organisation is not None and organisation.kind not in ASSURABLE_KINDS:
        raise ValueError("DBS checks are held by a provider or broker organisation, or a personal assistant")
    check = DBSCheck(
        pa_profile=pa_profile,
        organisation=organisation,
        person_name=person_name.strip(),
        level=level,
        certificate_number=number,
        certificate_last4=number[-4:],
        issue_date=issue_date,
        update_service=update_service,
        submitted_by=actor,
    )
    check.full_clean()
    check.save()
    audit_record(
        actor=actor,
        action="qa.dbs_submitted",
        target=check,
        council=home_council(pa_profile=pa_profile, organisation=organisation),
        summary=f"{check.scheme} check {check.masked_number} sent for checking",
        data={"level": level, "update_service": update_service},
    )
    return check


@transaction.atomic
def dbs_check_verify(
    *, check: DBSCheck, officer: User, council: Organisation, original_seen_on: datetime.date
) -> DBSCheck:
    """Accept the check after seeing the original certificate; it is current by this council's policy."""
    check = _check_locked_waiting(check)
    _seen_date_check(original_seen_on, check.issue_date)
    now = timezone.now()
    check.original_seen_by, check.original_seen_on = officer, original_seen_on
    check.verification, check.refusal = Verification.VERIFIED, ""
    check.verified_by_council, check.verified_at = council, now
    check.current_until = dbs_current_until(check, qa_policy_for(council), verified_on=timezone.localdate(now))
    check.full_clean()
    check.save()
    _dbs_listing_refresh(check)
    audit_record(
        actor=officer,
        action="qa.dbs_verified",
        target=check,
        council=council,
        summary=f"{check.scheme} check {check.masked_number} verified, current until {check.current_until:%d %B %Y}",
        data={"level": check.level, "current_until": check.current_until.isoformat()},
    )
    submitter_tell(
        check,
        subject=f"Your {check.scheme} check ending {check.certificate_last4} has been verified",
        body=(
            f"{council} has checked {check.person_name}'s {check.scheme} certificate {check.masked_number}. "
            f"It counts as current until {long_date(check.current_until)}."
        ),
    )
    return check


@transaction.atomic
def dbs_check_refuse(
    *,
    check: DBSCheck,
    officer: User,
    council: Organisation,
    refusal: str,
    original_seen_on: datetime.date | None = None,
) -> DBSCheck:
    """Refuse with one of the fixed reasons: no words about a person's record are ever stored."""
    if refusal not in DBSRefusal.values:
        raise ValidationError({"refusal": "Choose why the check cannot be accepted"})
    check = _check_locked_waiting(check)
    if original_seen_on is not None:
        _seen_date_check(original_seen_on, check.issue_date)
        check.original_seen_by, check.original_seen_on = officer, original_seen_on
    check.verification, check.refusal = Verification.REFUSED, refusal
    check.full_clean()
    check.save()
    audit_record(
        actor=officer,
        action="qa.dbs_refused",
        target=check,
        council=council,
        summary=f"{check.scheme} check {check.masked_number} not accepted",
        data={"refusal": refusal},
    )
    submitter_tell(
        check,
        subject=f"Your {check.scheme} check ending {check.certificate_last4} was not accepted",
        body=f"{council} could not accept {check.person_name}'s certificate {check.masked_number}: "
        f"{DBSRefusal(refusal).label.lower()}. You can send the check again with the right details.",
    )
    return check


@transaction.atomic
def dbs_status_check_record(
    *, check: DBSCheck, officer: User, council: Organisation, checked_on: datetime.date, result: str
) -> DBSCheck:
    """Record an Update Service status check. "Current" keeps the check current for another period by
    this council's policy; "new information" ends it at once (yesterday) and refuses it."""
    check = DBSCheck.objects.select_for_update().get(pk=check.pk)
    if not check.update_service:
        raise ProvidersError("This certificate is not on the DBS Update Service, so it cannot be status checked")
    if check.verification != Verification.VERIFIED:
        raise ProvidersError("Only a verified check can be status checked: verify it first")
    today = timezone.localdate()
    if checked_on > today or checked_on < check.issue_date:
        raise ValidationError({"checked_on": "The status check date must be between the date of issue and today"})
    if result not in StatusCheckResult.values:
        raise ValidationError({"result": "Choose what the status check showed"})
    check.last_status_check_on, check.last_status_check_result = checked_on, result
    if result == StatusCheckResult.CURRENT:
        check.verified_by_council, check.verified_at = council, timezone.now()
        check.current_until = dbs_current_until(check, qa_policy_for(council), verified_on=checked_on)
    else:
        check.current_until = today - datetime.timedelta(days=1)
        check.verification, check.refusal = Verification.REFUSED, DBSRefusal.STATUS_CHANGED
    check.full_clean()
    check.save()
    _dbs_listing_refresh(check)
    audit_record(
        actor=officer,
        action="qa.dbs_status_checked",
        target=check,
        council=council,
        summary=f"Update Service status check of {check.masked_number}: {StatusCheckResult(result).label}",
        data={"result": result, "checked_on": checked_on.isoformat(), "current_until": check.current_until.isoformat()},
    )
    if result == StatusCheckResult.NEW_INFORMATION:
        submitter_tell(
            check,
            subject=f"A new {check.scheme} check is needed for the certificate ending {check.certificate_last4}",
            body=f"A DBS Update Service status check by {council} shows that {check.person_name}'s certificate "
            f"{check.masked_number} is no longer current. Send a new check to be assured again.",
        )
    return check


@transaction.atomic
def dbs_number_reveal(*, check: DBSCheck, officer: User, council: Organisation) -> str:
    """The full certificate number, for an Update Service status check. Every reveal is logged."""
    if not check.update_service:
        raise ProvidersError("The full number is shown only to make a DBS Update Service status check")
    DBSNumberReveal.objects.create(dbs_check=check, revealed_to=officer, council=council)
    audit_record(
        actor=officer,
        action="qa.dbs_number_revealed",
        target=check,
        council=council,
        summary=f"Full certificate number shown for {check.masked_number} to make a status check",
    )
    return DBSCheck.objects.get(pk=check.pk).certificate_number


def _check_locked_waiting(check: DBSCheck) -> DBSCheck:
    # Locked, so that two officers deciding at once cannot both act: the second finds it decided.
    locked = DBSCheck.objects.select_for_update().get(pk=check.pk)
    if locked.verification != Verification.SUBMITTED:
        raise ProvidersError("This check has already been decided")
    return locked


def _seen_date_check(seen_on: datetime.date, issued_on: datetime.date) -> None:
    if seen_on > timezone.localdate() or seen_on < issued_on:
        raise ValidationError({"original_seen_on": "The date you saw the original must be between its issue and today"})


def _dbs_listing_refresh(check: DBSCheck) -> None:
    if check.pa_profile_id:
        listing_assurance_refresh(pa_profile=check.pa_profile)
