"""Hypothesis-generated submissions of the public forms and of the forms every signed-in user has.

Each form is read from its page as served (its fields, options and hidden values), then sent again and
again with generated values: text in any script, NUL characters, 10,000-character strings, wrong numbers
and dates, several values for one field, unknown fields and fields left out. The answer must never be a
server error, and a form shown again must carry a GOV.UK error summary. PostgreSQL only: it is the
database that refuses NUL characters and overlong values, which SQLite lets through.

Which forms, and why these: docs/testing.md ("Fuzzing") lists them with the forms left to their own tests.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.test import Client
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from hypothesis import HealthCheck, given, settings

from accounts.models import User
from accounts.roles import Role
from accounts.tests.factories import CouncilFactory, UserFactory, user_with_role
from providers.tests.factories import ProviderProfileFactory
from search.tests.oruk import Directory, directory
from tests.fuzz.forms import assert_answered_well, html_form, submissions

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]
# Each example renders a whole page; 20 per form (fewer if the profile says so) keeps the stage to a minute
# or two on two cores. HYPOTHESIS_PROFILE=dev runs them all at its own budget when you raise this.
EXAMPLES_PER_FORM = 20


@dataclass
class World:
    listed: Directory
    family: User
    provider: User
    anyone: User


@dataclass(frozen=True)
class Target:
    """A form: where it is, who fills it in, how it is sent, and a field that tells it from other forms."""

    name: str
    url: Callable[[World], str]
    method: str = "post"
    user: Callable[[World], User | None] = lambda world: None
    field: str | None = None


def _reset_link(world: World) -> str:
    user = User.objects.get(pk=world.anyone.pk)  # as it is now: a new password makes the old link useless
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return f"/account/password-reset/{uid}/{default_token_generator.make_token(user)}/"


TARGETS = [
    # Anyone, signed in or not.
    Target("find support (search and filters)", lambda w: "/search/", method="get", field="text"),
    Target("site search", lambda w: "/site-search/", method="get", field="q"),
    Target("sign in", lambda w: "/account/sign-in/", field="password"),
    Target("password reset request", lambda w: "/account/password-reset/", field="email"),
    Target("password reset: a new password", _reset_link),
    Target("provider registration: which kind", lambda w: "/providers/register/"),
    Target("provider registration: an organisation", lambda w: "/providers/register/organisation/"),
    # Every signed-in user.
    Target("your details", lambda w: "/account/details/", user=lambda w: w.anyone),
    Target("change your password", lambda w: "/account/password/", user=lambda w: w.anyone),
    # A family asking a provider.
    Target(
        "enquiry to a provider",
        lambda w: f"/enquiries/offers/{w.listed.swimming.public_id}/ask/",
        user=lambda w: w.family,
    ),
    # A provider listing an offer.
    Target("a provider's new offer", lambda w: "/providers/offers/new/", user=lambda w: w.provider),
    Target("a provider's profile", lambda w: "/providers/profile/", user=lambda w: w.provider),
]


@pytest.fixture
def world(db) -> World:  # type: ignore[no-untyped-def]
    listed = directory()
    council = CouncilFactory()
    profile = ProviderProfileFactory()
    return World(
        listed=listed,
        family=user_with_role(Role.FAMILY_MEMBER, council),
        provider=user_with_role(Role.PROVIDER_STAFF, profile.organisation),
        anyone=UserFactory(),
    )


def _client(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _send(client: Client, method: str, url: str, data: dict[str, Any]) -> Any:
    return client.get(url, data) if method == "get" else client.post(url, data)


@pytest.mark.parametrize("target", TARGETS, ids=[target.name for target in TARGETS])
def test_generated_submissions_are_answered_well(world, target):  # type: ignore[no-untyped-def]
    user = target.user(world)
    opening = _client(user).get(target.url(world), follow=True)
    assert opening.status_code == 200, f"{target.name}: {opening.status_code}"
    url = opening.redirect_chain[-1][0] if opening.redirect_chain else target.url(world)
    form = html_form(opening.content.decode(), method=target.method, field_name=target.field)

    @settings(
        max_examples=min(settings.default.max_examples, EXAMPLES_PER_FORM),
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        deadline=None,
    )
    @given(data=submissions(form))
    def sent(data: dict[str, Any]) -> None:
        client = _client(user)
        if url != target.url(world):  # the reset link keeps its token in the session
            client.get(target.url(world))
        response = _send(client, target.method, form.action or url, data)
        assert_answered_well(response, target.method)

    sent()


def test_the_form_reader_finds_every_field():  # type: ignore[no-untyped-def]
    page = """
      <form method="post" action="/x/"><input type="hidden" name="csrfmiddlewaretoken" value="t">
        <input name="a" value="1"><input type="radio" name="b" value="y"><input type="radio" name="b" value="n" checked>
        <select name="c"><option value="">Choose</option><option value="p" selected>P</option></select>
        <textarea name="d">hello</textarea><button type="submit" name="go">Go</button></form>"""
    form = html_form(page, method="post", action="/x/")
    assert set(form.fields) == {"csrfmiddlewaretoken", "a", "b", "c", "d"}
    assert (form.fields["b"].options, form.fields["b"].value) == (["y", "n"], "n")
    assert form.fields["c"].options == ["", "p"]
    assert form.fields["d"].value == "hello"
