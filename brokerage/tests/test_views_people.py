"""Caseload, a person's record, adding a person, consent hand-over and the access log.

Alice is Tom's lead professional (she recorded him with his mother's consent); bob is a lead
professional in the same council Tom's mother never agreed to; carol is in another council;
the commissioner's role has no casework pages.
"""

import datetime
from dataclasses import dataclass

import pytest
from django.urls import reverse

from accounts.models import AuditEvent, Organisation, User
from accounts.roles import Role
from accounts.tests.factories import CouncilFactory, user_with_role
from brokerage.models import ConsentHolder, PersonSupported, RecordView
from brokerage.services.people import Contact, person_create

pytestmark = pytest.mark.django_db


@dataclass
class Case:
    council: Organisation
    person: PersonSupported
    alice: User
    mother: User
    bob: User
    carol: User
    commissioner: User
    admin: User

    def url(self, name: str, *args) -> str:  # type: ignore[no-untyped-def]
        return reverse(f"brokerage:{name}", args=args or [self.person.public_id])


@pytest.fixture
def case() -> Case:
    council = CouncilFactory()
    alice = user_with_role(Role.LEAD_PROFESSIONAL, council, first_name="Alice")
    mother = user_with_role(Role.FAMILY_MEMBER, council, first_name="Sarah", last_name="Walsh")
    person = person_create(
        actor=alice,
        council=council,
        first_name="Tom",
        last_name="Walsh",
        date_of_birth=datetime.date(2014, 5, 14),
        holder=Contact(mother.email, "Sarah", "Walsh"),
        relationship=ConsentHolder.Relationship.PARENT,
    )
    return Case(
        council=council,
        person=person,
        alice=alice,
        mother=mother,
        bob=user_with_role(Role.LEAD_PROFESSIONAL, council),
        carol=user_with_role(Role.LEAD_PROFESSIONAL),
        commissioner=user_with_role(Role.COMMISSIONER, council),
        admin=user_with_role(Role.COUNCIL_ADMIN, council),
    )


def test_the_caseload_lists_only_the_people_whose_family_shared_their_records(client, case):
    client.force_login(case.alice)
    response = client.get(reverse("brokerage:caseload"))
    assert "Tom Walsh" in response.content.decode()

    client.force_login(case.bob)
    assert "Tom Walsh" not in client.get(reverse("brokerage:caseload")).content.decode()


def test_the_family_sees_their_own_child_on_their_list(client, case):
    client.force_login(case.mother)
    response = client.get(reverse("brokerage:caseload"))
    assert "Your family" in response.content.decode()
    assert "Tom Walsh" in response.content.decode()


def test_caseload_export_has_only_the_workers_people(client, case):
    client.force_login(case.alice)
    body = client.get(reverse("brokerage:caseload-export")).content.decode()
    assert "Tom" in body and str(case.person.public_id) in body

    client.force_login(case.bob)
    assert "Tom" not in client.get(reverse("brokerage:caseload-export")).content.decode()


def test_caseload_pages_refuse_roles_without_casework(access, case):
    for url in (reverse("brokerage:caseload"), reverse("brokerage:caseload-export"), reverse("brokerage:person-add")):
        access.forbidden(case.commissioner, url)
    access.forbidden(case.mother, reverse("brokerage:caseload-export"))
    access.forbidden(case.mother, reverse("brokerage:person-add"))
    access.sign_in_required(reverse("brokerage:caseload"))


def test_a_record_is_hidden_from_anyone_outside_the_familys_consent(access, case):
    access.ok(case.alice, case.url("person"))
    access.ok(case.mother, case.url("person"))
    access.not_found(case.bob, case.url("person"))
    access.not_found(case.carol, case.url("person"))
    access.not_found(user_with_role(Role.FAMILY_MEMBER, case.council), case.url("person"))
    access.forbidden(case.commissioner, case.url("person"))
    access.not_found(case.bob, case.url("person-handover"))
    access.forbidden(case.mother, case.url("person-handover"))


def test_every_staff_view_of_a_record_is_logged_but_the_familys_are_not(client, case):
    client.force_login(case.alice)
    client.get(case.url("person"))
    client.force_login(case.mother)
    client.get(case.url("person"))

    assert list(RecordView.objects.values_list("viewer__email", "what")) == [(case.alice.email, "record")]


def test_the_council_administrator_reads_and_downloads_the_access_log(client, access, case):
    RecordView.objects.create(person=case.person, viewer=case.alice, what="record")
    client.force_login(case.admin)

    assert "Tom Walsh" in client.get(reverse("brokerage:access-log")).content.decode()
    assert case.alice.email in client.get(reverse("brokerage:access-log-export")).content.decode()
    other_admin = user_with_role(Role.COUNCIL_ADMIN)
    client.force_login(other_admin)
    assert "Tom Walsh" not in client.get(reverse("brokerage:access-log")).content.decode()
    access.forbidden(case.alice, reverse("brokerage:access-log"))
    access.forbidden(case.alice, reverse("brokerage:access-log-export"))


def test_a_lead_professional_records_a_child_and_a_new_consent_holder_is_invited(client, case):
    client.force_login(case.alice)
    response = client.post(
        reverse("brokerage:person-add"),
        {
            "first_name": "A",
            "last_name": "Shah",
            "date_of_birth": "3/2/2023",
            "relationship": "parent",
            "holder_first_name": "Nadia",
            "holder_last_name": "Shah",
            "holder_email": "nadia@example.org",
            "consent_given": "on",
        },
    )

    person = PersonSupported.objects.get(last_name="Shah")
    assert response.status_code == 302 and response["Location"] == case.url("person", person.public_id)
    assert person.lead_professional == case.alice
    holder = person.consent_holders.get()
    assert holder.user.email == "nadia@example.org"
    assert AuditEvent.objects.filter(action="person.created", target_id=str(person.public_id)).exists()


def test_a_person_cannot_be_recorded_without_the_consent_holders_agreement(client, case):
    client.force_login(case.alice)
    response = client.post(reverse("brokerage:person-add"), {"first_name": "A", "relationship": "parent"})

    assert response.status_code == 200
    assert "<title>Error:" in response.content.decode()
    assert "consent holder&#x27;s agreement" in response.content.decode()


def test_consent_passes_to_the_young_person_at_the_consent_age(client, case, time_machine):
    time_machine.move_to("2032-05-14 10:00:00+01:00", tick=False)
    client.force_login(case.alice)
    response = client.post(
        case.url("person-handover"), {"first_name": "Tom", "last_name": "Walsh", "email": "tom@example.org"}
    )

    assert response.status_code == 302
    holder = case.person.consent_holders.get(ended_at__isnull=True)
    assert (holder.user.email, holder.relationship) == ("tom@example.org", ConsentHolder.Relationship.SELF)
    # From now on Tom sees his own record, and his mother no longer does.
    client.force_login(holder.user)
    assert client.get(case.url("person")).status_code == 200
    client.force_login(case.mother)
    assert client.get(case.url("person")).status_code == 404


def test_the_hand_over_is_refused_before_the_consent_age(client, case, time_machine):
    time_machine.move_to("2032-05-13 10:00:00+01:00", tick=False)
    client.force_login(case.alice)
    response = client.post(
        case.url("person-handover"), {"first_name": "Tom", "last_name": "Walsh", "email": "tom@example.org"}
    )

    assert response.status_code == 302
    assert case.person.consent_holders.get(ended_at__isnull=True).user == case.mother
