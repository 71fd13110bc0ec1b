"""Who may use the council administration pages, and whose records they reach.

Alice administers Coventry; Bob administers Warwickshire and must get 404 for Coventry's records;
Charlie (a Coventry commissioner) and Dave (staff at a Coventry provider) must get 403 everywhere.
"""

import pytest
from django.urls import reverse

from accounts.roles import OrganisationKind, Role
from accounts.tests.factories import CouncilFactory, MembershipFactory, OrganisationFactory, user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def coventry():
    return CouncilFactory(name="Coventry City Council")


@pytest.fixture
def acme(coventry):
    return OrganisationFactory(name="Acme Care", kind=OrganisationKind.PROVIDER, council=coventry)


@pytest.fixture
def alice(coventry):
    return user_with_role(Role.COUNCIL_ADMIN, coventry, first_name="Alice", email="alice@coventry.example")


@pytest.fixture
def bob():
    return user_with_role(Role.COUNCIL_ADMIN, CouncilFactory(name="Warwickshire County Council"), first_name="Bob")


@pytest.fixture
def charlie(coventry):
    return user_with_role(Role.COMMISSIONER, coventry, first_name="Charlie")


@pytest.fixture
def dave(acme):
    return user_with_role(Role.PROVIDER_STAFF, acme, first_name="Dave")


@pytest.fixture
def dave_membership(dave):
    return dave.memberships.get()


def list_urls() -> list[str]:
    return [
        reverse("accounts:manage-organisations"),
        reverse("accounts:manage-organisations-csv"),
        reverse("accounts:manage-organisation-create"),
        reverse("accounts:manage-users"),
        reverse("accounts:manage-users-csv"),
        reverse("accounts:manage-user-invite"),
    ]


def object_urls(acme, dave, dave_membership) -> list[str]:
    return [
        reverse("accounts:manage-organisation", args=[acme.public_id]),
        reverse("accounts:manage-organisation-edit", args=[acme.public_id]),
        reverse("accounts:manage-user", args=[dave.public_id]),
        reverse("accounts:manage-user-add-role", args=[dave.public_id]),
        reverse("accounts:manage-membership-end", args=[dave_membership.public_id]),
        reverse("accounts:manage-membership-reactivate", args=[dave_membership.public_id]),
    ]


def test_council_administrator_can_open_every_page(access, alice, acme, dave, dave_membership):
    dave_membership.is_active = False
    dave_membership.save()
    for url in list_urls() + object_urls(acme, dave, dave_membership):
        access.ok(alice, url)


def test_anonymous_visitors_are_sent_to_sign_in(access, acme, dave, dave_membership):
    urls = list_urls() + object_urls(acme, dave, dave_membership)
    urls.append(reverse("accounts:manage-user-resend-invitation", args=[dave.public_id]))
    for url in urls:
        access.sign_in_required(url)
        access.sign_in_required(url, method="post")


@pytest.mark.parametrize("who", ["charlie", "dave"])
def test_other_roles_are_refused_every_page(request, access, who, acme, dave, dave_membership):
    user = request.getfixturevalue(who)
    urls = list_urls() + object_urls(acme, dave, dave_membership)
    urls.append(reverse("accounts:manage-user-resend-invitation", args=[dave.public_id]))
    for url in urls:
        access.forbidden(user, url)
        access.forbidden(user, url, method="post")


def test_another_councils_administrator_gets_not_found_for_its_records(access, bob, acme, dave, dave_membership):
    urls = object_urls(acme, dave, dave_membership)
    urls.append(reverse("accounts:manage-user-resend-invitation", args=[dave.public_id]))
    for url in urls:
        if not url.endswith("resend-invitation/"):
            access.not_found(bob, url)
        access.not_found(bob, url, method="post")


def test_another_councils_administrator_cannot_open_the_council_itself(access, bob, coventry):
    access.not_found(bob, reverse("accounts:manage-organisation", args=[coventry.public_id]))
    access.not_found(bob, reverse("accounts:manage-organisation-edit", args=[coventry.public_id]), method="post")


def test_posting_to_another_councils_records_changes_nothing(client, bob, acme, dave_membership):
    client.force_login(bob)

    client.post(
        reverse("accounts:manage-membership-end", args=[dave_membership.public_id]), {"reason": "Trying my luck"}
    )
    client.post(
        reverse("accounts:manage-organisation-edit", args=[acme.public_id]),
        {"name": "Renamed", "is_active": ""},
    )

    dave_membership.refresh_from_db()
    acme.refresh_from_db()
    assert dave_membership.is_active
    assert (acme.name, acme.is_active) == ("Acme Care", True)


def test_another_councils_lists_do_not_show_this_councils_records(client, bob, acme, dave):
    client.force_login(bob)

    organisations = client.get(reverse("accounts:manage-organisations")).content.decode()
    users = client.get(reverse("accounts:manage-users")).content.decode()

    assert "Acme Care" not in organisations
    assert dave.email not in users


def test_user_page_shows_only_roles_within_the_council(client, alice, bob, dave):
    warwickshire = bob.memberships.get().organisation
    elsewhere = OrganisationFactory(name="Far Away Homecare", council=warwickshire)
    MembershipFactory(user=dave, organisation=elsewhere, role=Role.PROVIDER_STAFF)
    client.force_login(alice)

    page = client.get(reverse("accounts:manage-user", args=[dave.public_id])).content.decode()

    assert "Acme Care" in page
    assert "Far Away Homecare" not in page


def test_a_user_only_in_another_council_is_not_found(access, alice, bob):
    access.not_found(alice, reverse("accounts:manage-user", args=[bob.public_id]))


def test_navigation_offers_administration_only_to_administrators(client, alice, charlie):
    client.force_login(alice)
    admin_page = client.get(reverse("accounts:dashboard")).content.decode()
    client.force_login(charlie)
    commissioner_page = client.get(reverse("accounts:dashboard")).content.decode()

    assert reverse("accounts:manage-organisations") in admin_page
    assert reverse("accounts:manage-users") in admin_page
    assert reverse("accounts:manage-organisations") not in commissioner_page
    assert reverse("accounts:manage-users") not in commissioner_page
