"""A council administrator adds, ends and reactivates roles, with a reason kept in the history.

Alice and Bob both administer Coventry; Dave is staff at Acme Care, a Coventry provider.
"""

import threading
import time

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.urls import reverse

from accounts import services
from accounts.models import AuditEvent, Membership
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
    return user_with_role(Role.COUNCIL_ADMIN, coventry, first_name="Alice", last_name="Admin")


@pytest.fixture
def bob(coventry):
    return user_with_role(Role.COUNCIL_ADMIN, coventry, first_name="Bob", last_name="Admin")


@pytest.fixture
def dave(acme):
    return user_with_role(Role.PROVIDER_STAFF, acme, first_name="Dave", last_name="Jones")


@pytest.fixture
def signed_in(client, alice):
    client.force_login(alice)
    return client


def end_url(membership: Membership) -> str:
    return reverse("accounts:manage-membership-end", args=[membership.public_id])


def test_ending_a_role_keeps_the_account_and_records_the_reason(signed_in, alice, coventry, dave):
    membership = dave.memberships.get()

    response = signed_in.post(end_url(membership), {"reason": "Left Acme in March"})

    membership.refresh_from_db()
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:manage-user", args=[dave.public_id])
    assert not membership.is_active
    assert membership.ended_at is not None
    dave.refresh_from_db()
    assert dave.is_active
    event = AuditEvent.objects.get(action="membership.ended")
    assert (event.council, event.actor, event.reason) == (coventry, alice, "Left Acme in March")
    assert event.summary == "Ended Dave Jones's role as provider staff at Acme Care"


def test_ending_a_role_needs_a_reason(signed_in, dave):
    membership = dave.memberships.get()

    response = signed_in.post(end_url(membership), {"reason": "  "})

    page = response.content.decode()
    membership.refresh_from_db()
    assert "<title>Error: End this role" in page
    assert "Enter why you are ending this role" in page
    assert membership.is_active
    assert not AuditEvent.objects.exists()


def test_an_ended_role_no_longer_lets_the_user_in(client, signed_in, dave):
    signed_in.post(end_url(dave.memberships.get()), {"reason": "Left Acme"})
    client.force_login(dave)

    assert client.get(reverse("accounts:dashboard")).context["acting"] is None


def test_administrator_cannot_end_their_own_administrator_role(signed_in, alice, bob):
    own = alice.memberships.get()

    response = signed_in.post(end_url(own), {"reason": "Moving on"})

    own.refresh_from_db()
    assert own.is_active
    assert "You cannot end your own council administrator role" in response.content.decode()
    assert "<title>Error: " in response.content.decode()
    assert not AuditEvent.objects.exists()


def test_own_administrator_role_offers_no_end_link(signed_in, alice):
    page = signed_in.get(reverse("accounts:manage-user", args=[alice.public_id])).content.decode()

    assert end_url(alice.memberships.get()) not in page
    assert "another administrator must end it" in page


def test_administrator_can_end_another_administrators_role(signed_in, bob):
    bobs = bob.memberships.get()

    signed_in.post(end_url(bobs), {"reason": "Changed team"})

    bobs.refresh_from_db()
    assert not bobs.is_active


def test_administrator_whose_own_role_has_just_ended_is_refused(alice, bob, coventry):
    # What the lock serialises: Bob ended Alice's role a moment ago, so she cannot now end his and
    # leave Coventry with no administrator.
    services.membership_end(actor=bob, council=coventry, membership=alice.memberships.get(), reason="Left")

    with pytest.raises(ValidationError, match="Your council administrator role has ended"):
        services.membership_end(actor=alice, council=coventry, membership=bob.memberships.get(), reason="Left")

    assert bob.memberships.get().is_active


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_administrators_ending_each_others_roles_at_once_leave_one(alice, bob, coventry):
    # Given Alice is part-way through ending Bob's role (her transaction holds the council's lock)
    alice_has_locked = threading.Event()
    outcomes: dict[str, str] = {}

    def alice_ends_bob() -> None:
        try:
            with transaction.atomic():
                services.membership_end(actor=alice, council=coventry, membership=bob.memberships.get(), reason="x")
                alice_has_locked.set()
                time.sleep(0.5)  # Bob's request arrives while this transaction is open
            outcomes["alice"] = "ended"
        finally:
            alice_has_locked.set()
            connection.close()

    def bob_ends_alice() -> None:
        alice_has_locked.wait(timeout=10)
        try:
            services.membership_end(actor=bob, council=coventry, membership=alice.memberships.get(), reason="y")
            outcomes["bob"] = "ended"
        except ValidationError as error:
            outcomes["bob"] = error.messages[0]
        finally:
            connection.close()

    # When Bob tries to end Alice's role at the same moment
    threads = [threading.Thread(target=alice_ends_bob), threading.Thread(target=bob_ends_alice)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=15)

    # Then Bob waits for Alice's lock, finds he is no longer an administrator, and Alice remains one
    assert outcomes == {
        "alice": "ended",
        "bob": "Your council administrator role has ended, so you cannot make this change",
    }
    assert list(Membership.objects.filter(role=Role.COUNCIL_ADMIN, is_active=True)) == [alice.memberships.get()]


