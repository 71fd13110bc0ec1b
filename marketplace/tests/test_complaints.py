"""Complaints, as services: making one, the provider's response, the family's answer, escalation with a frozen
clock, the council's decision, and the commissioner's figures.

Tom's mother Alice holds consent; Sunrise Tutors (staff: Pat) provides his tuition; Queenie is Coventry's
quality-assurance officer. Carl is a family member with no child on this record.
"""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import AuditEvent, Membership, Notification
from accounts.roles import Role
from accounts.tests.factories import CouncilFactory
from marketplace.complaint_selectors import complaint_figures
from marketplace.models import Complaint, ComplaintOutcome, ComplaintStatus
from marketplace.services import complaints as services
from marketplace.services.complaints import Subject
from marketplace.tests.complaint_factories import complaint_made
from marketplace.tests.order_factories import Family, Provider, family, member, provider

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
MONDAY_2_NOVEMBER = datetime.datetime(2026, 11, 2, 10, 0, tzinfo=LONDON)
# 20 working days after Monday 2 November 2026 (no bank holidays in November).
DUE = datetime.date(2026, 11, 30)


def make(tom: Family, seller: Provider, *, now: datetime.datetime = MONDAY_2_NOVEMBER) -> Complaint:
    return complaint_made(tom, seller, now=now)


@pytest.fixture
def tom() -> Family:
    return family(available="0")


@pytest.fixture
def seller() -> Provider:
    return provider()


@pytest.fixture
def queenie(tom: Family):  # type: ignore[no-untyped-def]
    return member(Role.QA_OFFICER, tom.council, first_name="Queenie")


def responded(tom: Family, seller: Provider) -> Complaint:
    return services.complaint_respond(complaint=make(tom, seller), responder=seller.staff, response="Sorry: we will.")


# --- Making a complaint --------------------------------------------------------------------------------


def test_a_complaint_is_due_a_response_twenty_working_days_after_it_is_made(tom, seller):
    complaint = make(tom, seller)

    assert complaint.status == ComplaintStatus.OPEN
    assert complaint.response_due_on == DUE
    assert complaint.provider_organisation == seller.organisation
    assert complaint.council == tom.council


def test_the_provider_is_told_of_a_new_complaint_and_it_is_audited(tom, seller):
    complaint = make(tom, seller)

    notice = Notification.objects.get(recipient=seller.staff)
    assert "complaint" in notice.subject and str(complaint.public_id) in notice.link
    assert AuditEvent.objects.filter(action="complaint.made", target_id=str(complaint.public_id)).exists()


def test_the_response_days_are_a_setting(tom, seller, settings):
    settings.COMPLAINT_RESPONSE_WORKING_DAYS = 5

    assert make(tom, seller).response_due_on == datetime.date(2026, 11, 9)


def test_someone_who_does_not_give_consent_for_the_person_cannot_complain_for_them(tom, seller):
    carl = member(Role.FAMILY_MEMBER, tom.council, first_name="Carl")

    with pytest.raises(ValidationError):
        services.complaint_make(
            made_by=carl,
            membership=Membership.objects.get(user=carl),
            person=tom.person,
            subject=Subject(offer=seller.offer),
            what_happened="x",
            what_they_want="y",
        )


def test_a_practitioner_cannot_make_a_complaint_here(tom, seller):
    with pytest.raises(PermissionDenied):
        services.complaint_make(
            made_by=tom.lead_professional,
            membership=Membership.objects.get(user=tom.lead_professional),
            person=tom.person,
            subject=Subject(offer=seller.offer),
            what_happened="x",
            what_they_want="y",
        )


# --- The provider responds, the family answers ---------------------------------------------------------


def test_the_family_is_told_when_the_provider_responds(tom, seller):
    complaint = responded(tom, seller)

    assert complaint.status == ComplaintStatus.RESPONDED
    assert complaint.responded_by == seller.staff
    assert Notification.objects.filter(recipient=tom.parent, subject__icontains="responded").exists()


def test_another_provider_cannot_respond(tom, seller):
    complaint = make(tom, seller)
    other = provider("Other Tutors")

    with pytest.raises(PermissionDenied):
        services.complaint_respond(complaint=complaint, responder=other.staff, response="Not us")


def test_a_provider_responds_only_once(tom, seller):
    complaint = responded(tom, seller)

    with pytest.raises(ValidationError):
        services.complaint_respond(complaint=complaint, responder=seller.staff, response="Again")


def test_accepting_the_response_resolves_the_complaint(tom, seller):
    complaint = services.complaint_accept(complaint=responded(tom, seller), actor=tom.parent)

    assert complaint.status == ComplaintStatus.RESOLVED
    assert [event.new_status for event in complaint.events.all()] == ["open", "responded", "resolved"]


def test_the_family_cannot_accept_before_the_provider_responds(tom, seller):
    with pytest.raises(ValidationError):
        services.complaint_accept(complaint=make(tom, seller), actor=tom.parent)


def test_asking_the_council_escalates_and_tells_its_officers(tom, seller, queenie):
    complaint = services.complaint_escalate(complaint=responded(tom, seller), actor=tom.parent, reason="Not enough")

    assert complaint.status == ComplaintStatus.ESCALATED
    assert complaint.escalation_reason == "Not enough"
    assert Notification.objects.filter(recipient=queenie, subject__icontains="council").exists()


def test_escalating_needs_a_reason(tom, seller):
    with pytest.raises(ValidationError):
        services.complaint_escalate(complaint=responded(tom, seller), actor=tom.parent, reason="  ")


def test_the_provider_cannot_accept_its_own_response(tom, seller):
    with pytest.raises(PermissionDenied):
        services.complaint_accept(complaint=responded(tom, seller), actor=seller.staff)


