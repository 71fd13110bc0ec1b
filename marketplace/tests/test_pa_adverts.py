"""PA recruitment services: the National Living Wage floor, sending and publishing (and who is told), one
reply per PA, meetings, declining, the employer's checklist, and unanswered adverts as demand signals."""

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from accounts.models import Notification
from brokerage.models import BrokeragePolicy
from brokerage.services.consent import financial_year_of
from marketplace.models import AdvertStatus, MeetingStatus, PAAdvertRecipient, PAReply, ReplyStatus
from marketplace.services import pa_adverts as services
from marketplace.tests import pa_advert_factories as make
from search.models import DemandSignal

pytestmark = pytest.mark.django_db


@pytest.fixture
def case():
    return make.family()


def test_pay_below_the_councils_national_living_wage_is_refused(case):
    start = timezone.localdate() + timedelta(days=30)
    BrokeragePolicy.objects.create(
        council=case.council, financial_year=financial_year_of(start), national_living_wage=Decimal("12.71")
    )

    with pytest.raises(ValidationError) as refused:
        make.advert(case, hourly_pay=Decimal("12.70"), start_date=start)

    assert "hourly_pay" in refused.value.message_dict
    assert "12.71" in refused.value.message_dict["hourly_pay"][0]
    assert make.advert(case, hourly_pay=Decimal("12.71"), start_date=start).status == AdvertStatus.DRAFT


def test_sending_opens_the_advert_and_tells_only_the_chosen_pas(case):
    chosen, other = make.pa(name="Chloe"), make.pa(name="Dana")
    advert = make.advert(case)

    services.pa_advert_send(advert=advert, actor=case.parent, pas=[chosen], publish_to_area=False)

    advert.refresh_from_db()
    assert advert.status == AdvertStatus.OPEN and advert.opened_at is not None
    assert Notification.objects.filter(recipient=chosen.user).count() == 1
    assert not Notification.objects.filter(recipient=other.user).exists()


def test_publishing_tells_every_pa_covering_the_district_once(case):
    covering, elsewhere = make.pa(areas=["CV3"], name="Chloe"), make.pa(areas=["CV6"], name="Erin")
    advert = make.advert(case)

    services.pa_advert_send(advert=advert, actor=case.parent, pas=[covering], publish_to_area=True)
    services.pa_advert_send(advert=advert, actor=case.parent, pas=[covering], publish_to_area=True)

    assert list(advert.recipients.values_list("pa", flat=True)) == [covering.pk]
    assert Notification.objects.filter(recipient=covering.user).count() == 1
    assert not Notification.objects.filter(recipient=elsewhere.user).exists()


def test_publishing_uses_the_area_not_a_neighbouring_district_with_the_same_prefix(case):
    cv30 = make.pa(areas=["CV30"], name="Fay")
    advert = make.advert(case)

    services.pa_advert_send(advert=advert, actor=case.parent, pas=[], publish_to_area=True)

    assert not PAAdvertRecipient.objects.filter(pa=cv30).exists()


def test_a_pa_replies_once_and_the_family_is_told(case):
    chloe = make.pa()
    advert = make.open_advert(case, to=[chloe])

    reply = services.pa_reply_send(advert=advert, pa=chloe, message="I have five years' experience.", availability="")

    assert Notification.objects.filter(recipient=case.parent, link__contains=str(reply.public_id)).count() == 1
    with pytest.raises(ValidationError, match="already replied"):
        services.pa_reply_send(advert=advert, pa=chloe, message="Me again", availability="")
    assert PAReply.objects.filter(advert=advert).count() == 1


def test_a_closed_advert_takes_no_replies(case):
    chloe = make.pa()
    advert = make.open_advert(case, to=[chloe])
    services.pa_advert_close(advert=advert, actor=case.parent, reason="withdrawn")

    with pytest.raises(ValidationError, match="no longer taking replies"):
        services.pa_reply_send(advert=advert, pa=chloe, message="Hello", availability="")


def test_arranging_a_meeting_shortlists_the_reply_and_the_pa_can_ask_for_another_time(case):
    chloe = make.pa()
    advert = make.open_advert(case, to=[chloe])
    reply = services.pa_reply_send(advert=advert, pa=chloe, message="Hello", availability="Evenings")
    starts = timezone.now() + timedelta(days=3)

    meeting = services.pa_meeting_arrange(
        reply=reply, actor=case.parent, starts_at=starts, by_video=False, place="Central library café", note=""
    )
    reply.refresh_from_db()
    assert reply.status == ReplyStatus.SHORTLISTED
    assert Notification.objects.filter(recipient=chloe.user, subject="A family would like to meet you").exists()

    with pytest.raises(ValidationError):
        services.pa_meeting_respond(meeting=meeting, pa=chloe, accept=False, note="")
    services.pa_meeting_respond(meeting=meeting, pa=chloe, accept=False, note="Could we make it Friday?")
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.ANOTHER_TIME
    assert Notification.objects.filter(recipient=case.parent, subject__contains="asked for another time").exists()


