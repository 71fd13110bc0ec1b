"""Driving Debian's Chromium with Playwright, and checking every page with the axe engine.

Every page a browser test visits goes through ``Browsing.visit``: it must answer without an error,
load its styles and scripts, and have no serious or critical accessibility problem against WCAG 2.0,
2.1 and 2.2 at levels A and AA.

Axe needs JavaScript. A page opened with JavaScript off is audited through a copy of what the browser
rendered, without its scripts, opened at the same address in a second page that has JavaScript on:
that is what a visitor without JavaScript gets.
"""

import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page, Request, Response, Route, expect

from accounts.tests.factories import PASSWORD

ROOT = Path(__file__).resolve().parents[2]
AXE_SCRIPT = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = Path("/usr/bin/chromium")
# Without the networking switches Chromium keeps calling Google's servers, which this network refuses.
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",  # we run as root in CI
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
BLOCKING_IMPACTS = {"serious", "critical"}
TIMEOUT_MS = 15_000
RUN_AXE = """
(tags) => axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]})
    .then((results) => results.violations)
"""
_SCRIPT_ELEMENT = re.compile(r"<script\b[^>]*>.*?</script\s*>", re.IGNORECASE | re.DOTALL)


def format_violations(url: str, violations: list[dict]) -> str:
    lines = [f"axe found {len(violations)} serious or critical accessibility problem(s) on {url}:"]
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
        lines.append(f"  {violation['helpUrl']}")
        for node in violation["nodes"][:5]:
            summary = " ".join((node.get("failureSummary") or "").split())
            lines.append(f"    at {' '.join(map(str, node['target']))}: {summary}")
        if len(violation["nodes"]) > 5:
            lines.append(f"    and {len(violation['nodes']) - 5} more element(s)")
    return "\n".join(lines)


def axe_check(page: Page) -> None:
    """Fail the test when axe finds a serious or critical problem on the page as it stands."""
    page.wait_for_load_state("load")
    if page.evaluate("() => typeof window.axe === 'undefined'"):
        page.add_script_tag(path=str(AXE_SCRIPT))
    violations = page.evaluate(RUN_AXE, WCAG_TAGS)
    blocking = [violation for violation in violations if violation["impact"] in BLOCKING_IMPACTS]
    if blocking:
        pytest.fail(format_violations(page.url, blocking), pytrace=False)


@dataclass
class PageProblems:
    """What went wrong while a page loaded: broken assets and uncaught script errors."""

    base_url: str
    messages: list[str] = field(default_factory=list)

    def watch(self, page: Page) -> None:
        page.on("response", self._on_response)
        page.on("requestfailed", self._on_request_failed)
        page.on("pageerror", lambda error: self.messages.append(f"script error: {error}"))
        page.on("console", self._on_console)

    def _on_response(self, response: Response) -> None:
        # The document itself is checked by visit(); this catches its stylesheets, scripts and images.
        is_asset = response.url.startswith(self.base_url) and response.request.resource_type != "document"
        if is_asset and response.status >= 400:
            self.messages.append(f"{response.status} for {response.url}")

    def _on_request_failed(self, request: Request) -> None:
        # ERR_ABORTED is the browser cancelling a request because the page moved on (a favicon of the previous
        # page still loading when the next navigation starts); a broken asset answers with a status instead.
        if request.url.startswith(self.base_url) and request.failure != "net::ERR_ABORTED":
            self.messages.append(f"request failed: {request.url} ({request.failure})")

    def _on_console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.messages.append(f"console error: {message.text}")

    def take(self) -> list[str]:
        taken, self.messages = self.messages, []
        return taken


