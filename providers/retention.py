"""Retention of quality-assurance records (see accounts/retention.py and docs/data-protection.md).

A DBS check record holds the certificate's level, its number (encrypted) and who saw the original: never
the certificate, never conviction details. DBS guidance is to keep what a recruitment decision needed for
no longer than six months after the decision; here that is six months after a newer verified check
replaced it, or after the check was refused. The current check stays as long as the listing does.
"""

from datetime import date

from django.db import models
from django.db.models import Exists, OuterRef, Q

from accounts.retention import DELETE, RetentionRule, retention_register, start_of_day
from providers.models import DBSCheck
from providers.models.qa import Verification

DBS_SUPERSEDED_MONTHS = 6


def months_before(day: date, months: int) -> date:
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    for last_day in (day.day, 30, 29, 28):
        try:
            return date(year, month + 1, last_day)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def dbs_checks_superseded_due(today: date) -> models.QuerySet:
    cutoff = start_of_day(months_before(today, DBS_SUPERSEDED_MONTHS))
    newer_verified = DBSCheck.objects.filter(
        verification=Verification.VERIFIED,
        verified_at__lt=cutoff,
        issue_date__gt=OuterRef("issue_date"),
    ).filter(
        Q(pa_profile__isnull=False, pa_profile=OuterRef("pa_profile"))
        | Q(organisation__isnull=False, organisation=OuterRef("organisation"), person_name=OuterRef("person_name"))
    )
    refused_long_ago = Q(verification=Verification.REFUSED, verified_at__lt=cutoff)
    return DBSCheck.objects.filter(Q(Exists(newer_verified)) | refused_long_ago)


retention_register(
    RetentionRule(
        key="providers.dbscheck",
        record_type="DBS check records replaced by a newer check, or refused",
        period=f"{DBS_SUPERSEDED_MONTHS} months after a newer verified check replaced them, or after the refusal",
        reason=(
            "DBS code of practice: keep certificate information no longer than needed for the recruitment "
            "decision, normally six months. Only the level, the encrypted number and who saw the original "
            "are held; the record of who was shown the full number goes with it."
        ),
        action=DELETE,
        due=dbs_checks_superseded_due,
    )
)