def test_a_meeting_in_the_past_is_refused(case):
    chloe = make.pa()
    reply = services.pa_reply_send(advert=make.open_advert(case, to=[chloe]), pa=chloe, message="Hi", availability="")

    with pytest.raises(ValidationError) as refused:
        services.pa_meeting_arrange(
            reply=reply,
            actor=case.parent,
            starts_at=timezone.now() - timedelta(hours=1),
            by_video=True,
            place="x",
            note="",
        )
    assert "starts_at" in refused.value.message_dict


def test_declining_tells_the_pa_with_the_familys_words(case):
    chloe = make.pa()
    reply = services.pa_reply_send(advert=make.open_advert(case, to=[chloe]), pa=chloe, message="Hi", availability="")

    services.pa_reply_decline(reply=reply, actor=case.parent, message="We found someone nearer. Thank you.")

    told = Notification.objects.get(recipient=chloe.user, subject="A family has replied to your application")
    assert "We found someone nearer" in told.body


def test_the_checklist_records_checks_item_by_item(case):
    chloe = make.pa()
    reply = services.pa_reply_send(advert=make.open_advert(case, to=[chloe]), pa=chloe, message="Hi", availability="")
    day = make.some_day()

    services.employer_checklist_save(
        reply=reply, actor=case.parent, right_to_work_checked_on=day, right_to_work_document="passport"
    )
    checklist = services.employer_checklist_save(
        reply=reply, actor=case.parent, dbs_umbrella_body="Safe Checks Ltd", dbs_applied_on=day, payroll_service="PayCo"
    )

    assert checklist.items_done() == {
        "right_to_work": True,
        "dbs": False,
        "insurance": False,
        "payroll": True,
        "contract": False,
    }
    with pytest.raises(ValidationError):
        services.employer_checklist_save(reply=reply, actor=case.parent, dbs_received_on=day - timedelta(days=1))


def test_an_unanswered_advert_becomes_one_scrubbed_demand_signal_once(case):
    chloe = make.pa()
    opened = timezone.now()
    with time_machine.travel(opened, tick=False):
        advert = make.open_advert(
            case,
            to=[chloe],
            tasks="Swimming with Tom Walsh at 12 Hill Road CV3 5AB, call 07700 900123",
            skills_wanted="Autism experience; email claire@example.com",
        )

    with time_machine.travel(opened + timedelta(days=13), tick=False):
        assert services.pa_adverts_unanswered().counted == 0
    with time_machine.travel(opened + timedelta(days=15), tick=False):
        first = services.pa_adverts_unanswered()
        second = services.pa_adverts_unanswered()

    assert (first.counted, second.counted) == (1, 0)
    signal = DemandSignal.objects.get()
    assert signal.source == DemandSignal.Source.PA_ADVERT
    assert signal.postcode_district == "CV3" and signal.council_code == "E08000026" and signal.results == 0
    assert signal.month.day == 1
    for identifying in ("12", "5ab", "07700", "900123", "claire@example.com", "cv3"):
        assert identifying not in signal.text
    assert "swimming" in signal.text and "autism" in signal.text
    advert.refresh_from_db()
    assert advert.demand_counted_at is not None


def test_an_advert_with_a_reply_is_not_a_demand_signal(case):
    chloe = make.pa()
    opened = timezone.now()
    with time_machine.travel(opened, tick=False):
        advert = make.open_advert(case, to=[chloe])
        services.pa_reply_send(advert=advert, pa=chloe, message="Hi", availability="")

    with time_machine.travel(opened + timedelta(days=30), tick=False):
        assert services.pa_adverts_unanswered().checked == 0
    assert not DemandSignal.objects.exists()


def test_the_command_dry_run_records_nothing(case, capsys):
    opened = timezone.now()
    with time_machine.travel(opened, tick=False):
        make.open_advert(case, to=[make.pa()])

    with time_machine.travel(opened + timedelta(days=20), tick=False):
        call_command("pa_adverts_unanswered", "--dry-run")
        assert not DemandSignal.objects.exists()
        call_command("pa_adverts_unanswered")

    assert DemandSignal.objects.count() == 1
    assert "1 advert(s) open more than 14 days" in capsys.readouterr().out
