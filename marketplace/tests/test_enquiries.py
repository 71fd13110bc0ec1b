"""Enquiries and messages: sending an enquiry, what the provider sees, the conversation's turns, closing,
the consent holder of a child under 18, reporting a message, attachments, unread counts and the
provider's list of enquiries waiting."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import AuditEvent, Membership, Notification
from accounts.roles import Role
from marketplace import enquiry_selectors as selectors
from marketplace.models import Enquiry, EnquiryStatus, MessageReport
from marketplace.services import enquiries as services
from marketplace.tests import enquiry_factories as make
from providers.models import OfferStatus
from providers.permissions import ProviderContext
from providers.services.offers import offer_set_status
from providers.tests.factories import PersonalAssistantProfileFactory
from search.tests.factories import pa_listing

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def cast() -> make.Cast:
    return make.cast()


def notified(user) -> list[str]:  # type: ignore[no-untyped-def]
    return list(Notification.objects.filter(recipient=user).values_list("subject", flat=True))


def actions(enquiry: Enquiry) -> list[str]:
    return list(
        AuditEvent.objects.filter(target_id=str(enquiry.public_id)).order_by("id").values_list("action", flat=True)
    )


# --- Sending -------------------------------------------------------------------------------------------


def test_an_enquiry_to_a_published_offer_waits_for_the_provider_who_is_told(cast):
    enquiry = make.send(cast.fiona, cast.club, about=cast.tom)

    assert enquiry.status == EnquiryStatus.OPEN
    assert enquiry.provider_organisation == cast.club.organisation
    assert [m.body for m in enquiry.messages.all()] == ["Do you have a place on Saturdays?"]
    assert notified(cast.priya) == ["New enquiry about Saturday club"]
    assert notified(cast.oscar) == []
    assert actions(enquiry) == ["enquiry.sent"]


def test_provider_staff_whose_membership_ended_are_not_told(cast):
    Membership.objects.filter(user=cast.priya).update(is_active=False)

    make.send(cast.fiona, cast.club)

    assert notified(cast.priya) == []


def test_an_enquiry_to_a_personal_assistant_goes_to_them():
    coventry = make.council()
    sam = PersonalAssistantProfileFactory(council=coventry)
    offer = pa_listing(pa=sam, name="Support at home")
    fiona = make.make.family_member(coventry)

    enquiry = make.send(fiona, offer)

    assert enquiry.provider_personal_assistant == sam and enquiry.provider_organisation is None
    assert notified(sam.user) == ["New enquiry about Support at home"]


def test_an_enquiry_about_an_offer_no_longer_published_is_refused(cast):
    offer_set_status(offer=cast.club, new_status=OfferStatus.WITHDRAWN, actor=None, reason="Closed")

    with pytest.raises(ValidationError, match="no longer listed"):
        make.send(cast.fiona, cast.club)


def test_the_provider_gets_only_what_the_family_chose_to_share(cast):
    enquiry = make.send(cast.fiona, cast.club, about=cast.tom, share=("first_name", "age"))

    assert enquiry.shared_first_name == "Tom"
    assert enquiry.shared_age == cast.tom.age_on(timezone.localdate())
    assert enquiry.shared_needs == "" and enquiry.shared_area == ""


def test_needs_and_postcode_area_are_shared_when_chosen(cast):
    enquiry = make.send(cast.fiona, cast.club, about=cast.tom, share=("needs", "area"))

    assert enquiry.shared_first_name == "" and enquiry.shared_age is None
    assert enquiry.shared_needs == "Autism"
    assert enquiry.shared_area == "CV3"


def test_sharing_details_without_saying_who_the_question_is_about_is_refused(cast):
    with pytest.raises(ValidationError) as refused:
        make.send(cast.fiona, cast.club, share=("first_name",))

    assert "share" in refused.value.message_dict


def test_asking_about_someone_whose_records_you_cannot_see_is_refused(cast):
    with pytest.raises(ValidationError) as refused:
        make.send(cast.carl, cast.club, about=cast.tom)

    assert "person" in refused.value.message_dict


def test_a_broker_asks_about_a_child_whose_family_gave_them_access(cast):
    enquiry = make.send(cast.bea, cast.club, about=cast.tom, share=("first_name",))

    assert enquiry.person == cast.tom and enquiry.council == cast.coventry


def test_provider_staff_cannot_send_enquiries(cast):
    with pytest.raises(PermissionDenied):
        make.send(cast.oscar, cast.club)


def test_an_empty_question_is_refused(cast):
    with pytest.raises(ValidationError) as refused:
        make.send(cast.fiona, cast.club, question="   ")

    assert refused.value.message_dict == {"question": ["Enter your question"]}


def test_a_young_persons_enquiry_is_about_their_own_record(cast):
    yasmin, record = make.young_person(cast.coventry, parent=cast.fiona, born=date(2010, 1, 1), first_name="Yasmin")

    enquiry = make.send(yasmin, cast.club)

    assert enquiry.person == record


def test_a_young_person_whose_account_is_not_linked_to_a_record_cannot_send_an_enquiry(cast):
    yusuf = make.member(Role.YOUNG_PERSON, cast.coventry)

    with pytest.raises(ValidationError, match="not linked to your record"):
        make.send(yusuf, cast.club)


# --- The conversation ----------------------------------------------------------------------------------


def test_a_provider_reply_answers_the_enquiry_and_tells_the_enquirer(cast):
    enquiry = make.send(cast.fiona, cast.club)

    make.reply(enquiry, cast.priya)

    enquiry.refresh_from_db()
    assert enquiry.status == EnquiryStatus.ANSWERED
    assert notified(cast.fiona) == ["New message about Saturday club"]


def test_the_enquirers_next_message_makes_it_wait_for_the_provider_again(cast):
    enquiry = make.send(cast.fiona, cast.club)
    make.reply(enquiry, cast.priya)

    make.reply(enquiry, cast.fiona, "Great, can Tom start next week?")

    enquiry.refresh_from_db()
    assert enquiry.status == EnquiryStatus.OPEN
    assert notified(cast.priya) == ["New message about Saturday club", "New enquiry about Saturday club"]
    assert actions(enquiry).count("enquiry.status_changed") == 2
    assert actions(enquiry).count("enquiry.message_posted") == 2


def test_someone_outside_the_conversation_cannot_write_in_it(cast):
    enquiry = make.send(cast.fiona, cast.club)

    with pytest.raises(PermissionDenied):
        make.reply(enquiry, cast.oscar)


def test_either_side_can_close_the_conversation_and_the_other_is_told(cast):
    enquiry = make.send(cast.fiona, cast.club)

    services.enquiry_close(enquiry=enquiry, actor=cast.priya)

    enquiry.refresh_from_db()
    assert enquiry.status == EnquiryStatus.CLOSED
    assert notified(cast.fiona) == ["Enquiry about Saturday club closed"]
    assert "enquiry.status_changed" in actions(enquiry)


def test_a_closed_conversation_takes_no_more_messages_and_cannot_be_closed_again(cast):
    enquiry = make.send(cast.fiona, cast.club)
    services.enquiry_close(enquiry=enquiry, actor=cast.fiona)

    with pytest.raises(ValidationError, match="closed"):
        make.reply(enquiry, cast.priya)
    with pytest.raises(ValidationError, match="already closed"):
        services.enquiry_close(enquiry=enquiry, actor=cast.priya)


# --- A child under 18 ----------------------------------------------------------------------------------


def test_the_consent_holder_can_read_a_conversation_about_their_child_under_18(cast):
    enquiry = make.send(cast.bea, cast.club, about=cast.tom)

    assert selectors.enquiry_is_visible_to(enquiry=enquiry, user=cast.fiona)
    assert selectors.enquiry_side_of(enquiry=enquiry, user=cast.fiona) is None
    assert notified(cast.fiona) == ["New enquiry about Saturday club"]


def test_the_consent_holder_is_told_of_every_message_with_a_child_under_18(cast):
    yasmin, _ = make.young_person(cast.coventry, parent=cast.fiona, born=date(2010, 1, 1), first_name="Yasmin")
    enquiry = make.send(yasmin, cast.club)

    make.reply(enquiry, cast.priya)

    assert notified(cast.fiona) == ["New message about Saturday club", "New enquiry about Saturday club"]
    assert selectors.enquiry_is_visible_to(enquiry=enquiry, user=cast.fiona)


def test_the_consent_holder_is_told_why_they_can_read_it(cast):
    make.send(cast.bea, cast.club, about=cast.tom)

    body = Notification.objects.get(recipient=cast.fiona).body

    assert "about Tom" in body and "because you give consent" in body


def test_the_consent_holder_can_only_read_not_write(cast):
    enquiry = make.send(cast.bea, cast.club, about=cast.tom)

    with pytest.raises(PermissionDenied):
        make.reply(enquiry, cast.fiona)


def test_a_conversation_about_an_adult_is_not_shown_to_their_former_consent_holder(cast):
    adult = make.person(cast.coventry, holder=cast.fiona, born=date(2000, 1, 1), first_name="Ann")
    make.grant(adult, cast.bea)

    enquiry = make.send(cast.bea, cast.club, about=adult)

    assert not selectors.enquiry_is_visible_to(enquiry=enquiry, user=cast.fiona)
    assert notified(cast.fiona) == []


def test_the_under_18_rule_turns_on_the_18th_birthday():
    today = date(2026, 6, 10)
    cutoff = selectors.under_adult_age_cutoff(today)

    assert cutoff == date(2008, 6, 10)
    assert selectors.under_adult_age_cutoff(date(2028, 2, 29)) == date(2010, 3, 1)


def test_a_broker_whose_access_was_withdrawn_no_longer_sees_their_enquiry_about_the_child(cast):
    access = cast.tom.access_grants.get(grantee=cast.bea)
    enquiry = make.send(cast.bea, cast.club, about=cast.tom)

    make.revoke(access)

    assert not selectors.enquiry_is_visible_to(enquiry=enquiry, user=cast.bea)


# --- Reporting a message -------------------------------------------------------------------------------


def test_a_reported_message_goes_to_the_councils_quality_assurance_officers(cast):
    enquiry = make.send(cast.fiona, cast.club)
    message = make.reply(enquiry, cast.priya, "Send me your bank details")

    report = services.message_report(message=message, reporter=cast.fiona, reason="Asks for bank details")

    assert report.council == cast.coventry
    assert notified(cast.queenie) == ["A message has been reported"]
    event = AuditEvent.objects.get(action="enquiry.message_reported")
    assert event.council == cast.coventry and event.reason == "Asks for bank details"


def test_reports_go_to_the_council_administrators_when_there_is_no_officer(cast):
    Membership.objects.filter(user=cast.queenie).update(is_active=False)
    admin = make.member(Role.COUNCIL_ADMIN, cast.coventry)
    enquiry = make.send(cast.fiona, cast.club)

    services.message_report(message=enquiry.messages.get(), reporter=cast.priya, reason="Rude")

    assert notified(admin) == ["A message has been reported"]


def test_the_consent_holder_of_a_child_can_report_a_message(cast):
    enquiry = make.send(cast.bea, cast.club, about=cast.tom)
    message = make.reply(enquiry, cast.priya)

    report = services.message_report(message=message, reporter=cast.fiona, reason="Worrying")

    assert report.reporter == cast.fiona


def test_someone_who_cannot_see_the_conversation_cannot_report_in_it(cast):
    enquiry = make.send(cast.fiona, cast.club)

    with pytest.raises(PermissionDenied):
        services.message_report(message=enquiry.messages.get(), reporter=cast.carl, reason="Spam")


def test_a_message_is_reported_once_per_person_and_not_by_its_sender(cast):
    enquiry = make.send(cast.fiona, cast.club)
    message = make.reply(enquiry, cast.priya)
    services.message_report(message=message, reporter=cast.fiona, reason="Rude")

    with pytest.raises(ValidationError, match="already reported"):
        services.message_report(message=message, reporter=cast.fiona, reason="Rude again")
    with pytest.raises(ValidationError, match="your own message"):
        services.message_report(message=message, reporter=cast.priya, reason="Oops")
    assert MessageReport.objects.count() == 1


def test_a_report_without_a_reason_is_refused(cast):
    enquiry = make.send(cast.fiona, cast.club)

    with pytest.raises(ValidationError) as refused:
        services.message_report(message=enquiry.messages.get(), reporter=cast.priya, reason=" ")

    assert "reason" in refused.value.message_dict


def test_an_officer_records_what_they_did_about_a_report(cast):
    enquiry = make.send(cast.fiona, cast.club)
    report = services.message_report(message=enquiry.messages.get(), reporter=cast.priya, reason="Rude")

    services.message_report_resolve(report=report, officer=cast.queenie, resolution="Spoke to the family")

    report.refresh_from_db()
    assert report.is_resolved and report.resolved_by == cast.queenie
    assert AuditEvent.objects.filter(action="enquiry.report_resolved", actor=cast.queenie).exists()
    with pytest.raises(ValidationError, match="already been dealt with"):
        services.message_report_resolve(report=report, officer=cast.queenie, resolution="Again")


def test_only_the_councils_officers_deal_with_a_report(cast):
    enquiry = make.send(cast.fiona, cast.club)
    report = services.message_report(message=enquiry.messages.get(), reporter=cast.priya, reason="Rude")
    elsewhere = make.member(Role.QA_OFFICER, make.council("Warwickshire County Council"))

    with pytest.raises(PermissionDenied):
        services.message_report_resolve(report=report, officer=elsewhere, resolution="Not mine")


# --- Attachments ---------------------------------------------------------------------------------------


def test_a_pdf_attachment_is_checked_and_stored(cast):
    enquiry = make.send(cast.fiona, cast.club)

    message = services.message_post(
        enquiry=enquiry,
        sender=cast.priya,
        body="Our timetable",
        attachment=SimpleUploadedFile("timetable.pdf", PDF, content_type="application/pdf"),
    )

    assert message.attachment.original_name == "timetable.pdf"
    assert message.attachment.content_type == "application/pdf"


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("timetable.pdf", b"MZ this is a program", "not what its name says"),
        ("setup.exe", b"MZ", "must be a PDF, or a PNG or JPEG image"),
        ("photo.png", b"not a png", "not what its name says"),
        ("empty.pdf", b"", "empty"),
    ],
)
def test_an_attachment_that_fails_the_upload_checks_is_refused(cast, name, content, reason):
    enquiry = make.send(cast.fiona, cast.club)

    with pytest.raises(ValidationError, match=reason) as refused:
        services.message_post(
            enquiry=enquiry, sender=cast.priya, body="See attached", attachment=SimpleUploadedFile(name, content)
        )

    assert "attachment" in refused.value.message_dict
    assert enquiry.messages.count() == 1


# --- Unread counts and the provider's list -------------------------------------------------------------


def test_unread_counts_are_each_readers_own(cast):
    enquiry = make.send(cast.fiona, cast.club)
    make.reply(enquiry, cast.priya, "Yes")
    make.reply(enquiry, cast.priya, "And on Sundays")

    assert selectors.unread_message_count(cast.fiona) == 2
    assert selectors.unread_message_count(cast.priya) == 0  # she read the question when she replied

    services.enquiry_mark_read(enquiry=enquiry, user=cast.fiona)
    make.reply(enquiry, cast.fiona, "Thank you")

    assert selectors.unread_message_count(cast.fiona) == 0
    assert selectors.unread_message_count(cast.priya) == 1


def test_enquiries_waiting_for_the_provider_are_listed_longest_waiting_first_with_their_age(cast):
    older = make.send(cast.fiona, cast.club, question="First")
    Enquiry.objects.filter(pk=older.pk).update(status_changed_at=timezone.now() - timedelta(days=3, hours=1))
    newer = make.send(cast.bea, cast.club, question="Second")
    answered = make.send(cast.carl, cast.club, question="Third")
    make.reply(answered, cast.priya)

    waiting = selectors.enquiries_waiting_for_provider(ProviderContext(organisation=cast.club.organisation))

    assert [(item.enquiry, item.waiting_days, item.is_overdue) for item in waiting] == [
        (older, 3, True),
        (newer, 0, False),
    ]


def test_another_providers_list_does_not_include_these_enquiries(cast):
    make.send(cast.fiona, cast.club)
    other = Membership.objects.get(user=cast.oscar).organisation

    assert selectors.enquiries_waiting_for_provider(ProviderContext(organisation=other)) == []
