"""DBS checks: what a provider sends, how an officer verifies or refuses it, how long it is current by the
verifying council's policy, Update Service status checks, and what the PA's listing shows."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from accounts.models import AuditEvent, Notification
from providers import changes
from providers.exceptions import ProvidersError
from providers.models import DBSLevel, DBSRefusal, StatusCheckResult, Verification
from providers.services.qa import (
    add_months,
    dbs_check_refuse,
    dbs_check_verify,
    dbs_status_check_record,
    qa_policy_for,
    qa_policy_update,
)
from providers.tests import qa_factories as qa
from providers.tests.factories import published_offer

pytestmark = pytest.mark.django_db

MARCH_3_2026 = datetime.date(2026, 3, 3)


@pytest.fixture
def today(time_machine) -> datetime.date:  # type: ignore[no-untyped-def]
    time_machine.move_to(datetime.datetime(2026, 3, 3, 12, tzinfo=datetime.UTC), tick=False)
    return MARCH_3_2026


@pytest.fixture
def coventry():  # type: ignore[no-untyped-def]
    return qa.council("Coventry City Council")


@pytest.fixture
def alice(coventry):  # type: ignore[no-untyped-def]
    """Coventry's quality-assurance officer."""
    return qa.qa_officer(coventry, first_name="Alice", last_name="Officer")


@pytest.fixture
def sam(coventry):  # type: ignore[no-untyped-def]
    """A personal assistant registered with Coventry."""
    return qa.personal_assistant(of_council=coventry)


# --- Sending a check --------------------------------------------------------------------------------


def test_a_submitted_check_keeps_only_the_last_four_digits_for_display(sam):
    check = qa.dbs_check(pa_profile=sam, number="0012 3456 7890")

    check.refresh_from_db()
    assert check.certificate_number == "001234567890"
    assert check.certificate_last4 == "7890"
    assert check.masked_number == "•••• 7890"
    assert check.verification == Verification.SUBMITTED


@pytest.mark.parametrize("number", ["12345678901", "1234567890123", "12345678901A", ""])
def test_a_certificate_number_that_is_not_twelve_digits_is_refused(sam, number):
    with pytest.raises(ValidationError) as error:
        qa.dbs_check(pa_profile=sam, number=number)

    assert "certificate_number" in error.value.error_dict


def test_a_check_issued_in_the_future_is_refused(sam, today):
    with pytest.raises(ValidationError) as error:
        qa.dbs_check(pa_profile=sam, issue_date=today + datetime.timedelta(days=1))

    assert "issue_date" in error.value.error_dict


def test_a_certificate_issued_before_1_december_2012_is_labelled_crb(sam):
    assert qa.dbs_check(pa_profile=sam, issue_date=datetime.date(2012, 11, 30)).scheme == "CRB"
    assert qa.dbs_check(pa_profile=sam, issue_date=datetime.date(2012, 12, 1)).scheme == "DBS"


# --- Verifying by the council's policy --------------------------------------------------------------


def test_verifying_records_who_saw_the_original_and_dates_the_check_by_the_recheck_period(today, alice, coventry, sam):
    check = qa.dbs_check(pa_profile=sam, issue_date=datetime.date(2025, 3, 3))

    dbs_check_verify(check=check, officer=alice, council=coventry, original_seen_on=today)

    check.refresh_from_db()
    assert check.verification == Verification.VERIFIED
    assert (check.original_seen_by, check.original_seen_on) == (alice, today)
    assert check.verified_by_council == coventry
    # Coventry's default policy: current for 36 months from the date of issue.
    assert check.current_until == datetime.date(2028, 3, 3)


def test_a_council_with_a_shorter_recheck_period_dates_the_check_sooner(today, alice, coventry, sam):
    qa_policy_update(
        council=coventry,
        actor=alice,
        dbs_recheck_months=12,
        update_service_check_months=12,
        framework_needs_own_verification=False,
    )
    check = qa.dbs_check(pa_profile=sam, issue_date=datetime.date(2025, 6, 1))

    dbs_check_verify(check=check, officer=alice, council=coventry, original_seen_on=today)

    check.refresh_from_db()
    assert check.current_until == datetime.date(2026, 6, 1)


def test_a_check_on_the_update_service_is_current_until_the_next_status_check_is_due(today, alice, coventry, sam):
    check = qa.dbs_check(pa_profile=sam, issue_date=datetime.date(2019, 1, 10), update_service=True)

    dbs_check_verify(check=check, officer=alice, council=coventry, original_seen_on=today)

    check.refresh_from_db()
    # No status check recorded yet: counted from the verification, 12 months by default.
    assert check.current_until == datetime.date(2027, 3, 3)


