import datetime

import pytest

from accounts.models import AuditEvent
from accounts.tests.factories import UserFactory
from brokerage.exceptions import BrokerageError
from brokerage.models import AccessGrant, BrokeragePolicy, ConsentHolder
from brokerage.services.consent import (
    access_grant,
    access_revoke,
    consent_handover,
    consent_handover_due,
    consent_holder,
    consent_holder_set,
    people_visible_to,
)
from brokerage.tests.factories import PersonSupportedFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def jonathan():
    """Jonathan turns 18 on 1 March 2027; his mother holds consent until then."""
    person = PersonSupportedFactory(first_name="Jonathan", date_of_birth=datetime.date(2009, 3, 1))
    mother = UserFactory()
    ConsentHolder.objects.create(person=person, user=mother, relationship=ConsentHolder.Relationship.PARENT)
    return person, mother


def test_consent_passes_to_the_young_person_at_the_configured_age(jonathan, time_machine):
    person, mother = jonathan
    time_machine.move_to("2027-02-28 12:00:00+00:00", tick=False)
    assert not consent_handover_due(person)
    with pytest.raises(BrokerageError, match="consent age"):
        consent_handover(person=person, young_person=UserFactory(), actor=UserFactory())

    time_machine.move_to("2027-03-01 09:00:00+00:00", tick=False)
    assert consent_handover_due(person)
    jonathan_user = UserFactory()
    consent_handover(person=person, young_person=jonathan_user, actor=UserFactory())

    holder = consent_holder(person)
    assert (holder.user, holder.relationship) == (jonathan_user, ConsentHolder.Relationship.SELF)
    previous = person.consent_holders.get(user=mother)
    assert previous.ended_at is not None
    assert AuditEvent.objects.filter(action="consent.holder_set", target_id=str(person.public_id)).exists()


def test_the_consent_age_is_a_council_setting(jonathan, time_machine):
    person, _ = jonathan
    BrokeragePolicy.objects.create(council=person.council, financial_year=2026, consent_age=16)
    time_machine.move_to("2026-06-01 12:00:00+00:00", tick=False)

    assert person.age_on(datetime.date(2026, 6, 1)) == 17
    assert consent_handover_due(person)


def test_a_parent_cannot_be_made_consent_holder_for_an_adult(jonathan, time_machine):
    person, _ = jonathan
    time_machine.move_to("2027-06-01 12:00:00+00:00", tick=False)

    with pytest.raises(BrokerageError, match="gives consent themselves"):
        consent_holder_set(
            person=person, user=UserFactory(), relationship="parent", actor=UserFactory(), reason="Mistake"
        )


def test_only_the_consent_holder_can_agree_to_share_and_the_grantee_then_sees_the_person(jonathan):
    person, mother = jonathan
    broker = UserFactory()
    assert person not in people_visible_to(broker)

    with pytest.raises(BrokerageError, match="holds consent"):
        access_grant(person=person, grantee=broker, consent_from=UserFactory(), recorded_by=broker, scope="read")
    access_grant(person=person, grantee=broker, consent_from=mother, recorded_by=broker, scope="read")

    assert person in people_visible_to(broker)
    assert person in people_visible_to(mother)


def test_revoking_access_takes_effect_at_once(jonathan):
    person, mother = jonathan
    broker = UserFactory()
    grant = access_grant(person=person, grantee=broker, consent_from=mother, recorded_by=mother, scope="act")

    access_revoke(grant=grant, actor=mother, reason="Changed broker")

    assert person not in people_visible_to(broker)


def test_an_expired_grant_gives_no_access(jonathan):
    person, mother = jonathan
    broker = UserFactory()
    AccessGrant.objects.create(
        person=person, grantee=broker, consent_from=mother, scope="read", until=datetime.date(2026, 1, 31)
    )

    assert person not in people_visible_to(broker, day=datetime.date(2026, 2, 1))
    assert person in people_visible_to(broker, day=datetime.date(2026, 1, 31))
