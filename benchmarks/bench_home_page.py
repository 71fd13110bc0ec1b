"""The home page, a Wagtail page, against the framework floor: the same client and middleware, no page."""

from collections.abc import Iterator

from django.test import Client, override_settings

from benchmarks.floor import FRAMEWORK_FLOOR_PATH, URLCONF
from benchmarks.harness import Pair, benchmark


def _get_ok(client: Client, path: str) -> None:
    response = client.get(path)
    if response.status_code != 200:
        raise RuntimeError(f"{path} answered {response.status_code}: the benchmark would time an error page")


@benchmark(
    "home_page",
    description="GET / (Wagtail home page) through Django's test client",
    baseline="GET of a view returning a plain HttpResponse through the same client and middleware",
)
def home_page() -> Iterator[Pair]:
    with override_settings(ROOT_URLCONF=URLCONF):
        client = Client()
        _get_ok(client, "/")
        _get_ok(client, FRAMEWORK_FLOOR_PATH)
        yield Pair(subject=lambda: client.get("/"), baseline=lambda: client.get(FRAMEWORK_FLOOR_PATH))
