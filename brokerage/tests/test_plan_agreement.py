"""The family agree the draft plan: sent by the broker, agreed or sent back with changes by the consent
holder alone, then submitted by the broker as before."""

import datetime
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEvent, Notification
from accounts.roles import Role
from accounts.tests.factories import user_with_role
from brokerage.models import AccessGrant, PlanStatus, SupportPlan
from brokerage.services.packages import SlotTimes
from brokerage.services.plan_agreement import plan_family_agree, plan_family_ask_changes, plan_send_to_family
from brokerage.tests.test_package_builder import _add, built  # noqa: F401  (the fixture)
from brokerage.tests.test_views_people import case  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db

T = datetime.time


@pytest.fixture
def sent(built):  # noqa: F811
    _add(built, built.club, "1", 20, [SlotTimes(5, T(10), T(13))])
    plan_send_to_family(plan=built.plan, actor=built.bea)
    built.plan.refresh_from_db()
    return built


def test_sending_records_who_sent_it_and_tells_the_consent_holder(sent):
    plan = sent.plan
    assert plan.sent_to_family_at is not None and plan.sent_to_family_by == sent.bea
    notice = Notification.objects.get(recipient=sent.case.mother)
    assert notice.link == reverse("brokerage:plan-agree", args=[plan.public_id])
    assert AuditEvent.objects.filter(action="plan.sent_to_family").exists()


def test_an_empty_plan_cannot_be_sent(built):  # noqa: F811
    with pytest.raises(ValidationError):
        plan_send_to_family(plan=built.plan, actor=built.bea)


def test_the_consent_holder_agrees_and_the_plan_is_agreed_with_them_as_the_actor(sent):
    plan = plan_family_agree(plan=sent.plan, holder=sent.case.mother)
    assert plan.status == PlanStatus.AGREED
    change = plan.status_changes.get(new_status=PlanStatus.AGREED)
    assert change.actor == sent.case.mother
    assert Notification.objects.filter(recipient=sent.bea, subject__contains="agreed").exists()


def test_asking_for_changes_keeps_the_draft_and_tells_the_sender(sent):
    plan = plan_family_ask_changes(plan=sent.plan, holder=sent.case.mother, changes="Saturday mornings are hard")
    assert plan.status == PlanStatus.DRAFT
    assert plan.family_changes_asked == "Saturday mornings are hard"
    assert plan.sent_to_family_at is None
    notice = Notification.objects.get(recipient=sent.bea)
    assert notice.body == "Saturday mornings are hard"
    with pytest.raises(ValidationError):
        plan_family_agree(plan=plan, holder=sent.case.mother)  # nothing waiting now


def test_sending_again_clears_the_changes_asked(sent):
    plan_family_ask_changes(plan=sent.plan, holder=sent.case.mother, changes="Fewer hours")
    plan = plan_send_to_family(plan=sent.plan, actor=sent.bea)
    assert plan.family_changes_asked == "" and plan.sent_to_family_at is not None


def test_asking_for_changes_needs_what_to_change(sent):
    with pytest.raises(ValidationError):
        plan_family_ask_changes(plan=sent.plan, holder=sent.case.mother, changes="  ")


def test_nobody_but_the_current_consent_holder_may_agree(sent):
    with pytest.raises(ValidationError):
        plan_family_agree(plan=sent.plan, holder=sent.bea)
    assert SupportPlan.objects.get(pk=sent.plan.pk).status == PlanStatus.DRAFT


def test_a_plan_not_sent_cannot_be_agreed_by_the_family(built):  # noqa: F811
    with pytest.raises(ValidationError):
        plan_family_agree(plan=built.plan, holder=built.case.mother)


def test_after_agreement_the_broker_submits_as_before(sent, client):
    plan_family_agree(plan=sent.plan, holder=sent.case.mother)
    client.force_login(sent.bea)
    response = client.get(reverse("brokerage:caseload"))
    assert "The family agreed the plan: submit it" in response.content.decode()


# --- Through the screens ---------------------------------------------------------------------------------


def test_the_agree_page_shows_the_plan_in_plain_english_and_takes_the_answer(client, sent):
    url = reverse("brokerage:plan-agree", args=[sent.plan.public_id])
    client.force_login(sent.case.mother)
    page = client.get(url).content.decode()
    for text in ("Tom sees friends", "Saturday club", "Saturday 10:00 to 13:00", "£20.00 a week", "Grandad"):
        assert text in page
    response = client.post(url, {"answer": "agree"})
    assert response.status_code == 302
    assert SupportPlan.objects.get(pk=sent.plan.pk).status == PlanStatus.AGREED


def test_asking_for_changes_without_saying_what_re_displays_with_an_error(client, sent):
    url = reverse("brokerage:plan-agree", args=[sent.plan.public_id])
    client.force_login(sent.case.mother)
    response = client.post(url, {"answer": "changes", "changes": ""})
    assert response.status_code == 200
    assert "<title>Error: " in response.content.decode()
    client.post(url, {"answer": "changes", "changes": "Not Saturdays"})
    assert SupportPlan.objects.get(pk=sent.plan.pk).family_changes_asked == "Not Saturdays"


def test_the_agree_page_is_the_consent_holders_alone(sent, access):
    url = reverse("brokerage:plan-agree", args=[sent.plan.public_id])
    access.ok(sent.case.mother, url)
    access.not_found(sent.bea, url)  # may see the plan, but does not give consent
    access.not_found(sent.ned, url)  # another broker
    access.not_found(user_with_role(Role.FAMILY_MEMBER, sent.case.council), url)
    access.forbidden(user_with_role(Role.PROVIDER_STAFF), url)
    access.sign_in_required(url)


def test_a_former_consent_holder_gets_404(sent, access):
    from brokerage.models import ConsentHolder

    ConsentHolder.objects.filter(user=sent.case.mother).update(ended_at=timezone.now())
    access.not_found(sent.case.mother, reverse("brokerage:plan-agree", args=[sent.plan.public_id]))


def test_the_broker_sends_through_the_page_but_not_with_an_expired_or_revoked_grant(client, built, access):  # noqa: F811
    _add(built, built.club, "1", 20, [])
    url = reverse("brokerage:plan-send-to-family", args=[built.plan.public_id])
    grant = AccessGrant.objects.get(grantee=built.bea)
    AccessGrant.objects.filter(pk=grant.pk).update(until=timezone.localdate() - datetime.timedelta(days=1))
    access.not_found(built.bea, url, method="post")
    AccessGrant.objects.filter(pk=grant.pk).update(until=None, revoked_at=timezone.now())
    access.not_found(built.bea, url, method="post")
    AccessGrant.objects.filter(pk=grant.pk).update(revoked_at=None)
    client.force_login(built.bea)
    assert client.post(url).status_code == 302
    assert SupportPlan.objects.get(pk=built.plan.pk).sent_to_family_by == built.bea
    assert D(built.plan.lines.get().total) == D("400.00")


def test_the_plan_page_leads_the_family_to_agree_and_the_worker_to_the_package(client, sent):
    plan_url = reverse("brokerage:plan", args=[sent.plan.public_id])
    client.force_login(sent.case.mother)
    assert reverse("brokerage:plan-agree", args=[sent.plan.public_id]) in client.get(plan_url).content.decode()
    client.force_login(sent.bea)
    assert reverse("marketplace:package", args=[sent.plan.public_id]) in client.get(plan_url).content.decode()
