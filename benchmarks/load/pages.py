"""Reading pages as a browser would, for the load test's people (benchmarks/load/locustfile.py): the forms of
a page and what they send unchanged, and the security code of the demo's published authenticator key.

Plain standard library, so that the tests can import it without locust (which patches the standard library
with gevent the moment it is imported).
"""

import base64
import hashlib
import hmac
import struct
import time
from html import unescape
from html.parser import HTMLParser
from urllib.parse import urlparse


class FormReader(HTMLParser):
    """Every <form> of a page: its action, method and the values a browser would send unchanged (hidden
    inputs, the checked radio or the first, the selected option or the first that has a value)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []  # type: ignore[type-arg]
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {name: value or "" for name, value in attrs}
        if tag == "form":
            self.forms.append({"action": found.get("action", ""), "method": found.get("method", "get"), "fields": {}})
            return
        if not self.forms or "name" not in found:
            if tag == "option" and self._select and self.forms:
                self._option(found)
            return
        fields = self.forms[-1]["fields"]
        name = found["name"]
        if tag == "input":
            kind = found.get("type", "text")
            if kind in ("radio", "checkbox"):
                if "checked" in found or (kind == "radio" and name not in fields):
                    fields[name] = found.get("value", "on")
            elif kind not in ("submit", "button", "file"):
                fields[name] = found.get("value", "")
        elif tag == "select":
            self._select = name
            fields.setdefault(name, None)
        elif tag == "textarea":
            fields[name] = ""

    def _option(self, found: dict[str, str]) -> None:
        fields = self.forms[-1]["fields"]
        value = found.get("value", "")
        if "selected" in found or (fields.get(self._select) in (None, "") and value):
            fields[self._select] = value

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None


def forms_of(html: str) -> list[dict]:  # type: ignore[type-arg]
    reader = FormReader()
    reader.feed(html)
    for form in reader.forms:
        form["fields"] = {name: value or "" for name, value in form["fields"].items()}
    return reader.forms


def form_with(html: str, action_ending: str) -> dict:  # type: ignore[type-arg]
    """The page's POST form whose action ends with ``action_ending`` (an empty action posts to the page)."""
    for form in forms_of(html):
        action = unescape(form["action"])
        if form["method"].lower() == "post" and urlparse(action).path.endswith(action_ending):
            return form
    raise LookupError(f"no form posting to …{action_ending}")


def totp_code(secret_base32: str, *, at: float | None = None) -> str:
    """The six-digit code an authenticator app shows for the demo's published key (RFC 6238, 30 s steps)."""
    key = base64.b32decode(secret_base32)
    counter = int((time.time() if at is None else at) // 30)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{number % 1_000_000:06d}"


def form_having(html: str, field: str) -> dict:  # type: ignore[type-arg]
    """The page's POST form with a field of this name (the page's own form, not the header's sign-out)."""
    for form in forms_of(html):
        if form["method"].lower() == "post" and field in form["fields"]:
            return form
    raise LookupError(f"no form with a {field!r} field")
