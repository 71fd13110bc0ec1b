"""Commissioners' messages to the providers of a kind of support or the members of a framework lot.

Coventry's market: Sunrise (two active staff, one who has left) and a personal assistant offer short breaks;
Tutors Ltd offers tuition only; Sunrise is an admitted member of lot 1 of Coventry's framework and Lapsed Care a
suspended one. Birmingham's Far Away Care offers short breaks and must never be reached.
"""

import csv
import io
from dataclasses import dataclass

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.models import AuditEvent, Membership, Notification, Organisation, User
from accounts.roles import Role
from accounts.tests.factories import MembershipFactory
from marketplace import market_message_selectors as selectors
from marketplace.models import MarketMessage
from marketplace.services.market_messages import market_message_send
from marketplace.tests.insights_factories import assistant_offer, commissioner, council, priced_offer, provider_of
from marketplace.tests.order_factories import member
from providers.models import FrameworkContract, FrameworkLot, FrameworkMembership, MembershipStatus
from providers.tests.factories import term

pytestmark = pytest.mark.django_db


@dataclass
class Market:
    coventry: Organisation
    commissioner: User
    sunrise: Organisation
    sunrise_staff: list[User]
    assistant: User
    tutors: Organisation
    lot: FrameworkLot
    far_away: Organisation


@pytest.fixture
def market() -> Market:
    coventry, birmingham = council("Coventry"), council("Birmingham")
    sunrise = provider_of(coventry, "Sunrise")
    priced_offer(organisation=sunrise, amount="12.00")
    staff = [member(Role.PROVIDER_STAFF, sunrise), member(Role.PROVIDER_STAFF, sunrise)]
    left = member(Role.PROVIDER_STAFF, sunrise)
    Membership.objects.filter(user=left).update(is_active=False)
    pa_offer = assistant_offer(coventry, "15.00")
    pa_offer.live_version.categories.add(term("short-breaks"))
    MembershipFactory(user=pa_offer.personal_assistant.user, organisation=coventry, role=Role.PERSONAL_ASSISTANT)
    tutors = provider_of(coventry, "Tutors Ltd")
    priced_offer(organisation=tutors, amount="30.00", category="tuition")
    lapsed = provider_of(coventry, "Lapsed Care")
    framework = FrameworkContract.objects.create(
        council=coventry, reference="SB1", name="Short Breaks Framework", starts_on="2026-04-01", ends_on="2029-03-31"
    )
    lot = FrameworkLot.objects.create(framework=framework, number=1, name="Short breaks")
    FrameworkMembership.objects.create(lot=lot, organisation=sunrise, admitted_on="2026-04-01")
    FrameworkMembership.objects.create(
        lot=lot, organisation=lapsed, admitted_on="2026-04-01", status=MembershipStatus.SUSPENDED
    )
    far_away = provider_of(birmingham, "Far Away Care")
    priced_offer(organisation=far_away, amount="11.00")
    return Market(
        coventry, commissioner(coventry), sunrise, staff, pa_offer.personal_assistant.user, tutors, lot, far_away
    )


def send(market: Market, key: str = "a" * 32, **audience) -> MarketMessage:  # type: ignore[no-untyped-def]
    audience = audience or {"category": term("short-breaks")}
    return market_message_send(
        council=market.coventry,
        sender=market.commissioner,
        key=key,
        subject="Provider forum in June",
        body="Come and tell us what families ask for.",
        **audience,
    )


def test_a_category_reaches_the_councils_providers_and_assistants_with_a_published_offer_in_it(market) -> None:  # type: ignore[no-untyped-def]
    reach = selectors.reach_of_category(market.coventry, term("short-breaks"))
    assert [organisation.name for organisation in reach.organisations] == ["Sunrise"]
    assert [assistant.user for assistant in reach.assistants] == [market.assistant]


def test_a_lot_reaches_its_admitted_members_only(market) -> None:  # type: ignore[no-untyped-def]
    reach = selectors.reach_of_lot(market.coventry, market.lot)
    assert ([o.name for o in reach.organisations], reach.assistants) == (["Sunrise"], [])


def test_sending_records_each_recipient_notifies_their_active_people_and_is_audited(market) -> None:  # type: ignore[no-untyped-def]
    message = send(market)
    rows = {(r.organisation_id, r.personal_assistant_id): r.people_notified for r in message.recipients.all()}
    assert rows == {(market.sunrise.pk, None): 2, (None, market.assistant.pa_profile.pk): 1}
    told = set(Notification.objects.values_list("recipient", flat=True))
    assert told == {user.pk for user in [*market.sunrise_staff, market.assistant]}
    notification = Notification.objects.first()
    assert notification.subject == "Coventry: Provider forum in June"
    assert notification.link == reverse("marketplace:market-message-received", args=[message.public_id])
    assert AuditEvent.objects.filter(action="market_message.sent", target_id=str(message.public_id)).count() == 1


