"""Lapse warnings: the provider and the councils' QA officers are warned 60 and 30 days before a listing's
checks or its insurance lapse, each warning once however often the daily task runs; a lapsed listing
stays visible, marked as lapsed, and is no longer DBS checked."""

import datetime
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts.models import Notification
from providers.badges import badges_for_profile, is_dbs_checked
from providers.models import InsuranceKind, LapseWarning
from providers.services.qa import (
    dbs_check_verify,
    declaration_decide,
    declaration_submit,
    insurance_decide,
    insurance_submit,
    lapse_warnings_send,
)
from providers.tasks import qa_lapse_warnings_task
from providers.tests import qa_factories as qa

pytestmark = pytest.mark.django_db

# Verified on 1 January 2026; issued 2 May 2023, so current until 2 May 2026 under a 3-year policy.
LAST_DAY = datetime.date(2026, 5, 2)


def _on(time_machine, day: datetime.date) -> datetime.date:  # type: ignore[no-untyped-def]
    time_machine.move_to(datetime.datetime(day.year, day.month, day.day, 7, tzinfo=datetime.UTC), tick=False)
    return day


def _days_before(days: int) -> datetime.date:
    return LAST_DAY - datetime.timedelta(days=days)


@pytest.fixture
def coventry():  # type: ignore[no-untyped-def]
    return qa.council("Coventry City Council")


@pytest.fixture
def alice(coventry):  # type: ignore[no-untyped-def]
    return qa.qa_officer(coventry)


@pytest.fixture
def sam(coventry, alice, time_machine):  # type: ignore[no-untyped-def]
    """A PA registered with Gloucestershire whose check Coventry verified: both councils' officers are told."""
    pa = qa.personal_assistant(of_council=qa.council("Gloucestershire County Council"))
    day = _on(time_machine, datetime.date(2026, 1, 1))
    check = qa.dbs_check(pa_profile=pa, issue_date=datetime.date(2023, 5, 2))
    dbs_check_verify(check=check, officer=alice, council=coventry, original_seen_on=day)
    pa.refresh_from_db()
    return pa


def _warnings_to(user) -> list[str]:  # type: ignore[no-untyped-def]
    return list(Notification.objects.filter(recipient=user).order_by("id").values_list("subject", flat=True))


def test_the_pa_and_both_councils_officers_are_warned_60_days_ahead_once(sam, alice, time_machine):
    gloucester_officer = qa.qa_officer(sam.council)
    Notification.objects.all().delete()
    today = _on(time_machine, _days_before(60))

    first = lapse_warnings_send(today=today)
    again = lapse_warnings_send(today=today)

    assert (first.listings_warned, again.listings_warned, again.already_warned) == (1, 0, 1)
    assert _warnings_to(sam.user) == ["Your DBS check is current only until 2 May 2026"]
    for officer in (alice, gloucester_officer):
        assert _warnings_to(officer) == [f"The DBS check of {sam.display_name} is current only until 2 May 2026"]


def test_the_30_day_warning_follows_and_nothing_is_sent_between_or_after(sam, time_machine):
    Notification.objects.all().delete()
    sent_on = {}
    for days in (61, 60, 45, 31, 30, 10, 0, -1):
        today = _on(time_machine, _days_before(days))
        before = Notification.objects.filter(recipient=sam.user).count()
        lapse_warnings_send(today=today)
        sent_on[days] = Notification.objects.filter(recipient=sam.user).count() - before

    assert sent_on == {61: 0, 60: 1, 45: 0, 31: 0, 30: 1, 10: 0, 0: 0, -1: 0}
    assert set(LapseWarning.objects.values_list("days_before", flat=True)) == {60, 30}


def test_a_listing_first_seen_within_30_days_gets_only_the_30_day_warning(sam, time_machine):
    Notification.objects.all().delete()

    lapse_warnings_send(today=_on(time_machine, _days_before(20)))

    assert list(LapseWarning.objects.values_list("days_before", flat=True)) == [30]
    assert len(_warnings_to(sam.user)) == 1


