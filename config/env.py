"""Typed readers for environment variables.

Every variable the project reads goes through one of these, once, in ``config.settings.base``; a bad
value stops start-up with a message that names the variable, instead of surfacing later as a strange
behaviour.
"""

import os
from urllib.parse import urlparse


class ImproperEnvironment(Exception):
    """An environment variable is missing or does not parse."""


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str | None = None) -> str:
    value = os.environ.get(name)
    if value is None:
        if default is None:
            raise ImproperEnvironment(f"{name} must be set")
        return default
    return value


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperEnvironment(f"{name} must be true or false, not {value!r}")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    value = os.environ.get(name)
    if value is None:
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperEnvironment(f"{name} must be a whole number, not {value!r}") from None
    if minimum is not None and number < minimum:
        raise ImproperEnvironment(f"{name} must be at least {minimum}, not {number}")
    return number


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return list(default or [])
    return [item.strip() for item in value.split(",") if item.strip()]


def env_url(name: str, default: str | None = None, *, schemes: tuple[str, ...] = ("http", "https")) -> str:
    """A URL whose scheme is one of ``schemes``; an empty default means "not configured"."""
    value = os.environ.get(name, default)
    if value is None:
        raise ImproperEnvironment(f"{name} must be set")
    if value == "":
        return ""
    parsed = urlparse(value)
    if parsed.scheme not in schemes or not (parsed.netloc or parsed.path):
        raise ImproperEnvironment(f"{name} must be a URL starting with {' or '.join(schemes)}, not {value!r}")
    return value


def env_choice(name: str, default: str, choices: tuple[str, ...]) -> str:
    value = os.environ.get(name, default)
    if value not in choices:
        raise ImproperEnvironment(f"{name} must be one of {', '.join(choices)}, not {value!r}")
    return value
