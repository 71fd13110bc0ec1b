"""The package builder: weekly times, clashes, gaps and hours that do not match, cost against the budget per
stream, who may change the package, and the caseload's "what needs doing".

Tom's mother gave Bea (a broker) access to act for him; Rob (another broker) may only read his record;
Ned has never been given access. Alice is Tom's lead professional (from ``case``).
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal as D
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEvent
from accounts.roles import OrganisationKind, Role
from accounts.tests.factories import OrganisationFactory, user_with_role
from brokerage import ledger
from brokerage.models import AccessGrant, LineFrequency, Outcome, PlanLine, PlanLineSlot, PlanStatus, SupportPlan
from brokerage.selectors.packages import (
    caseload_tasks,
    outcome_gaps,
    package_for,
    slot_clashes,
    times_mismatch,
)
from brokerage.services.consent import access_grant
from brokerage.services.packages import SlotTimes, package_line_add, slot_add, slot_change, slot_remove
from brokerage.services.plans import allocation_add, budget_create, plan_create, plan_outcome_add
from brokerage.tests.factories import FundingStreamFactory
from brokerage.tests.test_views_people import case  # noqa: F401  (the fixture)
from providers.models import ProfileStatus
from providers.tests.factories import PersonalAssistantProfileFactory, ProviderProfileFactory, published_offer

pytestmark = pytest.mark.django_db

T = datetime.time


def slot(weekday: int, starts: str, ends: str) -> SimpleNamespace:
    return SimpleNamespace(weekday=weekday, starts_at=T.fromisoformat(starts), ends_at=T.fromisoformat(ends))


# --- Timetable arithmetic on hand-built data -------------------------------------------------------------


def test_times_on_the_same_day_that_overlap_clash():
    monday_tea = slot(0, "15:00", "17:00")
    monday_swim = slot(0, "16:30", "17:30")
    assert slot_clashes([monday_swim, monday_tea]) == [(monday_tea, monday_swim)]


def test_times_that_only_touch_or_fall_on_other_days_do_not_clash():
    assert slot_clashes([slot(0, "15:00", "16:00"), slot(0, "16:00", "17:00"), slot(1, "15:30", "16:30")]) == []


def test_a_long_time_clashes_with_each_later_time_it_covers():
    long_day = slot(5, "09:00", "17:00")
    morning, afternoon = slot(5, "10:00", "11:00"), slot(5, "14:00", "15:00")
    assert slot_clashes([long_day, morning, afternoon]) == [(long_day, morning), (long_day, afternoon)]


def _line(unit: str, quantity: str, frequency: str = LineFrequency.WEEKLY) -> PlanLine:
    return PlanLine(description="PA support", unit=unit, quantity=D(quantity), frequency=frequency)


def test_hours_booked_in_the_week_that_differ_from_the_plan_are_flagged():
    mismatch = times_mismatch(_line("hour", "6"), [slot(0, "15:00", "17:00"), slot(2, "15:00", "17:30")])
    assert mismatch is not None
    assert (mismatch.planned, mismatch.booked) == (D("6"), D("4.50"))
    assert "6 hours a week in the plan, 4.5 in the timetable" in mismatch.text


def test_hours_that_add_up_are_not_flagged():
    assert times_mismatch(_line("hour", "4.5"), [slot(0, "15:00", "17:00"), slot(2, "15:00", "17:30")]) is None


def test_sessions_are_counted_by_the_number_of_times():
    assert times_mismatch(_line("session", "2"), [slot(0, "15:00", "17:00")]).booked == D("1")
    assert times_mismatch(_line("session", "1"), [slot(0, "15:00", "17:00")]) is None


def test_a_line_without_times_or_not_weekly_is_not_a_mismatch():
    assert times_mismatch(_line("hour", "6"), []) is None
    assert times_mismatch(_line("hour", "6", LineFrequency.ONE_OFF), [slot(0, "10:00", "11:00")]) is None


def test_an_outcome_no_running_line_works_towards_is_a_gap():
    friends, school = Outcome(pk=1, description="Friends"), Outcome(pk=2, description="School")
    stopped = PlanLine(outcome_id=2, stopped_on=datetime.date(2026, 5, 1))
    assert outcome_gaps([friends, school], [PlanLine(outcome_id=1), stopped]) == [school]


# --- Building a package ----------------------------------------------------------------------------------


@dataclass
class Built:
    case: object
    plan: SupportPlan
    outcome: Outcome
    other_outcome: Outcome
    stream: object
    club: object
    pa: object
    bea: object
    rob: object
    ned: object

    def url(self, name: str, *args) -> str:  # type: ignore[no-untyped-def]
        return reverse(name, args=[self.plan.public_id, *args])


def listing(**content):  # type: ignore[no-untyped-def]
    """A published offer of a published provider (what the directory shows)."""
    profile = ProviderProfileFactory(status=ProfileStatus.PUBLISHED)
    return published_offer(organisation=profile.organisation, **content)


def pa_listing(**content):  # type: ignore[no-untyped-def]
    profile = PersonalAssistantProfileFactory(status=ProfileStatus.PUBLISHED)
    return published_offer(personal_assistant=profile, **content)


def broker_in(council, **names):  # type: ignore[no-untyped-def]
    return user_with_role(Role.BROKER, OrganisationFactory(kind=OrganisationKind.BROKER, council=council), **names)


@pytest.fixture
def built(case):  # noqa: F811
    """Tom's draft plan with two outcomes and £3,000 of early help; a club and a PA on the directory."""
    stream = FundingStreamFactory(council=case.council)
    ledger.stream_fund(stream=stream, amount=D("50000.00"), key="fund")
    budget = budget_create(
        person=case.person,
        actor=case.alice,
        financial_year=2026,
        starts_on=datetime.date(2026, 4, 1),
        ends_on=datetime.date(2027, 3, 31),
    )
    allocation_add(budget=budget, actor=case.alice, stream=stream, held_as="council_managed", amount=D("3000.00"))
    plan = plan_create(budget=budget, actor=case.alice, family_own_support="Grandad takes him swimming")
    outcome = plan_outcome_add(
        plan=plan, actor=case.alice, domain="social_participation", description="Tom sees friends", baseline_score=3
    )
    other = plan_outcome_add(
        plan=plan, actor=case.alice, domain="be_healthy", description="Tom sleeps well", baseline_score=4
    )
    bea, rob = broker_in(case.council, first_name="Bea"), broker_in(case.council, first_name="Rob")
    access_grant(
        person=case.person,
        grantee=bea,
        consent_from=case.mother,
        recorded_by=case.mother,
        scope="act",
        spending_limit=D("2000.00"),
    )
    access_grant(person=case.person, grantee=rob, consent_from=case.mother, recorded_by=case.mother, scope="read")
    club = listing(name="Saturday club", cost_options=[{"amount": D("20.00"), "unit": "session"}])
    pa = pa_listing(name="PA support at home", cost_options=[{"amount": D("13.50"), "unit": "hour"}])
    return Built(case, plan, outcome, other, stream, club, pa, bea, rob, broker_in(case.council))


