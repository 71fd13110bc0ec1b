"""Lapse warnings, 60 and 30 days before a listing's checks or its insurance lapse, each sent once."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse

from accounts.notifications import notification_send_many
from providers.models import (
    InsurancePolicy,
    LapseWarning,
    PersonalAssistantProfile,
    ProfileStatus,
    ProviderProfile,
    Verification,
)
from providers.services.qa.people import home_council, listing_contacts, long_date, profile_contacts, qa_officers

LAPSE_WARNING_DAYS = (60, 30)


@dataclass
class LapseWarningRun:
    """What one run of the lapse warnings did (or, in a dry run, would do)."""

    listings_warned: int = 0
    policies_warned: int = 0
    already_warned: int = 0


@dataclass(frozen=True)
class LapseDue:
    subject: ProviderProfile | PersonalAssistantProfile | InsurancePolicy
    lapses_on: datetime.date
    days_before: int


def lapse_warnings_due(*, today: datetime.date) -> list[LapseDue]:
    """Listings whose checks, and verified insurance, lapse within 60 days, with the warning due now:
    the 60-day warning up to 31 days before, the 30-day warning from 30 days before to the day itself."""
    horizon = today + datetime.timedelta(days=max(LAPSE_WARNING_DAYS))
    due: list[LapseDue] = []
    for model in (PersonalAssistantProfile, ProviderProfile):
        listings = model.objects.filter(checks_current_until__range=(today, horizon))
        for listing in listings.exclude(status=ProfileStatus.WITHDRAWN):
            due.append(LapseDue(listing, listing.checks_current_until, _days_band(listing.checks_current_until, today)))
    for policy in _insurance_lapsing(today, horizon):
        due.append(LapseDue(policy, policy.expires_on, _days_band(policy.expires_on, today)))
    return due


def _days_band(lapses_on: datetime.date, today: datetime.date) -> int:
    days_left = (lapses_on - today).days
    return min(days for days in LAPSE_WARNING_DAYS if days >= days_left)


def _insurance_lapsing(today: datetime.date, horizon: datetime.date) -> list[InsurancePolicy]:
    policies = InsurancePolicy.objects.filter(verification=Verification.VERIFIED, expires_on__range=(today, horizon))
    lapsing = []
    for policy in policies.select_related("organisation", "pa_profile"):
        # A policy already replaced by a later verified one of the same kind needs no warning.
        owner = Q(organisation=policy.organisation_id) if policy.organisation_id else Q(pa_profile=policy.pa_profile_id)
        later = InsurancePolicy.objects.filter(
            owner, kind=policy.kind, verification=Verification.VERIFIED, expires_on__gt=policy.expires_on
        )
        if not later.exists():
            lapsing.append(policy)
    return lapsing


def lapse_warnings_send(
    *,
    today: datetime.date,
    due: list[LapseDue] | None = None,
    dry_run: bool = False,
    on_each: Callable[[], object] | None = None,
) -> LapseWarningRun:
    """Warn the provider and the councils' QA officers 60 and 30 days before a lapse, once each.

    ``due`` is what ``lapse_warnings_due`` found, when the caller has already looked (to size a progress
    bar). Each warning is claimed by inserting its ``LapseWarning`` row, in the same transaction as its
    notifications, so a re-run (or two runs at once) sends nothing twice.
    """
    run = LapseWarningRun()
    for item in lapse_warnings_due(today=today) if due is None else due:
        if _lapse_warning_exists(item):
            run.already_warned += 1
        elif dry_run or _lapse_warning_send(item, today):
            if isinstance(item.subject, InsurancePolicy):
                run.policies_warned += 1
            else:
                run.listings_warned += 1
        else:
            run.already_warned += 1
        if on_each is not None:
            on_each()
    return run


def _subject_key(subject: ProviderProfile | PersonalAssistantProfile | InsurancePolicy) -> dict[str, object]:
    if isinstance(subject, InsurancePolicy):
        return {"insurance_policy": subject}
    if isinstance(subject, PersonalAssistantProfile):
        return {"pa_profile": subject}
    return {"provider_profile": subject}


def _lapse_warning_exists(item: LapseDue) -> bool:
    return LapseWarning.objects.filter(
        **_subject_key(item.subject), lapses_on=item.lapses_on, days_before=item.days_before
    ).exists()


def _lapse_warning_send(item: LapseDue, today: datetime.date) -> bool:
    try:
        with transaction.atomic():
            LapseWarning.objects.create(
                **_subject_key(item.subject), lapses_on=item.lapses_on, days_before=item.days_before
            )
            _lapse_warning_notify(item, today)
    except IntegrityError:
        # Another run claimed this warning between our check and our insert: it has been sent.
        return False
    return True


def _lapse_warning_notify(item: LapseDue, today: datetime.date) -> None:
    subject = item.subject
    if isinstance(subject, InsurancePolicy):
        what = f"{subject.get_kind_display().lower()} insurance"
        owner = subject.pa_profile.display_name if subject.pa_profile_id else subject.organisation.name
        provider = listing_contacts(organisation=subject.organisation, pa_profile=subject.pa_profile)
        home = home_council(pa_profile=subject.pa_profile, organisation=subject.organisation)
        councils = [home, subject.verified_by_council]
    else:
        is_pa = isinstance(subject, PersonalAssistantProfile)
        what = "DBS check" if is_pa else "safer-recruitment declaration"
        owner = subject.display_name
        provider = profile_contacts(subject)
        councils = [subject.council if is_pa else subject.organisation.council, subject.assured_by_council]
    until = f"{long_date(item.lapses_on)} ({(item.lapses_on - today).days} days from today)"
    notification_send_many(
        recipients=provider,
        subject=f"Your {what} is current only until {long_date(item.lapses_on)}",
        body=f"Your {what} is current until {until}. After that your listing shows it as lapsed. "
        "Send a new one for checking now, so that your listing stays assured.",
        link=reverse("providers:qa-my-checks"),
    )
    notification_send_many(
        recipients=qa_officers(*councils),
        subject=f"The {what} of {owner} is current only until {long_date(item.lapses_on)}",
        body=f"The {what} of {owner} is current until {until}. They have been asked to send a new one.",
        link=reverse("providers:qa-queue"),
    )