# --- Escalation when the provider does not respond, with a frozen clock --------------------------------


def test_a_complaint_is_not_escalated_on_its_response_date(tom, seller):
    make(tom, seller)

    run = services.complaints_escalate_overdue(now=datetime.datetime(2026, 11, 30, 23, 0, tzinfo=LONDON))

    assert run.escalated == 0
    assert Complaint.objects.get().status == ComplaintStatus.OPEN


def test_an_unanswered_complaint_is_escalated_the_day_after_its_response_date(tom, seller, queenie):
    complaint = make(tom, seller)

    run = services.complaints_escalate_overdue(now=datetime.datetime(2026, 12, 1, 6, 0, tzinfo=LONDON))

    complaint.refresh_from_db()
    assert (run.checked, run.escalated) == (1, 1)
    assert complaint.status == ComplaintStatus.ESCALATED
    assert "did not respond by 30 November 2026" in complaint.escalation_reason
    assert complaint.events.last().actor is None
    assert Notification.objects.filter(recipient=queenie).exists()
    assert Notification.objects.filter(recipient=tom.parent, subject__icontains="gone to the council").exists()
    assert AuditEvent.objects.filter(action="complaint.escalated", actor__isnull=True).exists()


def test_escalating_again_changes_nothing(tom, seller):
    make(tom, seller)
    later = datetime.datetime(2026, 12, 1, 6, 0, tzinfo=LONDON)
    services.complaints_escalate_overdue(now=later)

    run = services.complaints_escalate_overdue(now=later)

    assert run.escalated == 0
    assert Complaint.objects.get().events.count() == 2


def test_a_complaint_the_provider_responded_to_is_not_escalated(tom, seller):
    responded(tom, seller)

    run = services.complaints_escalate_overdue(now=datetime.datetime(2027, 1, 4, 6, 0, tzinfo=LONDON))

    assert run.escalated == 0


def test_the_daily_task_escalates_overdue_complaints(tom, seller):
    from marketplace.complaint_tasks import complaints_escalate_overdue_task

    make(tom, seller, now=datetime.datetime(2020, 1, 6, 10, 0, tzinfo=LONDON))

    complaints_escalate_overdue_task.call()

    assert Complaint.objects.get().status == ComplaintStatus.ESCALATED


# --- The council decides -------------------------------------------------------------------------------


def escalated(tom: Family, seller: Provider) -> Complaint:
    return services.complaint_escalate(complaint=responded(tom, seller), actor=tom.parent, reason="Not enough")


def test_the_council_closes_an_escalated_complaint_with_its_outcome(tom, seller, queenie):
    complaint = services.complaint_decide(
        complaint=escalated(tom, seller), officer=queenie, outcome=ComplaintOutcome.PARTLY_UPHELD, decision="Refund"
    )

    assert (complaint.status, complaint.outcome) == (ComplaintStatus.CLOSED, ComplaintOutcome.PARTLY_UPHELD)
    assert Notification.objects.filter(recipient=tom.parent, subject__icontains="decided").exists()
    assert Notification.objects.filter(recipient=seller.staff, subject__icontains="decided").exists()


def test_the_council_decides_only_escalated_complaints(tom, seller, queenie):
    with pytest.raises(ValidationError):
        services.complaint_decide(
            complaint=responded(tom, seller), officer=queenie, outcome=ComplaintOutcome.UPHELD, decision="x"
        )


def test_an_officer_of_another_council_cannot_decide(tom, seller):
    elsewhere = member(
        Role.QA_OFFICER, family(available="0", council=CouncilFactory(name="Warwickshire County Council")).council
    )

    with pytest.raises(PermissionDenied):
        services.complaint_decide(
            complaint=escalated(tom, seller), officer=elsewhere, outcome=ComplaintOutcome.UPHELD, decision="x"
        )


def test_a_closed_complaint_cannot_move_again(tom, seller, queenie):
    complaint = services.complaint_decide(
        complaint=escalated(tom, seller), officer=queenie, outcome=ComplaintOutcome.UPHELD, decision="Refund"
    )

    with pytest.raises(ValidationError):
        services.complaint_accept(complaint=complaint, actor=tom.parent)


# --- The commissioner's figures ------------------------------------------------------------------------


def test_figures_count_each_providers_complaints_by_how_they_ended(tom, seller, queenie):
    services.complaint_decide(
        complaint=escalated(tom, seller), officer=queenie, outcome=ComplaintOutcome.UPHELD, decision="Yes"
    )
    services.complaint_decide(
        complaint=escalated(tom, seller), officer=queenie, outcome=ComplaintOutcome.NOT_UPHELD, decision="No"
    )
    services.complaint_accept(complaint=responded(tom, seller), actor=tom.parent)
    other = provider("Other Tutors")
    make(tom, other)

    rows = complaint_figures(council=tom.council, since=datetime.date(2026, 1, 1))

    assert [(row.provider, row.total) for row in rows] == [("Sunrise Tutors", 3), ("Other Tutors", 1)]
    sunrise, other_row = rows
    assert (sunrise.upheld, sunrise.not_upheld, sunrise.resolved, sunrise.undecided) == (1, 1, 1, 0)
    assert sunrise.upheld_percent == 50
    assert other_row.undecided == 1 and other_row.upheld_percent is None


def test_figures_leave_out_other_councils_and_older_complaints(tom, seller):
    make(tom, seller, now=datetime.datetime(2025, 3, 3, 10, 0, tzinfo=LONDON))
    elsewhere = family(available="0", council=CouncilFactory(name="Warwickshire County Council"))
    make(elsewhere, seller)

    assert complaint_figures(council=tom.council, since=datetime.date(2026, 1, 1)) == []