class Browsing:
    """The pages of one test, in contexts that share one browser and one live server."""

    def __init__(self, browser: Browser, base_url: str) -> None:
        self.browser = browser
        self.base_url = base_url
        self.contexts: list[BrowserContext] = []
        self.problems: dict[Page, PageProblems] = {}
        self.without_javascript: set[Page] = set()
        self._audit_page: Page | None = None

    def new_page(self, *, javascript: bool = True, bypass_csp: bool = True) -> Page:
        # bypass_csp lets axe's script in past the strict content security policy.
        context = self.browser.new_context(
            base_url=self.base_url, java_script_enabled=javascript, bypass_csp=bypass_csp, locale="en-GB"
        )
        context.set_default_timeout(TIMEOUT_MS)
        self.contexts.append(context)
        page = context.new_page()
        self.problems[page] = PageProblems(self.base_url)
        self.problems[page].watch(page)
        if not javascript:
            self.without_javascript.add(page)
        return page

    def problems_on(self, page: Page) -> list[str]:
        return self.problems[page].take()

    def visit(self, page: Page, url: str) -> Response:
        """Open ``url``, require a successful answer with working assets, and run axe on it."""
        self.problems_on(page)  # only what goes wrong during this visit counts, not earlier navigation
        response = page.goto(url, wait_until="load")
        assert response is not None, f"no response for {url}"
        assert response.ok, f"{url} answered {response.status}"
        self.axe_check(page)
        problems = self.problems_on(page)
        assert not problems, f"problems while loading {page.url}:\n" + "\n".join(problems)
        return response

    def axe_check(self, page: Page) -> None:
        if page in self.without_javascript:
            self._axe_check_rendering(page)
        else:
            axe_check(page)

    def _axe_check_rendering(self, page: Page) -> None:
        audit = self._audit_page or self.new_page()
        self._audit_page = audit
        # A click that submits a form returns once the next document is committed, before it is parsed:
        # read the page only when it has loaded, or the copy is an empty document without title or lang.
        page.wait_for_load_state("load")
        html = _SCRIPT_ELEMENT.sub("", page.content())
        url = page.url

        def serve_copy(route: Route) -> None:
            route.fulfill(status=200, content_type="text/html; charset=utf-8", body=html)

        audit.route(url, serve_copy)
        try:
            audit.goto(url, wait_until="load")
            axe_check(audit)
        finally:
            audit.unroute(url, serve_copy)

    def close(self) -> None:
        for context in self.contexts:
            context.close()


# --- Steps many journeys take ------------------------------------------------------------------

ERROR_TITLE = re.compile(r"^Error: ")


ARTEFACTS = ROOT / "test-results" / "journeys"
REFLOW_WIDTH = 320  # WCAG 2.2 1.4.10: content reflows at 320 CSS pixels without scrolling sideways
WIDER_THAN_VIEWPORT = """
() => [...document.querySelectorAll("body *")]
    .filter((element) => element.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
    .filter((element) => !element.closest("table, pre, .app-scroll-x"))
    .slice(0, 5)
    .map((element) => element.tagName.toLowerCase() + (element.className ? "." + element.className : ""))
"""


def journey_snapshot(page: Page, folder: str, name: str) -> Path:
    """Save a full-page screenshot as a test artefact and require the page to reflow at 320 px wide.

    Tables and preformatted text may scroll on their own (WCAG allows it for two-dimensional content), so
    what is checked is that nothing else pushes the page wider than a small phone's screen. The viewport
    is put back afterwards.
    """
    page.wait_for_load_state("load")
    original = page.viewport_size or {"width": 1280, "height": 720}
    page.set_viewport_size({"width": REFLOW_WIDTH, "height": 800})
    try:
        too_wide = page.evaluate(WIDER_THAN_VIEWPORT)
        target = ARTEFACTS / folder / f"{name}.png"
        target.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(target), full_page=True)
    finally:
        page.set_viewport_size(original)
    assert not too_wide, f"{page.url} does not reflow at {REFLOW_WIDTH} px: wider than the screen: {too_wide}"
    return target


def sign_in(page: Page, visit, who) -> None:  # type: ignore[no-untyped-def]
    """Sign in through the sign-in form as ``who`` (a user, or an email address) with the tests' password."""
    email = who if isinstance(who, str) else who.email
    visit(page, "/account/sign-in/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/account/")


def open_from_navigation(page: Page, axe_check, name: str) -> None:  # type: ignore[no-untyped-def]
    page.get_by_role("navigation").get_by_role("link", name=name, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    axe_check(page)


def expect_error_summary(page: Page, axe_check, message: str, *, field_label: str) -> None:  # type: ignore[no-untyped-def]
    """The summary is announced (role=alert), the title says Error, and the message links to its field."""
    expect(page).to_have_title(ERROR_TITLE)
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("There is a problem")
    target = summary.get_by_role("link", name=message).get_attribute("href") or ""
    assert target.startswith("#"), f"the summary's link for {message!r} is {target!r}"
    expect(page.locator(target)).to_have_accessible_name(field_label)
    axe_check(page)
