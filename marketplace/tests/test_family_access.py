"""Who may use the family workspace: the consent holder only.

Alice holds consent for Tom; Charlie is another family's parent; Lena is Tom's lead professional (she
uses the casework pages, not these); Pat works for a provider. After hand-over, Tom's own account sees
his record and Alice's no longer does.
"""

import datetime

import pytest
from django.urls import reverse

from accounts.roles import Role
from brokerage.models import ConsentHolder
from brokerage.services.consent import consent_holder_set
from marketplace.tests.order_factories import family, member, provider

pytestmark = pytest.mark.django_db

PAGES = ("my-person", "my-budget", "my-plan", "my-support", "my-help")


def urls_for(person) -> list[str]:  # type: ignore[no-untyped-def]
    return [reverse(f"marketplace:{name}", args=[person.public_id]) for name in PAGES]


def test_the_consent_holder_sees_every_page_of_the_workspace(access):
    tom = family()

    for url in urls_for(tom.person):
        access.ok(tom.parent, url)


def test_with_one_person_the_home_goes_straight_to_their_page(client):
    tom = family()
    client.force_login(tom.parent)

    response = client.get(reverse("marketplace:my-home"))

    assert response.status_code == 302
    assert response["Location"] == reverse("marketplace:my-person", args=[tom.person.public_id])


def test_with_two_people_the_home_shows_a_card_for_each(client):
    tom = family()
    sister = family(council=tom.council)
    ConsentHolder.objects.filter(person=sister.person).update(user=tom.parent)
    client.force_login(tom.parent)

    response = client.get(reverse("marketplace:my-home"))

    assert response.status_code == 200
    assert [person for person, _ in response.context["cards"]] == sorted(
        [tom.person, sister.person], key=lambda person: (person.first_name, person.last_name, person.pk)
    )


def test_another_familys_person_is_not_found_on_every_page(access):
    tom = family()
    charlie = member(Role.FAMILY_MEMBER, tom.council)

    for url in urls_for(tom.person):
        access.not_found(charlie, url)


def test_other_roles_may_not_use_the_workspace(access):
    tom = family()
    pat = provider().staff

    access.forbidden(tom.lead_professional, reverse("marketplace:my-home"))
    for url in urls_for(tom.person):
        access.forbidden(pat, url)
        access.forbidden(tom.lead_professional, url)


def test_signing_in_is_required(access):
    tom = family()

    access.sign_in_required(reverse("marketplace:my-home"))
    access.sign_in_required(urls_for(tom.person)[0])


def test_after_hand_over_the_young_person_sees_the_record_and_the_parent_no_longer_does(access):
    tom = family()
    young_tom = member(Role.YOUNG_PERSON, tom.council, first_name="Tom")
    tom.person.date_of_birth = datetime.date(2006, 1, 1)
    tom.person.save(update_fields=["date_of_birth"])
    consent_holder_set(
        person=tom.person,
        user=young_tom,
        relationship=ConsentHolder.Relationship.SELF,
        actor=tom.lead_professional,
        reason="Tom reached the consent age",
    )

    for url in urls_for(tom.person):
        access.ok(young_tom, url)
        access.not_found(tom.parent, url)
