"""One request of the matrix: a role, a side, a URL; the answer in the table's words."""

from django.test import Client
from django.urls import reverse

from tests.access_matrix.patterns import Pattern
from tests.access_matrix.spec import Entry
from tests.access_matrix.world import MISSING, World

SIGN_IN = "/account/sign-in/"
# What an unknown integer id becomes (years, row numbers, question orders).
MISSING_INT = 987654


def url_for(world: World, pattern: Pattern, entry: Entry) -> str:
    kwargs = world.kwargs(entry.kwargs)
    for name, value in kwargs.items():
        if value is MISSING and pattern.converters.get(name) == "IntConverter":
            kwargs[name] = MISSING_INT
    positional = [kwargs.pop(name) for name in sorted(kwargs) if name.isdigit()]
    return reverse(pattern.name, args=positional) if positional else reverse(pattern.name, kwargs=kwargs)


def observe(world: World, url: str, entry: Entry, role: str, side: str) -> str:
    client = Client(raise_request_exception=False)
    user = world.user(role, side)
    if user is not None:
        client.force_login(user)
    response = client.post(url, {}) if entry.method == "POST" else client.get(url)
    code = response.status_code
    if code in (301, 302, 303, 307, 308):
        location = response["Location"]
        if location.startswith(SIGN_IN) or location.startswith(f"http://testserver{SIGN_IN}"):
            return "signin"
        return "302"
    return str(code)