def test_sending_twice_with_the_same_token_sends_once(market) -> None:  # type: ignore[no-untyped-def]
    first, second = send(market), send(market)
    assert first == second
    assert MarketMessage.objects.count() == 1
    assert Notification.objects.count() == 3


def test_a_lot_of_another_council_or_an_audience_nobody_is_in_is_refused(market) -> None:  # type: ignore[no-untyped-def]
    other = FrameworkContract.objects.create(
        council=market.far_away.council, reference="B1", name="B", starts_on="2026-04-01", ends_on="2027-03-31"
    )
    with pytest.raises(ValidationError):
        send(market, lot=FrameworkLot.objects.create(framework=other, number=1, name="Far"))
    empty_lot = FrameworkLot.objects.create(framework=market.lot.framework, number=2, name="Nobody yet")
    with pytest.raises(ValidationError):
        send(market, key="b" * 32, lot=empty_lot)
    assert not MarketMessage.objects.exists()


def form_data(market: Market, step: str, audience: str = "") -> dict[str, str]:
    return {
        "audience": audience or f"lot-{market.lot.pk}",
        "subject": "Tender for lot 1",
        "body": "The tender opens on 1 June.",
        "event": "",
        "token": "c" * 32,
        "step": step,
    }


def test_the_check_step_shows_the_reach_and_sends_nothing(client, market) -> None:  # type: ignore[no-untyped-def]
    client.force_login(market.commissioner)
    audience = f"category-{term('short-breaks').pk}"
    response = client.post(reverse("marketplace:market-message-new"), form_data(market, "check", audience))
    assert "It will reach 1 organisation and 1 personal assistant" in response.content.decode()
    assert not MarketMessage.objects.exists()


def test_a_double_submitted_send_sends_once_and_shows_the_message(client, market) -> None:  # type: ignore[no-untyped-def]
    client.force_login(market.commissioner)
    url = reverse("marketplace:market-message-new")
    first = client.post(url, form_data(market, "send"))
    second = client.post(url, form_data(market, "send"))
    message = MarketMessage.objects.get()
    assert first["Location"] == second["Location"] == reverse("marketplace:market-message", args=[message.public_id])
    assert message.recipients.count() == 1 and Notification.objects.count() == 2


def test_an_empty_form_is_shown_again_with_errors(client, market) -> None:  # type: ignore[no-untyped-def]
    client.force_login(market.commissioner)
    response = client.post(reverse("marketplace:market-message-new"), {"step": "check", "token": "d" * 32})
    text = response.content.decode()
    assert "<title>Error:" in text and "Choose who should get this message" in text and "Enter a subject" in text


def test_providers_read_the_messages_sent_to_them_and_no_others(client, market, access) -> None:  # type: ignore[no-untyped-def]
    message = send(market)
    received = reverse("marketplace:market-message-received", args=[message.public_id])
    client.force_login(market.sunrise_staff[0])
    assert "Provider forum in June" in client.get(reverse("marketplace:market-messages-received")).content.decode()
    assert "tell us what families ask for" in client.get(received).content.decode()
    access.ok(market.assistant, received)
    access.not_found(member(Role.PROVIDER_STAFF, market.tutors), received)
    access.not_found(member(Role.PROVIDER_STAFF, market.far_away), received)


def test_another_councils_commissioner_gets_404_and_other_roles_403(market, access) -> None:  # type: ignore[no-untyped-def]
    message = send(market)
    detail = reverse("marketplace:market-message", args=[message.public_id])
    access.ok(market.commissioner, detail)
    access.not_found(commissioner(market.far_away.council), detail)
    for url in [
        detail,
        reverse("marketplace:market-messages"),
        reverse("marketplace:market-message-new"),
        reverse("marketplace:market-messages-export"),
    ]:
        access.forbidden(market.sunrise_staff[0], url)
    access.forbidden(market.commissioner, reverse("marketplace:market-messages-received"))
    access.forbidden(market.commissioner, reverse("marketplace:market-message-received", args=[message.public_id]))


def test_the_list_and_its_csv_give_each_message_with_its_reach(client, market) -> None:  # type: ignore[no-untyped-def]
    send(market)
    client.force_login(market.commissioner)
    assert "Provider forum in June" in client.get(reverse("marketplace:market-messages")).content.decode()
    response = client.get(reverse("marketplace:market-messages-export"))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[1][1:5] == ["Provider forum in June", "Providers of Short breaks", "1", "1"]
    assert not selectors.messages_sent(market.far_away.council).exists()