def test_changing_the_policy_redates_the_checks_the_council_verified(today, alice, coventry, sam):
    check = qa.dbs_check(pa_profile=sam, issue_date=datetime.date(2025, 3, 3))
    dbs_check_verify(check=check, officer=alice, council=coventry, original_seen_on=today)

    qa_policy_update(
        council=coventry,
        actor=alice,
        dbs_recheck_months=24,
        update_service_check_months=12,
        framework_needs_own_verification=False,
    )

    check.refresh_from_db()
    sam.refresh_from_db()
    assert check.current_until == datetime.date(2027, 3, 3)
    assert sam.checks_current_until == datetime.date(2027, 3, 3)
    assert AuditEvent.objects.filter(action="qa.policy_changed", council=coventry).exists()


def test_a_policy_is_created_with_the_defaults_on_first_use(coventry):
    policy = qa_policy_for(coventry)

    assert (policy.dbs_recheck_months, policy.update_service_check_months) == (36, 12)
    assert policy.framework_needs_own_verification is False


def test_an_old_crb_certificate_verified_today_is_already_lapsed_under_a_three_year_policy(today, alice, coventry, sam):
    check = qa.dbs_check(pa_profile=sam, issue_date=datetime.date(2011, 5, 1))

    dbs_check_verify(check=check, officer=alice, council=coventry, original_seen_on=today)

    sam.refresh_from_db()
    assert check.scheme == "CRB"
    assert sam.checks_current_until == datetime.date(2014, 5, 1)


def test_the_original_cannot_have_been_seen_before_it_was_issued_or_in_the_future(today, alice, coventry, sam):
    check = qa.dbs_check(pa_profile=sam, issue_date=datetime.date(2025, 3, 3))

    for seen_on in (datetime.date(2025, 3, 2), today + datetime.timedelta(days=1)):
        with pytest.raises(ValidationError):
            dbs_check_verify(check=check, officer=alice, council=coventry, original_seen_on=seen_on)


def test_a_check_already_decided_cannot_be_decided_again(today, alice, coventry, sam):
    check = qa.dbs_check(pa_profile=sam)
    dbs_check_verify(check=check, officer=alice, council=coventry, original_seen_on=today)

    with pytest.raises(ProvidersError):
        dbs_check_refuse(check=check, officer=alice, council=coventry, refusal=DBSRefusal.NAME_MISMATCH)


def test_the_provider_is_told_when_their_check_is_verified(today, alice, coventry, sam):
    check = qa.dbs_check(pa_profile=sam)

    dbs_check_verify(check=check, officer=alice, council=coventry, original_seen_on=today)

    notification = Notification.objects.get(recipient=sam.user)
    assert "verified" in notification.subject
    assert "3 March 2028" in notification.body


def test_a_refusal_takes_one_of_the_fixed_reasons_and_tells_the_provider(today, alice, coventry, sam):
    check = qa.dbs_check(pa_profile=sam)

    dbs_check_refuse(check=check, officer=alice, council=coventry, refusal=DBSRefusal.ORIGINAL_NOT_SEEN)

    check.refresh_from_db()
    assert (check.verification, check.refusal) == (Verification.REFUSED, DBSRefusal.ORIGINAL_NOT_SEEN)
    assert check.current_until is None
    assert "not accepted" in Notification.objects.get(recipient=sam.user).subject
    with pytest.raises(ValidationError):
        dbs_check_refuse(check=qa.dbs_check(pa_profile=sam), officer=alice, council=coventry, refusal="he has a record")


# --- What the PA's listing stores -------------------------------------------------------------------


def test_only_an_enhanced_check_with_the_childrens_barred_list_makes_a_pa_dbs_checked(today, alice, coventry, sam):
    enhanced_only = qa.dbs_check(pa_profile=sam, level=DBSLevel.ENHANCED)
    dbs_check_verify(check=enhanced_only, officer=alice, council=coventry, original_seen_on=today)
    sam.refresh_from_db()
    assert sam.checks_current_until is None

    both_lists = qa.dbs_check(pa_profile=sam, level=DBSLevel.ENHANCED_BOTH)
    both_lists = dbs_check_verify(check=both_lists, officer=alice, council=coventry, original_seen_on=today)
    sam.refresh_from_db()
    assert sam.checks_current_until == both_lists.current_until == datetime.date(2028, 3, 3)
    assert (sam.assured_by_council, sam.assured_on) == (coventry, today)


