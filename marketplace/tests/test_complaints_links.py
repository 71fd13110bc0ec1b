"""Where people find "Make a complaint", and the daily escalation command.

Tom's mother Alice holds consent; Sunrise Tutors (staff: Pat) provides his tuition.
"""

import datetime
from io import StringIO
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from accounts.models import Membership
from accounts.roles import Role
from marketplace.models import Complaint, ComplaintStatus
from marketplace.services import complaints as services
from marketplace.services.complaints import Subject
from marketplace.tests.order_factories import family, provider
from providers.models import ProfileStatus

pytestmark = pytest.mark.django_db


def page(user, path: str) -> str:  # type: ignore[no-untyped-def]
    client = Client()
    if user is not None:
        client.force_login(user)
    return client.get(path).content.decode()


def test_make_a_complaint_shows_on_the_providers_page_only_for_families():
    tom, seller = family(available="0"), provider()
    profile = seller.organisation.provider_profile
    profile.status = ProfileStatus.PUBLISHED
    profile.save(update_fields=["status"])
    link = reverse("marketplace:complaint-start") + f"?organisation={seller.organisation.public_id}"
    providers_page = reverse("providers:public-provider", args=[profile.public_id])

    assert link in page(tom.parent, providers_page)
    assert link not in page(seller.staff, providers_page)
    assert link not in page(None, providers_page)


def test_the_command_escalates_complaints_left_unanswered():
    tom, seller = family(available="0"), provider()
    services.complaint_make(
        made_by=tom.parent,
        membership=Membership.objects.get(user=tom.parent, role=Role.FAMILY_MEMBER),
        person=tom.person,
        subject=Subject(offer=seller.offer),
        what_happened="Missed",
        what_they_want="Refund",
        now=datetime.datetime(2026, 1, 5, 10, 0, tzinfo=ZoneInfo("Europe/London")),
    )
    out = StringIO()
    later = datetime.datetime(2026, 3, 2, 6, 0, tzinfo=ZoneInfo("Europe/London"))

    with mock.patch("django.utils.timezone.now", return_value=later):
        call_command("complaints_escalate", stdout=out)

    assert Complaint.objects.get().status == ComplaintStatus.ESCALATED
    assert "escalated 1" in out.getvalue()
