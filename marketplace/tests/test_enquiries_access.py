"""Who may open which enquiry page: another provider's or another family's conversation answers 404, as
does a broker's without the family's consent; a page the role may not use answers 403."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.roles import Role
from marketplace.services import enquiries as services
from marketplace.tests import enquiry_factories as make

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture
def cast() -> make.Cast:
    return make.cast()


@pytest.fixture
def thread(cast):  # type: ignore[no-untyped-def]
    """Bea's enquiry about Tom, with Priya's answer carrying a PDF."""
    enquiry = make.send(cast.bea, cast.club, about=cast.tom)
    message = services.message_post(
        enquiry=enquiry,
        sender=cast.priya,
        body="Our timetable",
        attachment=SimpleUploadedFile("timetable.pdf", PDF),
    )
    return enquiry, message


def urls(enquiry, message) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {
        "thread": reverse("marketplace:enquiry", args=[enquiry.public_id]),
        "file": reverse("marketplace:enquiry-attachment", args=[enquiry.public_id, message.attachment.public_id]),
        "report": reverse("marketplace:enquiry-message-report", args=[enquiry.public_id, message.public_id]),
    }


def test_the_people_in_the_conversation_can_open_it(access, cast, thread):
    for url in urls(*thread).values():
        access.ok(cast.bea, url)
        access.ok(cast.priya, url)


def test_the_consent_holder_of_the_child_can_open_it(access, cast, thread):
    for url in urls(*thread).values():
        access.ok(cast.fiona, url)


def test_another_providers_staff_get_404(access, cast, thread):
    for url in urls(*thread).values():
        access.not_found(cast.oscar, url)


def test_another_family_gets_404(access, cast, thread):
    for url in urls(*thread).values():
        access.not_found(cast.carl, url)


def test_a_broker_without_the_familys_consent_gets_404(access, cast, thread):
    stranger = make.broker(cast.coventry)
    for url in urls(*thread).values():
        access.not_found(stranger, url)


def test_the_broker_who_asked_gets_404_once_the_family_withdraws_consent(access, cast, thread):
    make.revoke(cast.tom.access_grants.get(grantee=cast.bea))

    for url in urls(*thread).values():
        access.not_found(cast.bea, url)


def test_writing_and_closing_someone_elses_conversation_answers_404(access, cast, thread):
    enquiry, _ = thread
    for name in ("marketplace:enquiry-reply", "marketplace:enquiry-close"):
        access.not_found(cast.oscar, reverse(name, args=[enquiry.public_id]), method="post")
        access.not_found(cast.carl, reverse(name, args=[enquiry.public_id]), method="post")


def test_a_file_from_another_conversation_answers_404(access, cast, thread):
    enquiry, message = thread
    own = make.send(cast.carl, cast.club)
    access.not_found(
        cast.carl, reverse("marketplace:enquiry-attachment", args=[own.public_id, message.attachment.public_id])
    )


def test_roles_that_take_no_part_in_enquiries_get_403(access, cast, thread):
    commissioner = make.member(Role.COMMISSIONER, cast.coventry)
    for url in [reverse("marketplace:enquiries"), *urls(*thread).values()]:
        access.forbidden(commissioner, url)


def test_providers_cannot_open_the_enquiry_form(access, cast):
    access.forbidden(cast.priya, reverse("marketplace:enquiry-start", args=[cast.club.public_id]))


def test_families_cannot_open_the_providers_list_or_the_officers_reports(access, cast):
    for name in (
        "marketplace:enquiries-provider",
        "marketplace:enquiries-provider-export",
        "marketplace:enquiry-reports",
        "marketplace:enquiry-reports-export",
    ):
        access.forbidden(cast.fiona, reverse(name))


def test_visitors_are_asked_to_sign_in(access, cast, thread):
    access.sign_in_required(reverse("marketplace:enquiry-start", args=[cast.club.public_id]))
    access.sign_in_required(reverse("marketplace:enquiries"))
    access.sign_in_required(urls(*thread)["thread"])


def test_a_report_is_opened_only_by_the_officers_of_its_council(access, cast, thread):
    _, message = thread
    report = services.message_report(message=message, reporter=cast.bea, reason="Rude")
    url = reverse("marketplace:enquiry-report", args=[report.public_id])
    elsewhere = make.member(Role.QA_OFFICER, make.council("Warwickshire County Council"))

    file_url = reverse("marketplace:enquiry-report-attachment", args=[report.public_id, message.attachment.public_id])

    for page in (url, file_url):
        access.ok(cast.queenie, page)
        access.not_found(elsewhere, page)
        access.forbidden(cast.bea, page)
