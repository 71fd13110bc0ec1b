"""A council administrator invites users, lists and exports them.

Alice administers Coventry. Erin is invited as a new user; Dave already has an account.
"""

import csv
import io
import re
from urllib.parse import urlparse

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import AuditEvent, Membership, User
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
def signed_in(client, alice):
    client.force_login(alice)
    return client


def invite(client, **fields):  # type: ignore[no-untyped-def]
    data = {"email": "erin@example.org", "first_name": "Erin", "last_name": "Evans", **fields}
    return client.post(reverse("accounts:manage-user-invite"), data)


def read_csv(response) -> list[list[str]]:
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_invited_user_gets_an_account_without_a_password_and_a_role(
    signed_in, alice, coventry, acme, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = invite(signed_in, organisation=acme.public_id, role=Role.PROVIDER_STAFF)

    erin = User.objects.get(email="erin@example.org")
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:manage-user", args=[erin.public_id])
    assert (erin.first_name, erin.last_name, erin.has_usable_password()) == ("Erin", "Evans", False)
    assert list(erin.memberships.values_list("organisation__name", "role", "is_active")) == [
        ("Acme Care", "provider_staff", True)
    ]
    actions = set(AuditEvent.objects.filter(council=coventry, actor=alice).values_list("action", flat=True))
    assert actions == {"user.invited", "membership.created"}


def test_invitation_link_lets_the_user_choose_a_password_and_sign_in(
    signed_in, acme, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invite(signed_in, organisation=acme.public_id, role=Role.PROVIDER_STAFF)
    signed_in.logout()

    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["erin@example.org"]
    assert "Coventry City Council" in email.subject
    assert "provider staff at Acme Care" in email.body
    link = re.search(r"http://testserver(/account/password-reset/\S+/)", email.body).group(1)
    choose_page = signed_in.get(link, follow=True)
    set_password_url = urlparse(choose_page.redirect_chain[-1][0]).path
    chosen = signed_in.post(
        set_password_url, {"new_password1": "a sturdy new passphrase", "new_password2": "a sturdy new passphrase"}
    )
    signed_in_response = signed_in.post(
        reverse("accounts:sign-in"), {"username": "erin@example.org", "password": "a sturdy new passphrase"}
    )

    assert choose_page.status_code == 200
    assert chosen.status_code == 302
    assert chosen["Location"] == reverse("accounts:password-reset-complete")
    assert signed_in_response.status_code == 302
    assert signed_in_response["Location"] == reverse("accounts:dashboard")


def test_inviting_an_existing_email_adds_the_role_to_that_account(
    signed_in, coventry, acme, django_capture_on_commit_callbacks
):
    dave = user_with_role(Role.FAMILY_MEMBER, coventry, email="dave@example.org", first_name="Dave")

    with django_capture_on_commit_callbacks(execute=True):
        response = invite(
            signed_in, email="Dave@Example.org", first_name="David", organisation=acme.public_id, role="provider_staff"
        )

    assert response.status_code == 302
    assert User.objects.filter(email__iexact="dave@example.org").count() == 1
    dave.refresh_from_db()
    assert dave.first_name == "Dave"
    assert dave.has_usable_password()
    assert set(dave.memberships.values_list("role", flat=True)) == {"family_member", "provider_staff"}
    assert len(mail.outbox) == 1
    assert "password-reset" not in mail.outbox[0].body
    assert "provider staff at Acme Care" in mail.outbox[0].body
    assert not AuditEvent.objects.filter(action="user.invited").exists()


def test_role_the_organisation_cannot_hold_is_refused_with_an_error_summary(signed_in, acme):
    response = invite(signed_in, organisation=acme.public_id, role=Role.COMMISSIONER)

    page = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: Invite a user" in page
    assert "govuk-error-summary" in page
    assert "Acme Care is a provider organisation, which cannot have the role commissioner" in page
    assert 'value="erin@example.org"' in page
    assert not User.objects.filter(email="erin@example.org").exists()
    assert not AuditEvent.objects.exists()
    assert mail.outbox == []


def test_inviting_into_another_councils_organisation_is_refused(signed_in):
    elsewhere = OrganisationFactory(name="Far Away Homecare", council=CouncilFactory(name="Warwickshire"))

    response = invite(signed_in, organisation=elsewhere.public_id, role=Role.PROVIDER_STAFF)

    assert "Choose one of your council&#x27;s organisations" in response.content.decode()
    assert not User.objects.filter(email="erin@example.org").exists()


def test_giving_someone_a_role_they_already_hold_is_refused(signed_in, acme):
    MembershipFactory(organisation=acme, role=Role.PROVIDER_STAFF, user__email="erin@example.org")

    response = invite(signed_in, organisation=acme.public_id, role=Role.PROVIDER_STAFF)

    assert "is already provider staff at Acme Care" in response.content.decode()
    assert Membership.objects.filter(user__email="erin@example.org").count() == 1


def test_invite_form_can_start_with_an_organisation_chosen(signed_in, acme):
    page = signed_in.get(reverse("accounts:manage-user-invite"), {"organisation": acme.public_id}).content.decode()

    assert f'<option value="{acme.public_id}" selected>' in page


def test_invitation_can_be_sent_again_while_no_password_is_chosen(signed_in, acme, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invite(signed_in, organisation=acme.public_id, role=Role.PROVIDER_STAFF)
    erin = User.objects.get(email="erin@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        signed_in.post(reverse("accounts:manage-user-resend-invitation", args=[erin.public_id]))

    assert len(mail.outbox) == 2
    assert "/account/password-reset/" in mail.outbox[1].body
    assert AuditEvent.objects.filter(action="user.invitation_resent", target_id=str(erin.public_id)).exists()


def test_invitation_is_not_sent_again_to_someone_who_has_a_password(
    signed_in, acme, django_capture_on_commit_callbacks
):
    dave = user_with_role(Role.PROVIDER_STAFF, acme)

    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in.post(reverse("accounts:manage-user-resend-invitation", args=[dave.public_id]), follow=True)

    assert "has already chosen a password" in response.content.decode()
    assert mail.outbox == []


def test_user_list_filters_by_role_and_organisation_on_the_same_membership(signed_in, coventry, acme):
    brokers = OrganisationFactory(name="Acme Brokers", kind=OrganisationKind.BROKER, council=coventry)
    dave = user_with_role(Role.PROVIDER_STAFF, acme, first_name="Dave")
    frank = user_with_role(Role.BROKER, brokers, first_name="Frank")
    MembershipFactory(user=frank, organisation=OrganisationFactory(council=coventry), role=Role.PROVIDER_STAFF)

    by_both = signed_in.get(
        reverse("accounts:manage-users"), {"role": "provider_staff", "organisation": acme.public_id}
    )
    by_role = signed_in.get(reverse("accounts:manage-users"), {"role": "provider_staff"})

    assert list(by_both.context["page_obj"]) == [dave]
    assert set(by_role.context["page_obj"]) == {dave, frank}


def test_user_list_searches_names_and_email_addresses(signed_in, acme):
    dave = user_with_role(Role.PROVIDER_STAFF, acme, first_name="Dave", last_name="Jones", email="dj@acme.example")
    user_with_role(Role.PROVIDER_STAFF, acme, first_name="Gina", last_name="Smith", email="gs@acme.example")

    by_name = signed_in.get(reverse("accounts:manage-users"), {"q": "dave jones"})
    by_email = signed_in.get(reverse("accounts:manage-users"), {"q": "DJ@acme"})

    assert list(by_name.context["page_obj"]) == [dave]
    assert list(by_email.context["page_obj"]) == [dave]


def test_user_list_shows_users_of_this_council_only(signed_in, alice, acme):
    dave = user_with_role(Role.PROVIDER_STAFF, acme)
    outsider = user_with_role(Role.COUNCIL_ADMIN, CouncilFactory(name="Warwickshire"))

    response = signed_in.get(reverse("accounts:manage-users"))

    assert set(response.context["page_obj"]) == {alice, dave}
    assert outsider.email not in response.content.decode()


def test_users_csv_lists_roles_within_this_council_only(signed_in, coventry, acme):
    dave = user_with_role(Role.PROVIDER_STAFF, acme, first_name="Dave", last_name="Jones", email="dj@acme.example")
    MembershipFactory(user=dave, organisation=coventry, role=Role.FAMILY_MEMBER, is_active=False)
    MembershipFactory(
        user=dave, organisation=OrganisationFactory(name="Far Away", council=CouncilFactory()), role="provider_staff"
    )

    rows = read_csv(signed_in.get(reverse("accounts:manage-users-csv"), {"q": "dj@"}))

    assert rows[0] == ["Name", "Email", "Roles in your council", "Account", "Last signed in"]
    assert rows[1:] == [
        [
            "Dave Jones",
            "dj@acme.example",
            "Provider staff at Acme Care; Family member (budget holder) at Coventry City Council (ended)",
            "Has signed up",
            "",
        ]
    ]


def test_users_csv_of_another_role_filter_leaves_others_out(signed_in, acme):
    user_with_role(Role.PROVIDER_STAFF, acme, email="dj@acme.example")

    rows = read_csv(signed_in.get(reverse("accounts:manage-users-csv"), {"role": Role.COUNCIL_ADMIN}))

    assert [row[1] for row in rows[1:]] == [User.objects.get(memberships__role=Role.COUNCIL_ADMIN).email]
