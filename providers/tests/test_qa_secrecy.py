"""A DBS certificate number is shown in full only to a QA officer making an Update Service status check,
once, and every time it is logged. It never appears in any other page, email, audit row, log record or the
admin; and no field on a check can hold anything about a person's record."""

import datetime
import logging

import pytest
from django.core import mail
from django.db import models
from django.test import Client
from django.urls import reverse

from accounts.fields import EncryptedTextField
from accounts.models import AuditEvent, Notification
from accounts.tests.factories import UserFactory
from providers.models import DBSCheck, DBSNumberReveal, StatusCheckResult
from providers.services.qa import dbs_check_verify
from providers.tests import qa_factories as qa

pytestmark = pytest.mark.django_db

NUMBER = "918273645546"
HIDDEN_PART = NUMBER[:8]  # the eight digits that are never shown; the last four (5546) may be


@pytest.fixture
def today(time_machine) -> datetime.date:  # type: ignore[no-untyped-def]
    time_machine.move_to(datetime.datetime(2026, 3, 3, 12, tzinfo=datetime.UTC), tick=False)
    return datetime.date(2026, 3, 3)


@pytest.fixture
def coventry():  # type: ignore[no-untyped-def]
    return qa.council("Coventry City Council")


@pytest.fixture
def alice(coventry):  # type: ignore[no-untyped-def]
    return qa.qa_officer(coventry)


@pytest.fixture
def sam(coventry):  # type: ignore[no-untyped-def]
    return qa.personal_assistant(of_council=coventry)


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def _assert_hidden(text: str, where: str) -> None:
    assert NUMBER not in text, f"the full certificate number appears in {where}"
    assert HIDDEN_PART not in text, f"part of the certificate number appears in {where}"


def _journey(sam, alice, django_capture_on_commit_callbacks) -> DBSCheck:  # type: ignore[no-untyped-def]
    """The PA sends the check through the form; the officer verifies it, reveals the number, status checks it."""
    pa, officer = _client(sam.user), _client(alice)
    with django_capture_on_commit_callbacks(execute=True):
        pa.post(
            reverse("providers:qa-my-dbs-new"),
            {
                "person_name": "Sam Kaur",
                "level": "enhanced_children",
                "certificate_number": NUMBER,
                "issue_date": "3/3/2025",
                "update_service": "yes",
            },
        )
        check = DBSCheck.objects.get(pa_profile=sam)
        officer.post(reverse("providers:qa-dbs-verify", args=[check.public_id]), {"original_seen_on": "3/3/2026"})
        revealed = officer.post(reverse("providers:qa-dbs-reveal", args=[check.public_id]))
        officer.post(
            reverse("providers:qa-dbs-status-check", args=[check.public_id]),
            {"checked_on": "3/3/2026", "result": StatusCheckResult.CURRENT},
        )
    assert NUMBER in revealed.content.decode()
    return check


# --- Shown once, and logged -------------------------------------------------------------------------


def test_the_full_number_is_shown_only_in_the_answer_to_the_reveal_and_each_reveal_is_logged(
    today, alice, coventry, sam
):
    check = qa.dbs_check(pa_profile=sam, number=NUMBER, update_service=True)
    dbs_check_verify(check=check, officer=alice, council=coventry, original_seen_on=today)
    officer = _client(alice)
    url = reverse("providers:qa-dbs-status-check", args=[check.public_id])

    before = officer.get(url)
    first = officer.post(reverse("providers:qa-dbs-reveal", args=[check.public_id]))
    second = officer.post(reverse("providers:qa-dbs-reveal", args=[check.public_id]))
    after = officer.get(url)

    _assert_hidden(before.content.decode(), "the status-check page before the reveal")
    assert "Show the full number to do a status check" in before.content.decode()
    assert NUMBER in first.content.decode() and NUMBER in second.content.decode()
    assert "no-store" in first["Cache-Control"]
    _assert_hidden(after.content.decode(), "the status-check page after the reveal")
    reveals = DBSNumberReveal.objects.filter(dbs_check=check)
    assert reveals.count() == 2
    assert {(reveal.revealed_to, reveal.council) for reveal in reveals} == {(alice, coventry)}
    assert AuditEvent.objects.filter(action="qa.dbs_number_revealed", council=coventry, actor=alice).count() == 2


def test_the_number_cannot_be_revealed_by_a_get_or_for_a_check_not_on_the_update_service(today, alice, coventry, sam):
    check = qa.dbs_check(pa_profile=sam, number=NUMBER, update_service=False)
    dbs_check_verify(check=check, officer=alice, council=coventry, original_seen_on=today)
    officer = _client(alice)

    assert officer.get(reverse("providers:qa-dbs-reveal", args=[check.public_id])).status_code == 405
    assert officer.post(reverse("providers:qa-dbs-reveal", args=[check.public_id])).status_code == 404
    assert not DBSNumberReveal.objects.exists()


def test_only_a_qa_officer_can_reveal_a_number(today, alice, coventry, sam):
    check = qa.dbs_check(pa_profile=sam, number=NUMBER, update_service=True)
    dbs_check_verify(check=check, officer=alice, council=coventry, original_seen_on=today)

    for someone in (sam.user, UserFactory()):
        response = _client(someone).post(reverse("providers:qa-dbs-reveal", args=[check.public_id]))
        assert response.status_code == 403
        _assert_hidden(response.content.decode(), "a refused reveal")
    assert not DBSNumberReveal.objects.exists()


# --- Never anywhere else ----------------------------------------------------------------------------


