"""The demo sign-ins get the published demo authenticator key when two-step verification is required."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import override_settings
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.mfa import services
from accounts.roles import Role
from accounts.tests.factories import UserFactory, user_with_role
from demo.mfa import DEMO_TOTP_SECRET, demo_authenticator_apps_ensure, demo_totp_code, format_demo_mfa

pytestmark = pytest.mark.django_db


@override_settings(MFA_REQUIRED=True)
def test_demo_staff_get_the_demo_app_and_families_do_not():
    finance = user_with_role(Role.FINANCE_OFFICER, email="finance@coventry.demo")
    family = user_with_role(Role.FAMILY_MEMBER, email="family@coventry.demo")
    staff = UserFactory(email="staff@support-exchange.demo", is_staff=True, is_superuser=True)

    assert demo_authenticator_apps_ensure() == 2
    assert demo_authenticator_apps_ensure() == 0  # idempotent

    assert TOTPDevice.objects.filter(user__in=[finance, staff], confirmed=True).count() == 2
    assert not TOTPDevice.objects.filter(user=family).exists()
    # The code demo_totp prints is the one the device accepts.
    assert services.security_code_check(user=finance, code=demo_totp_code()).user == finance


@override_settings(MFA_REQUIRED=True)
def test_a_demo_sign_in_that_set_up_its_own_app_keeps_it():
    broker = user_with_role(Role.BROKER, email="broker@coventry.demo")
    own = services.totp_device_pending(user=broker)
    own.confirmed = True
    own.save()

    demo_authenticator_apps_ensure()

    assert list(TOTPDevice.objects.filter(user=broker).values_list("pk", flat=True)) == [own.pk]


def test_without_mfa_required_the_demo_adds_no_apps():
    user_with_role(Role.FINANCE_OFFICER, email="finance@coventry.demo")

    assert demo_authenticator_apps_ensure() == 0
    assert "MFA_REQUIRED=false" in format_demo_mfa()


def test_demo_totp_prints_the_current_code():
    out = StringIO()

    call_command("demo_totp", stdout=out)

    first_line = out.getvalue().splitlines()[0]
    assert first_line.isdigit() and len(first_line) == 6
    assert DEMO_TOTP_SECRET in out.getvalue()


@override_settings(MFA_REQUIRED=True)
def test_demo_data_logins_print_the_key_and_how_to_get_a_code():
    out = StringIO()

    call_command("demo_data", "--logins", stdout=out)

    assert DEMO_TOTP_SECRET in out.getvalue()
    assert "manage.py demo_totp" in out.getvalue()
