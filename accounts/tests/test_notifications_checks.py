"""The start-up check refuses a GOV.UK Notify backend without its key and template ids."""

import pytest
from django.core.checks import run_checks

from accounts.notifications.checks import notify_settings_check

API_KEY = "support_exchange_live-26785a09-ab16-4eb0-8407-a37497a57506-3d844edf-8d35-48ac-975b-e847b4f122b0"
TEMPLATE_ID = "f33517ff-2a88-4f6e-b855-c550268ce08a"


@pytest.fixture
def notify_settings(settings):
    settings.NOTIFICATIONS_BACKEND = "notify"
    settings.NOTIFY_API_KEY = API_KEY
    settings.NOTIFY_EMAIL_TEMPLATE_ID = TEMPLATE_ID
    settings.NOTIFY_SMS_TEMPLATE_ID = TEMPLATE_ID
    return settings


def error_ids() -> list[str]:
    return [message.id for message in notify_settings_check()]


def test_complete_notify_settings_pass(notify_settings):
    assert error_ids() == []


def test_the_email_backend_needs_no_notify_settings(settings):
    settings.NOTIFICATIONS_BACKEND = "email"
    settings.NOTIFY_API_KEY = ""
    settings.NOTIFY_EMAIL_TEMPLATE_ID = ""
    settings.NOTIFY_SMS_TEMPLATE_ID = ""

    assert error_ids() == []


@pytest.mark.parametrize(
    "api_key",
    ["", "3d844edf-8d35-48ac-975b-e847b4f122b0", "live-26785a09-ab16-4eb0-8407-a37497a57506-not-a-secret"],
    ids=["missing", "secret only", "malformed secret"],
)
def test_notify_backend_without_a_whole_api_key_is_refused(notify_settings, api_key):
    notify_settings.NOTIFY_API_KEY = api_key

    assert error_ids() == ["accounts.E101"]


def test_notify_backend_without_template_ids_is_refused(notify_settings):
    notify_settings.NOTIFY_EMAIL_TEMPLATE_ID = ""
    notify_settings.NOTIFY_SMS_TEMPLATE_ID = "the text template"

    assert error_ids() == ["accounts.E102", "accounts.E103"]


def test_the_check_runs_with_the_other_system_checks(notify_settings):
    notify_settings.NOTIFY_API_KEY = ""

    assert "accounts.E101" in [message.id for message in run_checks()]