def _add(built: Built, offer, quantity: str, weeks: int, slots: list[SlotTimes], outcome=None):  # type: ignore[no-untyped-def]
    return package_line_add(
        plan=built.plan,
        actor=built.bea,
        offer=offer,
        cost_option=offer.live_version.cost_options.get(),
        stream=built.stream,
        outcome=outcome or built.outcome,
        quantity=D(quantity),
        weeks=weeks,
        slots=slots,
    )


def test_adding_an_offer_makes_a_weekly_line_priced_from_the_offer_with_its_times(built):
    line, check = _add(built, built.pa, "4", 30, [SlotTimes(0, T(15), T(17)), SlotTimes(2, T(15), T(17))])
    assert (line.unit, line.unit_cost, line.frequency, line.periods) == ("hour", D("13.50"), "weekly", 30)
    assert line.offer == built.pa and line.is_pa_wage and line.supplier_name
    assert line.total == D("1620.00")
    assert [str(s) for s in line.slots.all()] == ["Monday 15:00 to 17:00", "Wednesday 15:00 to 17:00"]
    assert AuditEvent.objects.filter(action="plan.line_added").exists()


def test_a_pa_paid_below_the_national_living_wage_is_warned_about(built):
    cheap = pa_listing(name="Cheap PA", cost_options=[{"amount": D("11.00"), "unit": "hour"}])
    _, check = _add(built, cheap, "2", 10, [])
    assert any("National Living Wage" in warning for warning in check.warnings)