def test_no_page_of_the_officer_or_the_provider_shows_the_number(
    today, alice, coventry, sam, django_capture_on_commit_callbacks
):
    check = _journey(sam, alice, django_capture_on_commit_callbacks)
    officer, pa = _client(alice), _client(sam.user)
    officer_pages = [
        reverse("providers:qa-queue"),
        reverse("providers:qa-dbs", args=[check.public_id]),
        reverse("providers:qa-dbs-status-check", args=[check.public_id]),
        reverse("providers:qa-personal-assistant", args=[sam.public_id]),
        reverse("providers:qa-profile", args=[sam.public_id]),
        reverse("providers:qa-reveals", args=[coventry.slug]),
        reverse("providers:qa-policy", args=[coventry.slug]),
        reverse("accounts:notifications"),
    ]
    provider_pages = [
        reverse("providers:qa-my-checks"),
        reverse("providers:qa-my-check", args=[check.public_id]),
        reverse("providers:qa-my-dbs-new"),
        reverse("accounts:notifications"),
        reverse("providers:public-personal-assistant", args=[sam.public_id]),
    ]

    for client, urls in ((officer, officer_pages), (pa, provider_pages)):
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            _assert_hidden(response.content.decode(), url)
    assert "•••• 5546" in officer.get(reverse("providers:qa-dbs", args=[check.public_id])).content.decode()


def test_a_form_with_errors_does_not_write_the_number_back_into_the_page(sam):
    response = _client(sam.user).post(
        reverse("providers:qa-my-dbs-new"),
        {
            "person_name": "Sam Kaur",
            "level": "enhanced_children",
            "certificate_number": NUMBER,
            "issue_date": "31/2/2025",
        },
    )

    assert "<title>Error: " in response.content.decode()
    _assert_hidden(response.content.decode(), "the DBS form shown again with errors")


def test_emails_notifications_and_audit_rows_name_the_check_only_by_its_masked_number(
    today, alice, coventry, sam, django_capture_on_commit_callbacks
):
    _journey(sam, alice, django_capture_on_commit_callbacks)

    assert mail.outbox, "the PA is emailed when the check is verified"
    for message in mail.outbox:
        everything = " ".join([message.subject, message.body, *(content for content, _ in message.alternatives)])
        _assert_hidden(everything, f"the email '{message.subject}'")
    for notification in Notification.objects.all():
        _assert_hidden(f"{notification.subject} {notification.body} {notification.link}", "a notification")
    events = AuditEvent.objects.all()
    assert events.filter(action="qa.dbs_number_revealed").exists()
    for event in events:
        _assert_hidden(
            f"{event.summary} {event.reason} {event.data} {event.target_id}", f"the audit row {event.action}"
        )
    assert any("•••• 5546" in event.summary for event in events)


def test_no_log_record_holds_the_number(today, alice, sam, caplog, django_capture_on_commit_callbacks):
    caplog.set_level(logging.DEBUG)

    _journey(sam, alice, django_capture_on_commit_callbacks)
    # A request that fails is logged with its details: the number must not be among them.
    _client(sam.user).post(
        reverse("providers:qa-my-dbs-new"), {"certificate_number": NUMBER, "issue_date": "not a date"}
    )

    assert caplog.records, "the journey is expected to log something (requests, tasks)"
    for record in caplog.records:
        _assert_hidden(record.getMessage(), f"a log record from {record.name}")
        _assert_hidden(str(getattr(record, "request", "")), f"the request logged by {record.name}")


def test_the_admin_lists_and_shows_a_check_without_its_number(today, sam):
    check = qa.dbs_check(pa_profile=sam, number=NUMBER)
    admin_user = UserFactory(is_staff=True, is_superuser=True)
    client = _client(admin_user)

    listing = client.get(reverse("admin:providers_dbscheck_changelist"))
    detail = client.get(reverse("admin:providers_dbscheck_change", args=[check.pk]))

    assert listing.status_code == 200 and detail.status_code == 200
    _assert_hidden(listing.content.decode(), "the admin list of checks")
    _assert_hidden(detail.content.decode(), "the admin page of a check")
    assert "•••• 5546" in detail.content.decode()
    assert client.get(reverse("admin:providers_dbscheck_add")).status_code == 403


# --- Nothing about a person's record can be stored --------------------------------------------------


def _text_fields(model: type[models.Model]) -> dict[str, models.Field]:
    return {
        field.name: field
        for field in model._meta.get_fields()
        if isinstance(field, models.CharField | models.TextField) and not field.is_relation
    }


def test_a_dbs_check_has_no_field_that_could_hold_conviction_or_disclosure_details():
    fields = _text_fields(DBSCheck)

    assert set(fields) == {
        "person_name",
        "level",
        "certificate_number",
        "certificate_last4",
        "last_status_check_result",
        "verification",
        "refusal",
    }
    free_text = {name for name, field in fields.items() if not field.choices}
    assert free_text == {"person_name", "certificate_number", "certificate_last4"}
    # The number is encrypted and checked to be 12 digits; its last four are written by the service only.
    assert isinstance(fields["certificate_number"], EncryptedTextField)
    assert fields["certificate_last4"].max_length == 4 and not fields["certificate_last4"].editable
    assert fields["person_name"].max_length == 120


def test_a_reveal_records_a_fixed_purpose_and_nothing_typed():
    fields = _text_fields(DBSNumberReveal)

    assert set(fields) == {"purpose"}
    assert fields["purpose"].default == "DBS Update Service status check"
