import re

import pytest
from django.core import mail

from accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _link_from(message: str) -> str:
    match = re.search(r"http://testserver(/account/password-reset/[^\s]+/)", message)
    assert match, message
    return match.group(1)


def test_reset_link_is_emailed_and_sets_a_new_password(client):
    UserFactory(email="alice@example.org")

    response = client.post("/account/password-reset/", {"email": "alice@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = _link_from(mail.outbox[0].body)

    form_page = client.get(link, follow=True)
    assert "Choose a new password" in form_page.content.decode()
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "a-brand-new-passphrase", "new_password2": "a-brand-new-passphrase"},
    )

    assert done.status_code == 302
    signed_in = client.post(
        "/account/sign-in/", {"username": "alice@example.org", "password": "a-brand-new-passphrase"}
    )
    assert signed_in.status_code == 302


def test_reset_for_an_unknown_address_reveals_nothing(client):
    response = client.post("/account/password-reset/", {"email": "nobody@example.org"}, follow=True)

    assert "Check your email" in response.content.decode()
    assert mail.outbox == []


def test_a_weak_new_password_is_refused_with_an_error(client):
    UserFactory(email="bob@example.org")
    client.post("/account/password-reset/", {"email": "bob@example.org"})
    form_page = client.get(_link_from(mail.outbox[0].body), follow=True)

    response = client.post(form_page.redirect_chain[-1][0], {"new_password1": "password", "new_password2": "password"})

    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()


def test_a_used_or_forged_link_says_it_has_expired(client):
    response = client.get("/account/password-reset/MQ/forged-token/", follow=True)

    assert "This link has expired" in response.content.decode()


def test_signed_in_user_can_change_their_password(client):
    user = UserFactory(email="carol@example.org")
    client.force_login(user)

    response = client.post(
        "/account/password/",
        {
            "old_password": "correct-horse-battery",
            "new_password1": "another-long-passphrase",
            "new_password2": "another-long-passphrase",
        },
    )

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("another-long-passphrase")
