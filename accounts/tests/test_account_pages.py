import pytest

from accounts.models import Membership
from accounts.roles import Role
from accounts.tests.factories import CouncilFactory, MembershipFactory, NotificationFactory, UserFactory, user_with_role

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/account/", "/account/details/", "/account/password/", "/account/notifications/"])
def test_account_pages_need_sign_in(access, url):
    access.sign_in_required(url)


def test_dashboard_says_which_role_and_organisation_the_user_acts_for(client):
    coventry = CouncilFactory(name="Coventry City Council")
    client.force_login(user_with_role(Role.COMMISSIONER, coventry))

    html = client.get("/account/").content.decode()

    assert "commissioner" in html
    assert "Coventry City Council" in html


def test_user_with_two_roles_can_switch_the_role_they_act_in(client):
    coventry = CouncilFactory()
    alice = user_with_role(Role.QA_OFFICER, coventry)
    finance = MembershipFactory(user=alice, organisation=coventry, role=Role.FINANCE_OFFICER)
    client.force_login(alice)

    response = client.post("/account/acting-as/", {"membership": str(finance.public_id)}, follow=True)

    assert response.context["acting"] == finance


def test_user_cannot_switch_to_someone_elses_membership(client):
    alice = user_with_role(Role.QA_OFFICER)
    bobs = Membership.objects.get(user=user_with_role(Role.FINANCE_OFFICER))
    client.force_login(alice)

    response = client.post("/account/acting-as/", {"membership": str(bobs.public_id)})

    assert response.status_code == 404


def test_profile_refuses_an_invalid_mobile_number_and_keeps_what_was_typed(client):
    user = UserFactory(first_name="Alice")
    client.force_login(user)

    response = client.post(
        "/account/details/",
        {"first_name": "Alicia", "last_name": "Smith", "phone_number": "12345", "prefers_sms": "on"},
    )

    html = response.content.decode()
    assert "Enter a UK mobile number" in html
    assert 'value="Alicia"' in html
    user.refresh_from_db()
    assert user.first_name == "Alice"


def test_profile_saves_a_valid_mobile_number_in_a_standard_form(client):
    user = UserFactory()
    client.force_login(user)

    client.post(
        "/account/details/",
        {"first_name": "A", "last_name": "B", "phone_number": "+44 7700 900982", "prefers_sms": "on"},
    )

    user.refresh_from_db()
    assert user.phone_number == "+447700900982"
    assert user.prefers_sms


def test_notifications_list_shows_only_the_users_own(client):
    alice, bob = UserFactory(), UserFactory()
    NotificationFactory(recipient=alice, subject="Your plan was approved")
    NotificationFactory(recipient=bob, subject="Invoice waiting for you")
    client.force_login(alice)

    html = client.get("/account/notifications/").content.decode()

    assert "Your plan was approved" in html
    assert "Invoice waiting for you" not in html


def test_opening_a_notification_marks_it_read_and_follows_its_link(client):
    alice = UserFactory()
    notification = NotificationFactory(recipient=alice, link="/account/details/")
    client.force_login(alice)

    response = client.get(f"/account/notifications/{notification.public_id}/")

    assert response["Location"] == "/account/details/"
    notification.refresh_from_db()
    assert notification.is_read


def test_another_users_notification_answers_404(access):
    notification = NotificationFactory()

    access.not_found(UserFactory(), f"/account/notifications/{notification.public_id}/")


def test_mark_all_read_touches_only_the_users_own(client):
    alice, bob = UserFactory(), UserFactory()
    NotificationFactory.create_batch(2, recipient=alice)
    bobs = NotificationFactory(recipient=bob)
    client.force_login(alice)

    client.post("/account/notifications/read-all/")

    assert alice.notifications.unread().count() == 0
    bobs.refresh_from_db()
    assert not bobs.is_read


def test_unread_count_appears_in_the_navigation(client):
    alice = UserFactory()
    NotificationFactory.create_batch(3, recipient=alice)
    client.force_login(alice)

    html = client.get("/account/").content.decode()

    assert '3<span class="govuk-visually-hidden"> unread</span>' in html
