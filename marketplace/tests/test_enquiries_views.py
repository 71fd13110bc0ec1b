"""The enquiry pages: the form and its error summary, the conversation as each side sees it, replies with
files, reporting, the provider's list and its CSV, the dashboard panel, the officers' reports and the
"Ask the provider" links."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from accounts.models import Notification
from accounts.roles import Role
from marketplace.models import Enquiry, EnquiryStatus, MessageReport
from marketplace.services import enquiries as services
from marketplace.tests import enquiry_factories as make

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast() -> make.Cast:
    return make.cast()


def signed_in(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def start_url(offer) -> str:  # type: ignore[no-untyped-def]
    return reverse("marketplace:enquiry-start", args=[offer.public_id])


def thread_url(enquiry: Enquiry) -> str:
    return reverse("marketplace:enquiry", args=[enquiry.public_id])


# --- The enquiry form ----------------------------------------------------------------------------------


def test_the_form_offers_the_people_you_hold_consent_for_and_what_to_share(cast):
    html = signed_in(cast.fiona).get(start_url(cast.club)).content.decode()

    assert "Ask about Saturday club" in html
    assert "Tom Walsh" in html and "Nobody in particular" in html
    assert 'type="checkbox"' in html and "Their first name" in html


def test_a_family_sends_an_enquiry_sharing_only_what_they_ticked(cast):
    response = signed_in(cast.fiona).post(
        start_url(cast.club),
        {"person": str(cast.tom.public_id), "share": ["first_name", "area"], "question": "Is there a place?"},
    )

    enquiry = Enquiry.objects.get()
    assert response.status_code == 302 and response["Location"] == thread_url(enquiry)
    assert (enquiry.shared_first_name, enquiry.shared_age, enquiry.shared_area) == ("Tom", None, "CV3")


def test_bad_input_redisplays_the_form_with_an_error_summary(cast):
    response = signed_in(cast.fiona).post(start_url(cast.club), {"person": "", "question": ""})

    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: " in html
    assert "govuk-error-summary" in html
    assert 'href="#id_person_0"' in html and "Choose who your question is about" in html
    assert 'href="#id_question"' in html and "Enter your question" in html
    assert Enquiry.objects.count() == 0


def test_sharing_without_choosing_someone_is_shown_on_the_share_question(cast):
    response = signed_in(cast.fiona).post(
        start_url(cast.club), {"person": "nobody", "share": ["age"], "question": "Is there a place?"}
    )

    html = response.content.decode()
    assert "<title>Error: " in html and 'href="#id_share_0"' in html
    assert "Choose who your question is about, or do not share any details" in html


def test_someone_with_nobody_on_record_asks_a_general_question(cast):
    response = signed_in(cast.carl).post(start_url(cast.club), {"question": "Do you take children with autism?"})

    assert response.status_code == 302
    assert Enquiry.objects.get().person is None


def test_a_withdrawn_or_unknown_offer_answers_404(access, cast):
    from providers.models import OfferStatus
    from providers.services.offers import offer_set_status

    offer_set_status(offer=cast.club, new_status=OfferStatus.WITHDRAWN, actor=None, reason="Closed")

    access.not_found(cast.fiona, start_url(cast.club))


# --- The conversation ----------------------------------------------------------------------------------


def test_the_provider_sees_what_was_shared_and_not_the_record(cast):
    enquiry = make.send(cast.fiona, cast.club, about=cast.tom, share=("first_name", "age"))

    html = signed_in(cast.priya).get(thread_url(enquiry)).content.decode()

    assert "What they shared with you" in html
    assert "Tom" in html and "Walsh" not in html
    assert "CV3" not in html and "Autism" not in html
    assert cast.fiona.email not in html
    assert "Fiona, family member" in html


def test_the_family_sees_who_the_question_is_about_and_what_the_provider_can_see(cast):
    enquiry = make.send(cast.fiona, cast.club, about=cast.tom, share=("first_name",))

    html = signed_in(cast.fiona).get(thread_url(enquiry)).content.decode()

    assert "Your question is about Tom Walsh" in html
    assert "What the provider can see" in html
    assert "Send your message" in html and "Close the conversation" in html


def test_the_consent_holder_reads_without_a_reply_box_and_is_told_why(cast):
    enquiry = make.send(cast.bea, cast.club, about=cast.tom)

    html = signed_in(cast.fiona).get(thread_url(enquiry)).content.decode()

    assert "because you give consent for Tom, who is under 18" in html
    assert "Send your message" not in html
    assert "Report" in html


def test_the_consent_holder_posting_a_reply_is_refused(cast):
    enquiry = make.send(cast.bea, cast.club, about=cast.tom)

    response = signed_in(cast.fiona).post(
        reverse("marketplace:enquiry-reply", args=[enquiry.public_id]), {"body": "Hi"}
    )

    assert response.status_code == 403
    assert enquiry.messages.count() == 1


def test_a_provider_replies_with_a_file_and_the_family_downloads_it(cast):
    enquiry = make.send(cast.fiona, cast.club)
    pdf = SimpleUploadedFile("timetable.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")

    response = signed_in(cast.priya).post(
        reverse("marketplace:enquiry-reply", args=[enquiry.public_id]), {"body": "Here it is", "attachment": pdf}
    )

    assert response.status_code == 302
    message = enquiry.messages.last()
    download = signed_in(cast.fiona).get(
        reverse("marketplace:enquiry-attachment", args=[enquiry.public_id, message.attachment.public_id])
    )
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF-")
    assert 'filename="timetable.pdf"' in download["Content-Disposition"]


def test_a_reply_with_a_file_that_fails_the_checks_redisplays_with_an_error_summary(cast):
    enquiry = make.send(cast.fiona, cast.club)
    fake = SimpleUploadedFile("timetable.pdf", b"<script>alert(1)</script>")

    response = signed_in(cast.priya).post(
        reverse("marketplace:enquiry-reply", args=[enquiry.public_id]), {"body": "Here it is", "attachment": fake}
    )

    html = response.content.decode()
    assert response.status_code == 200 and "<title>Error: " in html
    assert 'href="#id_attachment"' in html and "not what its name says" in html
    assert enquiry.messages.count() == 1


def test_an_empty_reply_redisplays_with_an_error_summary(cast):
    enquiry = make.send(cast.fiona, cast.club)

    response = signed_in(cast.priya).post(reverse("marketplace:enquiry-reply", args=[enquiry.public_id]), {"body": ""})

    html = response.content.decode()
    assert "<title>Error: " in html and 'href="#id_body"' in html and "Enter your message" in html


def test_closing_from_the_page(cast):
    enquiry = make.send(cast.fiona, cast.club)

    response = signed_in(cast.fiona).post(reverse("marketplace:enquiry-close", args=[enquiry.public_id]))

    enquiry.refresh_from_db()
    assert response.status_code == 302 and enquiry.status == EnquiryStatus.CLOSED
    html = signed_in(cast.fiona).get(thread_url(enquiry)).content.decode()
    assert "This conversation is closed" in html and "Send your message" not in html


def test_new_messages_are_marked_until_the_thread_is_read(cast):
    enquiry = make.send(cast.fiona, cast.club)
    make.reply(enquiry, cast.priya)
    client = signed_in(cast.fiona)

    assert "1 new" in client.get(reverse("marketplace:enquiries")).content.decode()
    first_visit = client.get(thread_url(enquiry)).content.decode()
    second_visit = client.get(thread_url(enquiry)).content.decode()

    assert ">New</strong>" in first_visit and ">New</strong>" not in second_visit
    assert "1 new" not in client.get(reverse("marketplace:enquiries")).content.decode()


# --- Reporting -----------------------------------------------------------------------------------------


def test_reporting_a_message_from_the_page(cast):
    enquiry = make.send(cast.fiona, cast.club)
    message = make.reply(enquiry, cast.priya, "Send me your bank details")
    url = reverse("marketplace:enquiry-message-report", args=[enquiry.public_id, message.public_id])
    client = signed_in(cast.fiona)

    empty = client.post(url, {"reason": ""}).content.decode()
    response = client.post(url, {"reason": "Asks for bank details"})

    assert "<title>Error: " in empty and "Tell us what is wrong with the message" in empty
    assert response.status_code == 302
    assert MessageReport.objects.get().reporter == cast.fiona
    assert Notification.objects.filter(recipient=cast.queenie, subject="A message has been reported").exists()


def test_the_officer_reads_the_reported_message_in_its_conversation_and_records_what_they_did(cast):
    enquiry = make.send(cast.fiona, cast.club)
    message = make.reply(enquiry, cast.priya, "Send me your bank details")
    report = services.message_report(message=message, reporter=cast.fiona, reason="Asks for bank details")
    client = signed_in(cast.queenie)

    listing = client.get(reverse("marketplace:enquiry-reports")).content.decode()
    detail = client.get(reverse("marketplace:enquiry-report", args=[report.public_id])).content.decode()
    response = client.post(
        reverse("marketplace:enquiry-report", args=[report.public_id]), {"resolution": "Spoke to the provider"}
    )

    assert "Asks for bank details" in listing
    assert "Send me your bank details" in detail and "Do you have a place on Saturdays?" in detail
    assert ">Reported</strong>" in detail and ">New</strong>" not in detail
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.resolution == "Spoke to the provider"


def test_the_officers_reports_download_as_csv(cast):
    enquiry = make.send(cast.fiona, cast.club)
    services.message_report(message=enquiry.messages.get(), reporter=cast.priya, reason="=HYPERLINK()")

    response = signed_in(cast.queenie).get(reverse("marketplace:enquiry-reports-export"))

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Reference", "Reported", "Offer"]
    assert rows[1][2] == "Saturday club" and rows[1][5] == "'=HYPERLINK()"


# --- The provider's side -------------------------------------------------------------------------------


def test_the_providers_list_shows_enquiries_waiting_with_their_age(cast):
    make.send(cast.fiona, cast.club, about=cast.tom, share=("first_name",))

    html = signed_in(cast.priya).get(reverse("marketplace:enquiries-provider")).content.decode()

    assert "Waiting for your reply" in html and "Saturday club" in html
    assert "Less than a day" in html and "Tom" in html


def test_the_providers_csv_holds_only_what_was_shared(cast):
    make.send(cast.fiona, cast.club, about=cast.tom, share=("first_name", "age"))

    response = signed_in(cast.priya).get(reverse("marketplace:enquiries-provider-export"))

    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert response["Content-Type"].startswith("text/csv")
    assert rows[0][:4] == ["Reference", "Offer", "Received", "Status"]
    assert rows[1][1] == "Saturday club" and rows[1][6] == "Tom" and rows[1][5] == "0"
    assert "Walsh" not in text and "CV3" not in text


def test_the_provider_dashboard_shows_enquiries_waiting(cast):
    make.send(cast.fiona, cast.club)

    html = signed_in(cast.priya).get(reverse("providers:dashboard")).content.decode()

    assert "1 enquiry is waiting for your reply" in html
    assert reverse("marketplace:enquiries-provider") in html


# --- Links and navigation ------------------------------------------------------------------------------


def test_the_offer_page_asks_visitors_and_families_but_not_providers(cast):
    offer_page = reverse("providers:public-offer", args=[cast.club.public_id])

    assert start_url(cast.club) in Client().get(offer_page).content.decode()
    assert start_url(cast.club) in signed_in(cast.fiona).get(offer_page).content.decode()
    assert start_url(cast.club) not in signed_in(cast.oscar).get(offer_page).content.decode()


def test_messages_are_in_the_navigation_of_families_and_providers(cast):
    assert 'href="/enquiries/"' in signed_in(cast.fiona).get(reverse("accounts:dashboard")).content.decode()
    assert 'href="/enquiries/"' in signed_in(cast.priya).get(reverse("accounts:dashboard")).content.decode()
    commissioner = make.member(Role.COMMISSIONER, cast.coventry)
    assert 'href="/enquiries/"' not in signed_in(commissioner).get(reverse("accounts:dashboard")).content.decode()