def test_the_package_shows_the_week_clashes_gaps_and_cost_per_stream_from_the_plan_sheet(built):
    _add(built, built.club, "1", 20, [SlotTimes(5, T(10), T(13))])
    _add(built, built.pa, "3", 20, [SlotTimes(5, T(12), T(14))])
    package = package_for(built.plan)
    saturday = package.days[5]
    assert [entry.line.description for entry in saturday.entries] == ["Saturday club", "PA support at home"]
    assert len(package.clashes) == 1
    assert package.gaps == [built.other_outcome]
    assert [m.line.description for m in package.mismatches] == ["PA support at home"]  # 3 hours paid, 2 booked
    (totals,) = package.sheet.streams
    assert totals.weekly == D("60.50")  # 1 × £20 + 3 × £13.50
    assert totals.period == D("1210.00")
    assert totals.allocated == D("3000.00")
    assert package.sheet.total == D("1210.00")


def test_more_than_the_stream_has_left_is_shown_short(built):
    _add(built, built.pa, "10", 30, [])  # £4,050
    (totals,) = package_for(built.plan).sheet.streams
    assert totals.short_by == D("1050.00")


def test_the_same_pa_booked_at_an_overlapping_time_in_another_live_plan_is_flagged(built, case):  # noqa: F811
    _add(built, built.pa, "2", 10, [SlotTimes(1, T(16), T(18))])
    other_person_plan = _other_live_plan(built, case)
    other_line = PlanLine.objects.create(
        plan=other_person_plan,
        offer=built.pa,
        category=built.pa.live_version.categories.first(),
        description="PA",
        stream=built.stream,
        quantity=D("2"),
        unit="hour",
        unit_cost=D("13.50"),
        frequency="weekly",
        periods=10,
    )
    PlanLineSlot.objects.create(line=other_line, weekday=1, starts_at=T(17), ends_at=T(19))
    (booking,) = package_for(built.plan).booked_elsewhere
    assert "already booked Tuesday 17:00 to 19:00" in booking.text


def _other_live_plan(built: Built, case) -> SupportPlan:  # type: ignore[no-untyped-def]  # noqa: F811
    from brokerage.tests.factories import BudgetFactory, PersonSupportedFactory

    person = PersonSupportedFactory(council=case.council, first_name="Amy")
    budget = BudgetFactory(person=person)
    return SupportPlan.objects.create(person=person, budget=budget, status=PlanStatus.ACTIVE)


def test_times_are_changed_and_removed_and_a_time_must_end_after_it_starts(built):
    line, _ = _add(built, built.club, "1", 10, [])
    added = slot_add(line=line, actor=built.bea, times=SlotTimes(3, T(9), T(10)))
    slot_change(slot=added, actor=built.bea, times=SlotTimes(4, T(9), T(11)))
    assert str(line.slots.get()) == "Friday 09:00 to 11:00"
    with pytest.raises(ValidationError):
        slot_add(line=line, actor=built.bea, times=SlotTimes(3, T(11), T(10)))
    slot_remove(slot=line.slots.get(), actor=built.bea)
    assert not line.slots.exists()


def test_a_change_to_a_plan_sent_to_the_family_takes_it_back_to_be_sent_again(built):
    line, _ = _add(built, built.club, "1", 10, [])
    SupportPlan.objects.filter(pk=built.plan.pk).update(sent_to_family_at=timezone.now())
    built.plan.refresh_from_db()
    slot_add(line=line, actor=built.bea, times=SlotTimes(3, T(9), T(10)))
    built.plan.refresh_from_db()
    assert built.plan.sent_to_family_at is None


def test_only_a_draft_plan_can_have_times_added(built):
    line, _ = _add(built, built.club, "1", 10, [])
    SupportPlan.objects.filter(pk=built.plan.pk).update(status=PlanStatus.AGREED)
    line.plan.refresh_from_db()
    with pytest.raises(ValidationError):
        slot_add(line=line, actor=built.bea, times=SlotTimes(3, T(9), T(10)))