def test_ending_a_role_that_has_already_ended_is_refused(signed_in, dave):
    membership = dave.memberships.get()
    signed_in.post(end_url(membership), {"reason": "Left"})

    response = signed_in.post(end_url(membership), {"reason": "Left again"})

    assert "This role has already ended" in response.content.decode()
    assert AuditEvent.objects.filter(action="membership.ended").count() == 1


def test_reactivating_a_role_records_the_reason_and_tells_the_user(
    signed_in, coventry, dave, django_capture_on_commit_callbacks
):
    membership = dave.memberships.get()
    signed_in.post(end_url(membership), {"reason": "On leave"})

    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in.post(
            reverse("accounts:manage-membership-reactivate", args=[membership.public_id]), {"reason": "Back from leave"}
        )

    membership.refresh_from_db()
    assert response.status_code == 302
    assert (membership.is_active, membership.ended_at) == (True, None)
    event = AuditEvent.objects.get(action="membership.reactivated")
    assert (event.council, event.reason) == (coventry, "Back from leave")
    assert mail.outbox[0].to == [dave.email]


def test_reactivating_an_active_role_is_refused(signed_in, dave):
    membership = dave.memberships.get()

    response = signed_in.post(
        reverse("accounts:manage-membership-reactivate", args=[membership.public_id]), {"reason": "Just in case"}
    )

    assert "This role is already active" in response.content.decode()
    assert not AuditEvent.objects.exists()


def test_adding_a_role_to_an_existing_user(signed_in, alice, coventry, dave, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in.post(
            reverse("accounts:manage-user-add-role", args=[dave.public_id]),
            {"organisation": coventry.public_id, "role": Role.PERSONAL_ASSISTANT},
        )

    assert response.status_code == 302
    assert set(dave.memberships.values_list("role", flat=True)) == {"provider_staff", "personal_assistant"}
    event = AuditEvent.objects.get(action="membership.created")
    assert (event.council, event.actor) == (coventry, alice)
    assert "personal assistant at Coventry City Council" in mail.outbox[0].body


def test_adding_a_role_the_organisation_cannot_hold_is_refused(signed_in, acme, dave):
    response = signed_in.post(
        reverse("accounts:manage-user-add-role", args=[dave.public_id]),
        {"organisation": acme.public_id, "role": Role.BROKER},
    )

    page = response.content.decode()
    assert "<title>Error: " in page
    assert "cannot have the role broker. Choose provider staff" in page
    assert dave.memberships.count() == 1


def test_adding_a_role_that_ended_points_to_reactivation(signed_in, dave, acme):
    MembershipFactory(user=dave, organisation=acme.council, role=Role.FAMILY_MEMBER, is_active=False)

    response = signed_in.post(
        reverse("accounts:manage-user-add-role", args=[dave.public_id]),
        {"organisation": acme.council.public_id, "role": Role.FAMILY_MEMBER},
    )

    assert "Reactivate that role from their page" in response.content.decode()


def test_user_page_shows_the_history_of_their_roles_in_this_council(signed_in, dave):
    signed_in.post(end_url(dave.memberships.get()), {"reason": "Left Acme in March"})

    page = signed_in.get(reverse("accounts:manage-user", args=[dave.public_id])).content.decode()

    assert "Ended Dave Jones&#x27;s role as provider staff at Acme Care" in page
    assert "Left Acme in March" in page
    assert "Ended" in page


def test_services_refuse_an_organisation_outside_the_council(alice, coventry, dave):
    elsewhere = OrganisationFactory(council=CouncilFactory(name="Warwickshire"))

    with pytest.raises(PermissionDenied, match="is not looked after by Coventry"):
        services.membership_add(
            actor=alice, council=coventry, user=dave, organisation=elsewhere, role=Role.PROVIDER_STAFF
        )

    assert dave.memberships.count() == 1