def test_a_renewed_check_is_warned_about_again_when_its_new_date_comes_near(sam, alice, coventry, time_machine):
    lapse_warnings_send(today=_on(time_machine, _days_before(30)))
    renewed = qa.dbs_check(pa_profile=sam, issue_date=datetime.date(2026, 4, 1))
    dbs_check_verify(check=renewed, officer=alice, council=coventry, original_seen_on=_days_before(30))
    Notification.objects.filter(recipient=sam.user).delete()

    lapse_warnings_send(today=_on(time_machine, datetime.date(2029, 4, 1) - datetime.timedelta(days=60)))

    assert _warnings_to(sam.user) == ["Your DBS check is current only until 1 April 2029"]


def test_a_dry_run_counts_but_sends_and_records_nothing(sam, time_machine):
    Notification.objects.all().delete()

    run = lapse_warnings_send(today=_on(time_machine, _days_before(60)), dry_run=True)

    assert run.listings_warned == 1
    assert not Notification.objects.exists() and not LapseWarning.objects.exists()


def test_the_command_reports_what_it_did_and_the_daily_task_sends_the_same_warnings(sam, time_machine):
    _on(time_machine, _days_before(60))
    dry, real = StringIO(), StringIO()

    call_command("qa_lapse_warnings", "--dry-run", stdout=dry, stderr=StringIO())
    call_command("qa_lapse_warnings", stdout=real, stderr=StringIO())
    result = qa_lapse_warnings_task.call()

    assert "would be sent for 1 listing(s)" in dry.getvalue()
    assert "sent for 1 listing(s)" in real.getvalue()
    assert result == {"listings_warned": 0, "policies_warned": 0, "already_warned": 1}


def test_an_organisations_staff_are_warned_before_its_declaration_lapses(alice, coventry, time_machine):
    acme, staff = qa.provider()
    _on(time_machine, datetime.date(2023, 5, 2))
    declaration = declaration_submit(actor=staff, organisation=acme.organisation, staff_count=5, evidence=qa.pdf())
    declaration_decide(declaration=declaration, officer=alice, council=coventry, accept=True, reason="")
    Notification.objects.all().delete()

    lapse_warnings_send(today=_on(time_machine, _days_before(60)))

    assert _warnings_to(staff) == ["Your safer-recruitment declaration is current only until 2 May 2026"]


def test_verified_insurance_is_warned_about_unless_a_later_policy_replaced_it(alice, coventry, time_machine):
    acme, staff = qa.provider()
    _on(time_machine, datetime.date(2026, 1, 1))

    def insured(until: datetime.date):  # type: ignore[no-untyped-def]
        policy = insurance_submit(
            actor=staff,
            organisation=acme.organisation,
            kind=InsuranceKind.PUBLIC_LIABILITY,
            insurer="Acme Mutual",
            cover_amount=Decimal("5000000"),
            expires_on=until,
            certificate=qa.pdf(),
        )
        return insurance_decide(policy=policy, officer=alice, council=coventry, accept=True, reason="")

    insured(LAST_DAY)
    Notification.objects.all().delete()
    warned = lapse_warnings_send(today=_on(time_machine, _days_before(30)))
    warnings = _warnings_to(staff)
    insured(datetime.date(2027, 5, 2))
    replaced = lapse_warnings_send(today=_on(time_machine, _days_before(29)))

    assert warned.policies_warned == 1
    assert warnings == ["Your public liability insurance is current only until 2 May 2026"]
    assert replaced.policies_warned == 0


# --- A lapsed listing -------------------------------------------------------------------------------


def test_a_lapsed_listing_stays_visible_marked_as_lapsed_and_is_not_dbs_checked(client, sam, time_machine):
    today = _on(time_machine, LAST_DAY + datetime.timedelta(days=1))

    page = client.get(reverse("providers:public-personal-assistant", args=[sam.public_id]))

    assert page.status_code == 200
    assert not is_dbs_checked(sam, today)
    labels = [badge.label for badge in badges_for_profile(sam, today)]
    assert labels == ["DBS check lapsed on 3 May 2026"]
    assert "DBS check lapsed on 3 May 2026" in page.content.decode()


def test_the_last_day_still_counts(sam, time_machine):
    today = _on(time_machine, LAST_DAY)

    assert is_dbs_checked(sam, today)
