"""Fuzzing a page's HTML form: read its fields from the page as served, then send generated values.

``html_form(page, action)`` finds the form and its fields (inputs, selects with their options, textareas);
``submissions(form)`` is a hypothesis strategy of what a person, a script or an attacker might send for
it: the values the page offers, text with any Unicode, text with a NUL character, very long text, numbers
and dates that are wrong, several values for one field, wrong types, and fields left out.
``assert_answered_well(response, method)`` holds the answer to the house rules: never a 500, and a form
sent back with problems shows a GOV.UK error summary.
"""

from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

from hypothesis import strategies as st

UNSENT = object()  # a field left out of the submission


@dataclass
class FormField:
    name: str
    kind: str  # the input's type, "select" or "textarea"
    value: str = ""
    options: list[str] = field(default_factory=list)


@dataclass
class HtmlForm:
    method: str
    action: str
    fields: dict[str, FormField] = field(default_factory=dict)


class _FormParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[HtmlForm] = []
        self._form: HtmlForm | None = None
        self._select: FormField | None = None
        self._textarea: FormField | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {key: value or "" for key, value in attrs}
        if tag == "form":
            self._form = HtmlForm(method=a.get("method", "get").lower(), action=a.get("action", ""))
            self.forms.append(self._form)
            return
        if self._form is None or not a.get("name"):
            if tag == "option" and self._select is not None:
                self._select.options.append(a.get("value", ""))
            return
        name = a["name"]
        if tag == "input":
            kind = a.get("type", "text").lower()
            if kind in ("submit", "button", "image", "reset"):
                return
            found = self._form.fields.setdefault(name, FormField(name=name, kind=kind))
            if kind in ("radio", "checkbox"):
                found.options.append(a.get("value", "on"))
                if "checked" in a:
                    found.value = a.get("value", "on")
            else:
                found.value = a.get("value", "")
        elif tag == "select":
            self._select = self._form.fields.setdefault(name, FormField(name=name, kind="select"))
        elif tag == "textarea":
            self._textarea = self._form.fields.setdefault(name, FormField(name=name, kind="textarea"))
        elif tag == "option" and self._select is not None:
            self._select.options.append(a.get("value", ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._textarea.value += data


def html_forms(page: str) -> list[HtmlForm]:
    parser = _FormParser()
    parser.feed(page)
    return parser.forms


def html_form(page: str, *, method: str, action: str | None = None, field_name: str | None = None) -> HtmlForm:
    """The page's form sent with ``method`` (to ``action``, or with a field called ``field_name``)."""
    for form in html_forms(page):
        if form.method != method:
            continue
        if action is not None and form.action not in ("", action) and not form.action.endswith(action):
            continue
        if field_name is not None and field_name not in form.fields:
            continue
        return form
    raise AssertionError(f"no {method.upper()} form (action {action!r}, field {field_name!r}) on the page")


_TEXT = st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=60)
_AWKWARD = st.sampled_from(
    [
        "",
        " ",
        "\x00",
        "a\x00b",
        "x" * 10_001,
        "🙂" * 3000,
        "-1",
        "0",
        "1e309",
        "NaN",
        "-0.001",
        "99999999999999999999999",
        "£12.50",
        "12,50",
        "2026-02-30",
        "0000-01-01",
        "31/12/9999",
        "null",
        "true",
        "[]",
        "{}",
        "<script>alert(1)</script>",
        "'; DROP TABLE accounts_user; --",
        "%00",
        "../../etc/passwd",
        "00000000-0000-0000-0000-000000000000",
        "CV1 2GT",
        "ZZ99 9ZZ",
    ]
)


def _value(form_field: FormField) -> st.SearchStrategy[Any]:
    offered = [option for option in form_field.options if option is not None]
    choices: list[st.SearchStrategy[Any]] = [st.just(UNSENT), st.just(form_field.value), _TEXT, _AWKWARD]
    if offered:
        choices.append(st.sampled_from(offered))
        choices.append(st.lists(st.sampled_from(offered), min_size=2, max_size=4))
    choices.append(st.lists(_AWKWARD, min_size=2, max_size=3))
    if form_field.name == "csrfmiddlewaretoken":
        return st.just(form_field.value)  # the test client does not check it; the rest of the form is the point
    return st.one_of(*choices)


def submissions(form: HtmlForm, *, extra_names: tuple[str, ...] = ()) -> st.SearchStrategy[dict[str, Any]]:
    """Generated submissions of ``form``, with unknown fields (``extra_names`` and made-up ones) now and then."""
    values = {name: _value(form_field) for name, form_field in form.fields.items()}
    for name in extra_names:
        values.setdefault(name, _AWKWARD)
    values["x-unknown-field"] = st.one_of(st.just(UNSENT), _AWKWARD)
    return st.fixed_dictionaries(values).map(
        lambda data: {name: value for name, value in data.items() if value is not UNSENT}
    )


def assert_answered_well(response: Any, method: str, *, shown_again_status: tuple[int, ...] = (200,)) -> None:
    """No server error; a form shown again with problems has a GOV.UK error summary listing them."""
    assert response.status_code < 500, f"{response.status_code} for {response.request}"
    if "html" not in response.get("Content-Type", ""):
        return
    page = response.content.decode()
    has_summary = "govuk-error-summary" in page
    if "govuk-error-message" in page or "govuk-form-group--error" in page:
        assert has_summary, "a field shows an error but the page has no error summary"
    if method == "post" and response.status_code in shown_again_status:
        assert has_summary, "a form sent back without being accepted must say why in a GOV.UK error summary"
