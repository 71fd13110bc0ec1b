"""PA recruitment pages: writing an advert, sending it from the shortlist, the PA's reply, the family's
shortlist, meeting and checklist pages, the CSV export, and who may see what (404) or use what (403)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from accounts.tests.factories import user_with_role
from marketplace.models import AdvertStatus, EmployerChecklist, PAMeeting, PAReply, ReplyStatus
from marketplace.services import pa_adverts as services
from marketplace.services.shortlists import shortlist_offer_add
from marketplace.tests import pa_advert_factories as make

pytestmark = pytest.mark.django_db


@pytest.fixture
def case():
    return make.family()


def _form(**overrides: object) -> dict:
    values = make.advert_values(**overrides)
    return {name: str(value) for name, value in values.items()}


def test_a_family_writes_an_advert_with_the_district_of_their_postcode_offered(client, case):
    client.force_login(case.parent)
    page = client.get(reverse("marketplace:pa-advert-new"))
    assert page.status_code == 200
    assert page.context["form"].initial["postcode_district"] == "CV3"
    assert b"do not see your child" in page.content

    response = client.post(
        reverse("marketplace:pa-advert-new"), {"person": str(case.person.public_id), **_form(postcode_district="cv3")}
    )

    advert = case.person.pa_adverts.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "marketplace:pa-advert-send", args=[advert.public_id]
    )
    assert advert.status == AdvertStatus.DRAFT and advert.postcode_district == "CV3"


def test_pay_below_the_national_living_wage_redisplays_the_form_with_an_error(client, case):
    client.force_login(case.parent)

    response = client.post(
        reverse("marketplace:pa-advert-new"), {"person": str(case.person.public_id), **_form(hourly_pay="5.00")}
    )

    assert response.status_code == 200
    assert response.content.decode().count("National Living Wage") >= 2
    assert "<title>Error:" in response.content.decode()
    assert not case.person.pa_adverts.exists()


def test_the_send_page_lists_shortlisted_pas_and_sends_to_the_one_chosen(client, case):
    chloe = make.pa(areas=["CV6"])
    offer = make.pa_offer(chloe)
    shortlist_offer_add(owner=case.parent, offer=offer)
    advert = make.advert(case)
    client.force_login(case.parent)
    url = reverse("marketplace:pa-advert-send", args=[advert.public_id])

    page = client.get(url)
    assert chloe.display_name in page.content.decode()

    response = client.post(url, {"pas": [str(offer.public_id)]})

    assert response.status_code == 302
    advert.refresh_from_db()
    assert advert.status == AdvertStatus.OPEN
    assert list(advert.recipients.values_list("pa", flat=True)) == [chloe.pk]


def test_the_send_page_accepts_pas_chosen_from_search_results(client, case):
    dana = make.pa(areas=["CV6"], name="Dana")
    offer = make.pa_offer(dana)
    advert = make.advert(case)
    client.force_login(case.broker)

    page = client.get(reverse("marketplace:pa-advert-send", args=[advert.public_id]) + f"?offer={offer.public_id}")

    assert page.status_code == 200 and dana.display_name in page.content.decode()


def test_sending_nothing_is_refused_with_an_error(client, case):
    advert = make.advert(case)
    client.force_login(case.parent)

    response = client.post(reverse("marketplace:pa-advert-send", args=[advert.public_id]), {})

    assert response.status_code == 200 and "<title>Error:" in response.content.decode()


def test_a_pa_sees_the_advert_replies_once_and_cannot_reply_again(client, case):
    chloe = make.pa()
    advert = make.open_advert(case, to=[chloe])
    client.force_login(chloe.user)

    listed = client.get(reverse("marketplace:pa-adverts-for-you"))
    assert advert.title in listed.content.decode()
    url = reverse("marketplace:pa-advert-for-you", args=[advert.public_id])
    page = client.get(url)
    assert case.person.last_name not in page.content.decode()

    client.post(url, {"message": "I would love to help.", "availability": "After 3pm"})
    client.post(url, {"message": "Again", "availability": ""})

    assert PAReply.objects.filter(advert=advert, pa=chloe).count() == 1


def test_the_family_shortlists_arranges_to_meet_and_ticks_the_checklist(client, case):
    chloe = make.pa()
    reply = services.pa_reply_send(advert=make.open_advert(case, to=[chloe]), pa=chloe, message="Hi", availability="")
    client.force_login(case.parent)

    client.post(reverse("marketplace:pa-reply-shortlist", args=[reply.public_id]))
    day = timezone.localdate() + timedelta(days=5)
    meet = client.post(
        reverse("marketplace:pa-reply-meet", args=[reply.public_id]),
        {"date": day.isoformat(), "time": "16:30", "place": "Central library", "note": ""},
    )
    checklist = client.post(
        reverse("marketplace:pa-reply-checklist", args=[reply.public_id]),
        {
            "right_to_work_checked_on": day.isoformat(),
            "right_to_work_document": "share_code",
            "payroll_service": "PayCo",
        },
    )

    reply.refresh_from_db()
    assert reply.status == ReplyStatus.SHORTLISTED
    assert meet.status_code == 302 and PAMeeting.objects.filter(reply=reply).count() == 1
    assert checklist.status_code == 302
    assert EmployerChecklist.objects.get(reply=reply).items_done()["right_to_work"]
    page = client.get(reverse("marketplace:pa-reply-checklist", args=[reply.public_id]))
    assert "/for-families/employing-a-personal-assistant/right-to-work/" in page.content.decode()


def test_the_pa_accepts_a_meeting(client, case):
    chloe = make.pa()
    advert = make.open_advert(case, to=[chloe])
    reply = services.pa_reply_send(advert=advert, pa=chloe, message="Hi", availability="")
    meeting = services.pa_meeting_arrange(
        reply=reply,
        actor=case.parent,
        starts_at=timezone.now() + timedelta(days=2),
        by_video=True,
        place="Video",
        note="",
    )
    client.force_login(chloe.user)

    response = client.post(reverse("marketplace:pa-meeting-answer", args=[meeting.public_id]), {"answer": "accept"})

    meeting.refresh_from_db()
    assert response.status_code == 302 and meeting.status == "accepted"


def test_brokers_download_the_adverts_as_csv_and_families_may_not(client, case, access):
    make.advert(case, title="After-school PA")
    client.force_login(case.broker)

    response = client.get(reverse("marketplace:pa-adverts-export"))

    assert response.status_code == 200 and "After-school PA" in response.content.decode()
    access.forbidden(case.parent, reverse("marketplace:pa-adverts-export"))


def test_another_familys_advert_and_replies_answer_404(case, access):
    chloe = make.pa()
    advert = make.open_advert(case, to=[chloe])
    reply = services.pa_reply_send(advert=advert, pa=chloe, message="Hi", availability="")
    other = make.family(council=case.council)

    for name in ("pa-advert", "pa-advert-edit", "pa-advert-send"):
        access.not_found(other.parent, reverse(f"marketplace:{name}", args=[advert.public_id]))
        access.not_found(other.broker, reverse(f"marketplace:{name}", args=[advert.public_id]))
    for name in ("pa-reply", "pa-reply-meet", "pa-reply-checklist"):
        access.not_found(other.parent, reverse(f"marketplace:{name}", args=[reply.public_id]))
    access.ok(case.broker, reverse("marketplace:pa-advert", args=[advert.public_id]))


def test_a_pa_not_sent_the_advert_and_not_covering_the_area_gets_404(case, access):
    advert = make.open_advert(case, to=[make.pa()], postcode_district="CV3")
    faraway = make.pa(areas=["B1"], name="Gina")
    nearby = make.pa(areas=["CV3"], name="Hana")
    url = reverse("marketplace:pa-advert-for-you", args=[advert.public_id])

    access.not_found(faraway.user, url)
    access.not_found(nearby.user, url)
    services.pa_advert_send(advert=advert, actor=case.parent, pas=[], publish_to_area=True)
    access.ok(nearby.user, url)


def test_roles_without_use_of_the_pages_get_403(case, access):
    provider = user_with_role(Role.PROVIDER_STAFF)
    commissioner = user_with_role(Role.COMMISSIONER, case.council)
    advert = make.advert(case)

    access.forbidden(provider, reverse("marketplace:pa-adverts"))
    access.forbidden(commissioner, reverse("marketplace:pa-advert", args=[advert.public_id]))
    access.forbidden(case.parent, reverse("marketplace:pa-adverts-for-you"))
    access.sign_in_required(reverse("marketplace:pa-adverts"))


def test_closing_an_advert_as_filled(client, case):
    advert = make.open_advert(case, to=[make.pa()], hourly_pay=Decimal("14.00"))
    client.force_login(case.parent)

    client.post(reverse("marketplace:pa-advert-close", args=[advert.public_id]), {"reason": "filled"})

    advert.refresh_from_db()
    assert advert.status == AdvertStatus.CLOSED and advert.closed_reason == "filled"


def test_the_familys_list_reply_and_meeting_pages_show_the_advert_and_reply(client, case):
    chloe = make.pa()
    advert = make.open_advert(case, to=[chloe])
    reply = services.pa_reply_send(
        advert=advert, pa=chloe, message="Five years with autistic children", availability=""
    )
    client.force_login(case.parent)

    listed = client.get(reverse("marketplace:pa-adverts")).content.decode()
    reply_page = client.get(reverse("marketplace:pa-reply", args=[reply.public_id])).content.decode()
    meet_page = client.get(reverse("marketplace:pa-reply-meet", args=[reply.public_id])).content.decode()

    assert advert.title in listed and "pa-adverts/export.csv" not in listed
    assert "Five years with autistic children" in reply_page and "Arrange to meet" in reply_page
    assert f"Arrange to meet {chloe.display_name}" in meet_page
