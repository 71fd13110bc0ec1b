"""The package builder's page starts from the broker's own shortlist and the one the family shared with
them; a shortlist shared by someone else's family is not offered."""

import pytest
from django.urls import reverse

from accounts.models import Membership
from accounts.roles import Role
from accounts.tests.factories import user_with_role
from brokerage.tests.test_package_builder import built, listing  # noqa: F401  (the fixture)
from brokerage.tests.test_views_people import case  # noqa: F401  (the fixture)
from marketplace.services.shortlists import shortlist_offer_add, shortlist_share

pytestmark = pytest.mark.django_db


def test_the_builder_offers_the_brokers_shortlist_and_the_familys_shared_one(client, built):  # noqa: F811
    shortlist_offer_add(owner=built.bea, offer=built.club)
    shortlist_offer_add(owner=built.case.mother, offer=built.pa)
    bea_membership = Membership.objects.get(user=built.bea)
    shortlist_share(owner=built.case.mother, recipient_membership=bea_membership)
    stranger = user_with_role(Role.FAMILY_MEMBER, built.case.council)
    shortlist_offer_add(owner=stranger, offer=listing(name="Someone else's find"))
    shortlist_share(owner=stranger, recipient_membership=bea_membership)

    client.force_login(built.bea)
    page = client.get(reverse("marketplace:package", args=[built.plan.public_id])).content.decode()
    assert "Your shortlist" in page and "Saturday club" in page
    assert f"Shared by {built.case.mother}" in page and "PA support at home" in page
    assert "Someone else&#x27;s find" not in page and "Someone else's find" not in page
    add_url = reverse("marketplace:package-add", args=[built.plan.public_id]) + f"?offer={built.pa.public_id}"
    assert add_url in page


def test_an_offer_reference_that_is_not_published_answers_404(client, built):  # noqa: F811
    client.force_login(built.bea)
    url = reverse("marketplace:package-add", args=[built.plan.public_id])
    assert client.get(url + f"?offer={built.plan.public_id}").status_code == 404
    assert client.get(url + "?offer=not-a-reference").status_code == 302