def test_the_latest_current_check_counts_when_a_pa_has_several(today, alice, coventry, sam):
    older = qa.dbs_check(pa_profile=sam, issue_date=datetime.date(2024, 1, 1))
    newer = qa.dbs_check(pa_profile=sam, issue_date=datetime.date(2025, 9, 1))
    dbs_check_verify(check=newer, officer=alice, council=coventry, original_seen_on=today)
    dbs_check_verify(check=older, officer=alice, council=coventry, original_seen_on=today)

    sam.refresh_from_db()
    assert sam.checks_current_until == datetime.date(2028, 9, 1)


def test_a_check_verified_by_another_council_shows_that_council(today, sam):
    gloucestershire = qa.council("Gloucestershire County Council")
    bob = qa.qa_officer(gloucestershire)
    check = qa.dbs_check(pa_profile=sam)

    dbs_check_verify(check=check, officer=bob, council=gloucestershire, original_seen_on=today)

    sam.refresh_from_db()
    assert sam.assured_by_council == gloucestershire


# --- Update Service status checks -------------------------------------------------------------------


def test_a_current_status_check_extends_the_check_by_the_councils_policy(today, alice, coventry, sam, time_machine):
    check = qa.dbs_check(pa_profile=sam, issue_date=datetime.date(2020, 1, 10), update_service=True)
    dbs_check_verify(check=check, officer=alice, council=coventry, original_seen_on=today)
    time_machine.move_to(datetime.datetime(2027, 2, 20, 12, tzinfo=datetime.UTC), tick=False)

    dbs_status_check_record(
        check=check,
        officer=alice,
        council=coventry,
        checked_on=datetime.date(2027, 2, 19),
        result=StatusCheckResult.CURRENT,
    )

    check.refresh_from_db()
    sam.refresh_from_db()
    assert check.last_status_check_on == datetime.date(2027, 2, 19)
    assert check.current_until == datetime.date(2028, 2, 19)
    assert sam.checks_current_until == datetime.date(2028, 2, 19)


def test_new_information_ends_the_check_yesterday_and_refuses_it(today, alice, coventry, sam):
    check = qa.dbs_check(pa_profile=sam, update_service=True)
    dbs_check_verify(check=check, officer=alice, council=coventry, original_seen_on=today)

    dbs_status_check_record(
        check=check, officer=alice, council=coventry, checked_on=today, result=StatusCheckResult.NEW_INFORMATION
    )

    check.refresh_from_db()
    sam.refresh_from_db()
    assert check.current_until == today - datetime.timedelta(days=1)
    assert (check.verification, check.refusal) == (Verification.REFUSED, DBSRefusal.STATUS_CHANGED)
    assert sam.checks_current_until == today - datetime.timedelta(days=1)


def test_a_check_not_on_the_update_service_cannot_be_status_checked(today, alice, coventry, sam):
    check = qa.dbs_check(pa_profile=sam, update_service=False)
    dbs_check_verify(check=check, officer=alice, council=coventry, original_seen_on=today)

    with pytest.raises(ProvidersError):
        dbs_status_check_record(
            check=check, officer=alice, council=coventry, checked_on=today, result=StatusCheckResult.CURRENT
        )


def test_a_status_check_cannot_be_dated_in_the_future(today, alice, coventry, sam):
    check = qa.dbs_check(pa_profile=sam, update_service=True)
    dbs_check_verify(check=check, officer=alice, council=coventry, original_seen_on=today)

    with pytest.raises(ValidationError):
        dbs_status_check_record(
            check=check,
            officer=alice,
            council=coventry,
            checked_on=today + datetime.timedelta(days=1),
            result=StatusCheckResult.CURRENT,
        )


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (datetime.date(2026, 1, 31), 1, datetime.date(2026, 2, 28)),
        (datetime.date(2024, 2, 29), 12, datetime.date(2025, 2, 28)),
        (datetime.date(2025, 11, 15), 3, datetime.date(2026, 2, 15)),
        (datetime.date(2025, 3, 3), 36, datetime.date(2028, 3, 3)),
    ],
)
def test_months_are_added_to_the_same_day_or_the_end_of_a_shorter_month(start, months, expected):
    assert add_months(start, months) == expected


def test_verifying_tells_search_that_the_pas_offers_changed(
    today, alice, coventry, sam, monkeypatch, django_capture_on_commit_callbacks
):
    offer = published_offer(personal_assistant=sam, actor=sam.user)
    heard: list[list[int]] = []
    monkeypatch.setattr(changes, "listing_listeners", [heard.append])
    check = qa.dbs_check(pa_profile=sam)

    with django_capture_on_commit_callbacks(execute=True):
        dbs_check_verify(check=check, officer=alice, council=coventry, original_seen_on=today)

    assert heard == [[offer.pk]]
