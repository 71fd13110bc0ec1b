"""The consent holder's "who can see the record" page: giving and withdrawing access.

Sarah holds consent for Tom; alice is his lead professional; bob is a broker of an organisation
registered with Tom's council and nina a lead professional of its NHS body, both of whom Sarah may
choose; carol is a broker registered with another council, whom she may not; dave is another family's
parent, who must not find Tom at all.
"""

import datetime
from dataclasses import dataclass

import pytest
from django.urls import reverse

from accounts.models import AuditEvent, Notification, Organisation, User
from accounts.roles import OrganisationKind, Role
from accounts.tests.factories import CouncilFactory, OrganisationFactory, user_with_role
from brokerage.models import AccessGrant, ConsentHolder, PersonSupported
from brokerage.services.consent import access_grant, people_visible_to
from brokerage.services.people import Contact, person_create

pytestmark = pytest.mark.django_db


@dataclass
class Case:
    council: Organisation
    person: PersonSupported
    sarah: User
    alice: User
    bob: User
    nina: User
    carol: User
    dave: User

    def url(self, name: str, *args) -> str:  # type: ignore[no-untyped-def]
        return reverse(f"brokerage:{name}", args=[self.person.public_id, *args])


@pytest.fixture
def case() -> Case:
    council = CouncilFactory()
    alice = user_with_role(Role.LEAD_PROFESSIONAL, council, first_name="Alice")
    sarah = user_with_role(Role.FAMILY_MEMBER, council, first_name="Sarah", last_name="Walsh")
    person = person_create(
        actor=alice,
        council=council,
        first_name="Tom",
        last_name="Walsh",
        date_of_birth=datetime.date(2014, 5, 14),
        holder=Contact(sarah.email, "Sarah", "Walsh"),
        relationship=ConsentHolder.Relationship.PARENT,
    )
    brokers = OrganisationFactory(kind=OrganisationKind.BROKER, council=council)
    nhs = OrganisationFactory(kind=OrganisationKind.NHS, council=council)
    elsewhere = OrganisationFactory(kind=OrganisationKind.BROKER, council=CouncilFactory())
    return Case(
        council=council,
        person=person,
        sarah=sarah,
        alice=alice,
        bob=user_with_role(Role.BROKER, brokers, first_name="Bob", last_name="Broker"),
        nina=user_with_role(Role.LEAD_PROFESSIONAL, nhs, first_name="Nina", last_name="Nurse"),
        carol=user_with_role(Role.BROKER, elsewhere, first_name="Carol", last_name="Faraway"),
        dave=user_with_role(Role.FAMILY_MEMBER, council, first_name="Dave"),
    )


def bob_grant(case: Case) -> AccessGrant:
    return access_grant(
        person=case.person, grantee=case.bob, consent_from=case.sarah, recorded_by=case.sarah, scope="read"
    )


def test_the_consent_holder_gives_a_broker_access_and_the_broker_is_told(client, case):
    client.force_login(case.sarah)
    response = client.post(case.url("person-access-give"), {"grantee": str(case.bob.public_id), "scope": "read"})

    assert response.status_code == 302 and response["Location"] == case.url("person-access")
    assert case.person in people_visible_to(case.bob)
    grant = case.person.access_grants.get(grantee=case.bob)
    assert grant.consent_from == case.sarah and grant.scope == AccessGrant.Scope.READ
    assert AuditEvent.objects.filter(action="consent.access_granted", actor=case.sarah).exists()
    notice = Notification.objects.get(recipient=case.bob)
    assert "Tom Walsh" in notice.subject and notice.link == case.url("person")


def test_only_practitioners_of_the_persons_council_area_are_offered(client, case):
    client.force_login(case.sarah)
    page = client.get(case.url("person-access-give")).content.decode()

    assert "Bob Broker" in page and "Nina Nurse" in page
    assert "Carol Faraway" not in page and "Dave" not in page


def test_a_practitioner_from_another_council_area_is_refused(client, case):
    client.force_login(case.sarah)
    response = client.post(case.url("person-access-give"), {"grantee": str(case.carol.public_id), "scope": "read"})

    assert response.status_code == 200
    assert "<title>Error: " in response.content.decode()
    assert not case.person.access_grants.filter(grantee=case.carol).exists()


def test_placing_orders_needs_a_spending_limit(client, case):
    client.force_login(case.sarah)
    response = client.post(case.url("person-access-give"), {"grantee": str(case.nina.public_id), "scope": "act"})

    assert "Enter a spending limit" in response.content.decode()
    assert not case.person.access_grants.filter(grantee=case.nina).exists()


def test_the_consent_holder_withdraws_access_and_the_broker_no_longer_finds_tom(client, access, case):
    grant = bob_grant(case)
    access.ok(case.bob, case.url("person"))
    client.force_login(case.sarah)
    assert "Bob Broker" in client.get(case.url("person-access")).content.decode()

    response = client.post(case.url("person-access-withdraw", grant.public_id), {"reason": "We changed broker"})

    assert response.status_code == 302
    grant.refresh_from_db()
    assert grant.revoked_at is not None
    access.not_found(case.bob, case.url("person"))
    assert AuditEvent.objects.get(action="consent.access_revoked").reason == "We changed broker"
    assert Notification.objects.filter(recipient=case.bob, subject__contains="withdrawn").exists()


def test_the_record_page_links_to_access_for_the_consent_holder_only(client, case):
    client.force_login(case.sarah)
    assert case.url("person-access") in client.get(case.url("person")).content.decode()
    client.force_login(case.alice)
    assert case.url("person-access") not in client.get(case.url("person")).content.decode()


def test_only_the_current_consent_holder_may_use_the_access_pages(access, case):
    grant = bob_grant(case)
    urls = [
        case.url("person-access"),
        case.url("person-access-give"),
        case.url("person-access-withdraw", grant.public_id),
    ]
    for url in urls:
        access.ok(case.sarah, url)
        access.not_found(case.dave, url)
        access.forbidden(case.alice, url)
        access.forbidden(case.bob, url)
        access.sign_in_required(url)
        access.not_found(case.dave, url, method="post")
    grant.refresh_from_db()
    assert grant.revoked_at is None


def test_a_grant_of_another_persons_record_answers_404(access, case):
    other = person_create(
        actor=case.alice,
        council=case.council,
        first_name="Amy",
        last_name="Other",
        date_of_birth=datetime.date(2015, 1, 1),
        holder=Contact(case.dave.email, "Dave", "Other"),
        relationship=ConsentHolder.Relationship.PARENT,
    )
    their_grant = access_grant(
        person=other, grantee=case.bob, consent_from=case.dave, recorded_by=case.dave, scope="read"
    )
    access.not_found(case.sarah, case.url("person-access-withdraw", their_grant.public_id))


def test_the_lead_professional_whose_access_is_withdrawn_no_longer_sees_tom(client, access, case):
    # Being named lead professional is not access in itself: consent is (DOMAIN.md).
    grant = case.person.access_grants.get(grantee=case.alice, revoked_at__isnull=True)
    access.ok(case.alice, case.url("person"))
    client.force_login(case.sarah)

    client.post(case.url("person-access-withdraw", grant.public_id), {"reason": "We no longer want the nurse involved"})

    access.not_found(case.alice, case.url("person"))
    assert case.person not in people_visible_to(case.alice)