# --- Through the screens, and who may --------------------------------------------------------------------


def _post_add(client, built: Built, offer, **overrides):  # type: ignore[no-untyped-def]
    data = {
        "cost_option": offer.live_version.cost_options.get().pk,
        "quantity": "2",
        "weeks": "20",
        "outcome": built.outcome.pk,
        "stream": built.stream.pk,
        "weekday": "0",
        "starts_at": "15:00",
        "ends_at": "17:00",
        **overrides,
    }
    return client.post(built.url("marketplace:package-add") + f"?offer={offer.public_id}", data)


def test_a_broker_with_authority_adds_an_offer_to_the_package_through_the_page(client, built):
    client.force_login(built.bea)
    assert client.get(built.url("marketplace:package-add") + f"?offer={built.pa.public_id}").status_code == 200
    response = _post_add(client, built, built.pa)
    assert response.status_code == 302
    line = built.plan.lines.get()
    assert line.slots.count() == 1
    page = client.get(built.url("marketplace:package")).content.decode()
    assert "PA support at home" in page and "Monday" in page and "Send to the family to agree" in page


def test_a_time_that_ends_before_it_starts_re_displays_the_form_with_an_error(client, built):
    client.force_login(built.bea)
    response = _post_add(client, built, built.club, starts_at="17:00", ends_at="15:00")
    assert response.status_code == 200
    assert "<title>Error: " in response.content.decode()
    assert not built.plan.lines.exists()


def test_a_read_only_grant_sees_the_package_but_may_not_change_it(client, built, access):
    line, _ = _add(built, built.club, "1", 10, [SlotTimes(0, T(9), T(10))])
    slot_id = line.slots.get().pk
    client.force_login(built.rob)
    page = client.get(built.url("marketplace:package"))
    assert page.status_code == 200 and "Send to the family" not in page.content.decode()
    access.forbidden(built.rob, built.url("marketplace:package-add") + f"?offer={built.club.public_id}")
    access.forbidden(built.rob, built.url("brokerage:package-slot-add", line.public_id))
    access.forbidden(built.rob, built.url("brokerage:package-slot-change", line.public_id, slot_id))
    access.forbidden(built.rob, built.url("brokerage:package-line-change", line.public_id))
    access.forbidden(built.rob, built.url("brokerage:package-line-remove", line.public_id), method="post")
    access.forbidden(built.rob, built.url("brokerage:plan-send-to-family"), method="post")


def test_another_broker_gets_404_and_a_provider_403(built, access):
    line, _ = _add(built, built.club, "1", 10, [])
    provider = user_with_role(Role.PROVIDER_STAFF)
    for url in (built.url("marketplace:package"), built.url("brokerage:package-slot-add", line.public_id)):
        access.not_found(built.ned, url)
        access.forbidden(provider, url)
    access.not_found(built.ned, built.url("brokerage:plan-send-to-family"), method="post")
    access.sign_in_required(built.url("marketplace:package"))


def test_a_revoked_or_expired_grant_loses_the_package_at_once(built, access):
    grant = AccessGrant.objects.get(grantee=built.bea)
    access.ok(built.bea, built.url("marketplace:package"))
    AccessGrant.objects.filter(pk=grant.pk).update(until=timezone.localdate() - datetime.timedelta(days=1))
    access.not_found(built.bea, built.url("marketplace:package"))
    AccessGrant.objects.filter(pk=grant.pk).update(until=None, revoked_at=timezone.now())
    access.not_found(built.bea, built.url("marketplace:package"))


