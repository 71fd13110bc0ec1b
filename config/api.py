"""Project-wide API helpers."""


def only_project_api(endpoints: list[tuple]) -> list[tuple]:
    """Keep the OpenAPI document to the project's own JSON API under /api/.

    Wagtail's admin has a private API of its own under /cms-admin/api/; it is not ours to publish.
    """
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/")]
