"""Sensitive numbers never leave the database in full (issue #15).

A provider's bank details go through the whole journey (entered, called back, approved) and a personal
assistant's DBS check is submitted and verified; then every log record written, every email sent, every
notification and audit row, every Django admin list and record page, and the family's subject-access
archive are searched for the full numbers. Only the masked forms (the last digits) may appear. The
payment file for the council's bank is the one place the full bank details must be (tested with the
payment run), and a QA officer's audited Update Service reveal the one place the full DBS number is.
"""

import datetime
import logging

import pytest
from django.contrib import admin
from django.core import mail
from django.urls import reverse

from accounts.models import AuditEvent, Notification
from accounts.tests.factories import UserFactory
from marketplace.payments.bank_accounts import bank_details_approve, bank_details_record_callback
from marketplace.payments.tests.bank_fixtures import FULL_NUMBERS, bank_make
from providers.services.qa import dbs_check_verify
from providers.tests import qa_factories as qa

pytestmark = pytest.mark.django_db

DBS_NUMBER = "918273645546"
DBS_HIDDEN = DBS_NUMBER[:8]  # the last four may be shown
SECRETS = (*FULL_NUMBERS, DBS_HIDDEN)


@pytest.fixture
def records(caplog, django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    caplog.set_level(logging.DEBUG)
    with django_capture_on_commit_callbacks(execute=True):
        bank = bank_make()
        account = bank.submit()
        bank_details_record_callback(account=account, actor=bank.ann, note="Called the number on record")
        bank_details_approve(account=account, actor=bank.ben)
        pa = qa.personal_assistant(of_council=bank.council)
        check = qa.dbs_check(pa_profile=pa, number=DBS_NUMBER)
        dbs_check_verify(
            check=check,
            officer=qa.qa_officer(bank.council),
            council=bank.council,
            original_seen_on=datetime.date(2025, 3, 10),
        )
    return bank, account, check


def leaks(text: str) -> list[str]:
    return [secret for secret in SECRETS if secret in text]


def test_no_log_record_holds_a_full_number(records, caplog):
    logged = "\n".join(f"{r.getMessage()} {r.args!r} {r.__dict__!r}" for r in caplog.records)

    assert leaks(logged) == []


def test_no_email_notification_or_audit_row_holds_a_full_number(records):
    emails = "\n".join(
        f"{m.subject}\n{m.body}\n{''.join(str(a[0]) for a in getattr(m, 'alternatives', []))}" for m in mail.outbox
    )
    notifications = "\n".join(f"{n.subject}\n{n.body}" for n in Notification.objects.all())
    audit = "\n".join(f"{e.summary}\n{e.reason}\n{e.data!r}" for e in AuditEvent.objects.all())

    assert Notification.objects.exists() and AuditEvent.objects.exists()
    assert leaks(emails) == [] and leaks(notifications) == [] and leaks(audit) == []


def test_no_django_admin_list_or_record_page_holds_a_full_number(records, client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    pages = []
    for model, model_admin in admin.site._registry.items():
        info = (model._meta.app_label, model._meta.model_name)
        pages.append(reverse("admin:{}_{}_changelist".format(*info)))
        pages += [
            reverse("admin:{}_{}_change".format(*info), args=[pk])
            for pk in model._default_manager.values_list("pk", flat=True)[:20]
        ]
        assert model_admin  # every registered model is visited

    responses = {page: client.get(page) for page in pages}

    assert {page: r.status_code for page, r in responses.items() if r.status_code != 200} == {}
    found = {page: leaks(r.content.decode()) for page, r in responses.items()}
    assert {page: secrets for page, secrets in found.items() if secrets} == {}
    assert len(pages) > 60


def test_the_dbs_check_page_in_the_admin_shows_the_last_four_only(records, client):
    _bank, _account, check = records
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    page = client.get(reverse("admin:providers_dbscheck_change", args=[check.pk])).content.decode()

    assert DBS_NUMBER[-4:] in page and DBS_HIDDEN not in page


def test_the_admin_never_shows_an_authenticator_key(client):
    from accounts.tests.mfa_helpers import app_set_up

    device, _codes = app_set_up(UserFactory())
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    pages = [
        reverse("admin:otp_totp_totpdevice_changelist"),
        reverse("admin:otp_totp_totpdevice_change", args=[device.pk]),
    ]
    contents = [client.get(page).content.decode() for page in pages]

    assert all(device.key not in content and device.key.upper() not in content for content in contents)
    assert "qrcode" not in contents[0]
