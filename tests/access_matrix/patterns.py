"""Every URL the site answers, read from the URL configuration and the API schema.

``url_patterns()`` walks ``django.urls.get_resolver()`` (config.urls) with namespaces and yields one
``Pattern`` per named URL, except the ones ``EXCLUDED`` lists, each with the reason. ``api_operations()``
lists every operation of the DRF schema (drf_spectacular, as served at /api/schema/) as (method, path).
"""

from collections.abc import Iterator
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver

# Prefixes of routes that are not ours to test, each with the reason.
EXCLUDED_PREFIXES: dict[str, str] = {
    "admin/": "Django admin: its own staff-only permission system, tested by Django",
    "cms-admin/": "Wagtail admin: its own staff-only permission system, tested by Wagtail",
    "documents/": "Wagtail document serving and its password form: Wagtail's internals (no documents are restricted)",
    "_util/": "Wagtail's page-privacy password and login forms: Wagtail's internals",
}
# Named URLs left out, each with the reason.
EXCLUDED_NAMES: dict[str, str] = {}
# Our own views at the admins' login URLs (config/admin_sign_in.py: they send everyone to /account/sign-in/),
# which are in the matrix although their prefixes are not.
OURS_UNDER_EXCLUDED_PREFIXES = frozenset({"admin-sign-in", "wagtail-admin-sign-in"})
# Static and media files are served by the web server (WhiteNoise / a storage bucket), not by URL patterns;
# none is in config.urls, so nothing needs excluding for them. Were one added, it would fail the coverage
# test until listed here.


@dataclass(frozen=True)
class Pattern:
    name: str  # "namespace:name"
    route: str  # the route as written, for messages
    converters: dict[str, str]  # kwarg -> converter class name ("UUIDConverter", "IntConverter"...)
    regex_groups: tuple[str, ...]  # names of regex groups (re_path), which have no converter


def _walk(resolver: URLResolver, prefix: str, namespace: str | None) -> Iterator[tuple[str, str | None, URLPattern]]:
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from _walk(entry, prefix + str(entry.pattern), inner)
        else:
            yield prefix + str(entry.pattern), namespace, entry


def excluded_reason(route: str, name: str | None) -> str | None:
    if name in OURS_UNDER_EXCLUDED_PREFIXES:
        return None
    for prefix, reason in EXCLUDED_PREFIXES.items():
        if route.startswith(prefix):
            return reason
    if name and name in EXCLUDED_NAMES:
        return EXCLUDED_NAMES[name]
    return None


def url_patterns() -> list[Pattern]:
    found: dict[str, Pattern] = {}
    for route, namespace, entry in _walk(get_resolver(), "", None):
        name = f"{namespace}:{entry.name}" if namespace and entry.name else (entry.name or f"<unnamed {route}>")
        if excluded_reason(route, name):
            continue
        converters = {key: type(value).__name__ for key, value in getattr(entry.pattern, "converters", {}).items()}
        groups = tuple(group for group in entry.pattern.regex.groupindex if group not in converters)
        # The first pattern with a name wins, as in reverse(); later duplicates are the same view.
        found.setdefault(name, Pattern(name=name, route=route, converters=converters, regex_groups=groups))
    return sorted(found.values(), key=lambda pattern: pattern.name)


def api_operations() -> list[tuple[str, str]]:
    """(METHOD, path) for every operation in the API schema, as /api/schema/ serves it."""
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    methods = {"get", "post", "put", "patch", "delete"}
    return sorted(
        (method.upper(), path)
        for path, operations in schema["paths"].items()
        for method in operations
        if method in methods
    )