def test_times_and_lines_are_changed_and_removed_through_the_pages(client, built):
    line, _ = _add(built, built.club, "1", 10, [SlotTimes(0, T(9), T(10))])
    slot_id = line.slots.get().pk
    client.force_login(built.bea)
    client.post(
        built.url("brokerage:package-slot-change", line.public_id, slot_id),
        {"weekday": "6", "starts_at": "11:00", "ends_at": "12:30"},
    )
    assert str(line.slots.get()) == "Sunday 11:00 to 12:30"
    client.post(built.url("brokerage:package-slot-add", line.public_id), {"weekday": "2", "starts_at": "9:00"})
    assert line.slots.count() == 1  # the end time was missing
    client.post(
        built.url("brokerage:package-line-change", line.public_id),
        {"quantity": "2", "weeks": "12", "outcome": built.other_outcome.pk},
    )
    line.refresh_from_db()
    assert (line.quantity, line.periods, line.outcome) == (D("2"), 12, built.other_outcome)
    client.post(built.url("brokerage:package-slot-remove", line.public_id, slot_id))
    assert not line.slots.exists()
    client.post(built.url("brokerage:package-line-remove", line.public_id))
    assert not built.plan.lines.exists()


# --- The caseload: what needs doing ----------------------------------------------------------------------


def test_the_caseload_says_what_needs_doing_for_each_person(client, built):
    _add(built, built.club, "1", 10, [])
    today = timezone.localdate()
    AccessGrant.objects.filter(grantee=built.bea).update(until=today + datetime.timedelta(days=10))
    client.force_login(built.bea)
    page = client.get(reverse("brokerage:caseload")).content.decode()
    assert "Plan draft not yet sent to the family" in page
    assert "Your access ends on" in page
    csv = client.get(reverse("brokerage:caseload-export")).content.decode()
    assert "What needs doing" in csv and "Plan draft not yet sent to the family" in csv


def test_each_kind_of_task_is_found(built):
    today = timezone.localdate()
    plan, person = built.plan, built.case.person
    SupportPlan.objects.filter(pk=plan.pk).update(family_changes_asked="Fewer hours on Monday")
    tasks = caseload_tasks(user=built.bea, people=[person], day=today)[person.pk]
    assert [task.text for task in tasks] == ["The family asked for changes to the plan"]
    SupportPlan.objects.filter(pk=plan.pk).update(status=PlanStatus.SUBMITTED, family_changes_asked="")
    assert caseload_tasks(user=built.bea, people=[person], day=today)[person.pk][0].text == "Plan waiting for approval"
    SupportPlan.objects.filter(pk=plan.pk).update(status=PlanStatus.ACTIVE)
    plan.reviews.create(due_on=today + datetime.timedelta(days=7))
    assert caseload_tasks(user=built.bea, people=[person], day=today)[person.pk][0].text.startswith("Review due")


def test_a_grant_that_lasts_beyond_two_weeks_is_not_flagged_as_ending(built):
    today = timezone.localdate()
    person = built.case.person
    AccessGrant.objects.filter(grantee=built.bea).update(until=today + datetime.timedelta(days=10))
    access_grant(
        person=person, grantee=built.bea, consent_from=built.case.mother, recorded_by=built.case.mother, scope="read"
    )
    tasks = caseload_tasks(user=built.bea, people=[person], day=today)[person.pk]
    assert not [task for task in tasks if task.text.startswith("Your access")]


def _child(case, number: int) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    from brokerage.models import ConsentHolder
    from brokerage.services.people import Contact, person_create

    person_create(
        actor=case.alice,
        council=case.council,
        first_name=f"Child{number}",
        last_name="Smith",
        date_of_birth=datetime.date(2015, 1, 1),
        holder=Contact(f"parent{number}@example.org", "Pat", "Smith"),
        relationship=ConsentHolder.Relationship.PARENT,
    )


def test_the_caseload_reads_what_needs_doing_in_a_fixed_number_of_queries(
    client,
    built,
    case,  # noqa: F811
    django_assert_max_num_queries,
):
    """However many people are on the caseload, the page makes the same number of queries."""
    _add(built, built.club, "1", 10, [])
    _child(case, 0)
    client.force_login(case.alice)
    client.get(reverse("brokerage:caseload"))  # the session and per-user caches warmed
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("brokerage:caseload"))
    for number in range(1, 7):
        _child(case, number)
    with django_assert_max_num_queries(len(few)):
        response = client.get(reverse("brokerage:caseload"))
    assert response.content.decode().count("Smith") >= 7
    assert "Plan draft not yet sent to the family" in response.content.decode()
