"""Asking for help and answering it.

Alice holds consent for Tom; Lena is his lead professional, with access; Bob is a broker Alice gave
read-only access; Bea and Ben are brokers registered with Tom's council whom Alice has not chosen;
Carl is a broker of another council; Charlie another family's parent.
"""

from dataclasses import dataclass

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.models import AuditEvent, Notification, User
from accounts.roles import OrganisationKind, Role
from accounts.tests.factories import CouncilFactory, OrganisationFactory
from brokerage.models import AccessGrant
from marketplace.family_selectors import help_choices, help_requests_for_practitioner
from marketplace.models import HelpRequest
from marketplace.services.help_requests import help_request_answer, help_request_ask
from marketplace.tests.order_factories import Family, broker_for, family, member

pytestmark = pytest.mark.django_db


@dataclass
class Case:
    tom: Family
    bob: User
    bea: User
    ben: User
    carl: User
    charlie: User


@pytest.fixture
def case() -> Case:
    tom = family()
    brokers = OrganisationFactory(kind=OrganisationKind.BROKER, council=tom.council)
    elsewhere = OrganisationFactory(kind=OrganisationKind.BROKER, council=CouncilFactory())
    return Case(
        tom=tom,
        bob=broker_for(tom, scope=AccessGrant.Scope.READ),
        bea=member(Role.BROKER, brokers, first_name="Bea"),
        ben=member(Role.BROKER, brokers, first_name="Ben"),
        carl=member(Role.BROKER, elsewhere, first_name="Carl"),
        charlie=member(Role.FAMILY_MEMBER, tom.council, first_name="Charlie"),
    )


def ask(case: Case, to_user: User | None, message: str = "Please help us find a personal assistant") -> HelpRequest:
    return help_request_ask(
        person=case.tom.person, holder=case.tom.parent, to_user=to_user, message=message, contact_by="phone"
    )


def test_the_family_may_ask_who_can_see_the_record_or_the_councils_brokers(case):
    choices = help_choices(case.tom.person)

    assert [choice.user for choice in choices] == [case.bob, case.tom.lead_professional, None]
    assert choices[1].label.endswith("your lead professional")


def test_asking_the_lead_professional_tells_her_with_a_link_and_is_audited(case):
    lena = case.tom.lead_professional

    help_request = ask(case, lena)

    notification = Notification.objects.get(recipient=lena)
    assert notification.link == reverse("marketplace:help-request", args=[help_request.public_id])
    assert "by phone" in notification.body
    assert AuditEvent.objects.filter(action="family.help_asked").count() == 1


def test_asking_the_council_tells_every_broker_registered_with_it(case):
    help_request = ask(case, None)

    told = set(Notification.objects.values_list("recipient", flat=True))
    assert told == {case.bob.pk, case.bea.pk, case.ben.pk}
    assert help_request.to_council == case.tom.council


def test_a_practitioner_without_access_cannot_be_asked_by_name(case):
    with pytest.raises(ValidationError):
        ask(case, case.bea)

    assert not HelpRequest.objects.exists()


def test_only_the_consent_holder_may_ask(case):
    with pytest.raises(ValidationError):
        help_request_ask(person=case.tom.person, holder=case.charlie, to_user=None, message="Help", contact_by="email")


def test_an_empty_message_is_refused(case):
    with pytest.raises(ValidationError):
        ask(case, None, message="   ")


def test_requests_to_the_council_are_on_every_council_brokers_list_and_named_ones_only_on_theirs(case):
    to_council, to_lena = ask(case, None), ask(case, case.tom.lead_professional)
    council = case.tom.council

    assert list(help_requests_for_practitioner(user=case.bea, council=council)) == [to_council]
    assert list(help_requests_for_practitioner(user=case.tom.lead_professional, council=council)) == [to_lena]
    assert not help_requests_for_practitioner(user=case.carl, council=case.carl.memberships.get().council).exists()


def test_answering_tells_the_family_and_closes_the_request(case):
    help_request = ask(case, None)
    Notification.objects.all().delete()

    help_request_answer(help_request=help_request, actor=case.bea, answer="I will ring you on Tuesday")

    help_request.refresh_from_db()
    assert help_request.answered_by == case.bea and not help_request.is_open
    notification = Notification.objects.get()
    assert notification.recipient == case.tom.parent
    assert notification.link == reverse("marketplace:my-help", args=[case.tom.person.public_id])
    assert AuditEvent.objects.filter(action="family.help_answered").count() == 1


def test_a_request_is_answered_only_once(case):
    help_request = ask(case, None)
    help_request_answer(help_request=help_request, actor=case.bea, answer="I will ring you")

    with pytest.raises(ValidationError):
        help_request_answer(help_request=help_request, actor=case.ben, answer="Me too")


def test_the_family_asks_through_the_page(client, case):
    client.force_login(case.tom.parent)
    url = reverse("marketplace:my-help", args=[case.tom.person.public_id])

    response = client.post(url, {"to": "council", "message": "Help with a PA", "contact_by": "email"})

    assert response.status_code == 302
    assert HelpRequest.objects.get().message == "Help with a PA"


def test_an_invalid_request_redisplays_with_an_error_title(client, case):
    client.force_login(case.tom.parent)
    url = reverse("marketplace:my-help", args=[case.tom.person.public_id])

    response = client.post(url, {"to": "council", "message": "", "contact_by": "email"})

    assert response.status_code == 200
    assert "<title>Error:" in response.content.decode()


def test_a_broker_answers_through_the_page_and_another_councils_broker_gets_404(client, access, case):
    help_request = ask(case, None)
    url = reverse("marketplace:help-request", args=[help_request.public_id])
    access.not_found(case.carl, url)
    access.forbidden(case.tom.parent, url)
    access.forbidden(case.tom.parent, reverse("marketplace:help-requests"))
    client.force_login(case.bea)

    response = client.post(url, {"answer": "I will call you tomorrow"})

    assert response.status_code == 302
    help_request.refresh_from_db()
    assert help_request.answer == "I will call you tomorrow"


def test_a_named_request_is_not_found_by_a_council_broker_it_was_not_sent_to(access, case):
    help_request = ask(case, case.tom.lead_professional)

    access.not_found(case.bea, reverse("marketplace:help-request", args=[help_request.public_id]))


def test_the_practitioners_list_downloads_as_csv(client, case):
    ask(case, None, message="Help with respite")
    client.force_login(case.bea)

    response = client.get(reverse("marketplace:help-requests-export"))

    assert response.status_code == 200 and "Help with respite" in response.content.decode("utf-8-sig")
