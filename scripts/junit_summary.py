"""Count passed, failed and skipped tests in pytest's --junitxml reports.

A test that errored (in set-up, teardown or collection) counts as failed: it did not pass. Browser
tests (those under tests/browser) are counted apart from the rest of the same run, because they
answer a different question: does the service work in a real browser, accessibly.

    .venv/bin/python scripts/junit_summary.py .tmp/junit/postgres.xml
"""

import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

BROWSER_TEST_PREFIX = "tests.browser."


@dataclass
class Counts:
    passed: int = 0
    failed: int = 0
    skipped: int = 0

    def add(self, other: "Counts") -> None:
        self.passed += other.passed
        self.failed += other.failed
        self.skipped += other.skipped

    @property
    def total(self) -> int:
        return self.passed + self.failed + self.skipped


def _outcome(testcase: ET.Element) -> str:
    if testcase.find("failure") is not None or testcase.find("error") is not None:
        return "failed"
    if testcase.find("skipped") is not None:
        return "skipped"
    return "passed"


def _is_browser_test(testcase: ET.Element) -> bool:
    return testcase.get("classname", "").startswith(BROWSER_TEST_PREFIX)


def count(report: Path) -> tuple[Counts, Counts]:
    """(the rest of the suite, the browser tests) in one pytest report."""
    rest, browser = Counts(), Counts()
    for testcase in ET.parse(report).iter("testcase"):  # noqa: S314  (our own pytest reports, not untrusted input)
        counts = browser if _is_browser_test(testcase) else rest
        outcome = _outcome(testcase)
        setattr(counts, outcome, getattr(counts, outcome) + 1)
    return rest, browser


def main(paths: list[str]) -> int:
    for path in paths:
        rest, browser = count(Path(path))
        print(f"{path}: {rest.passed} passed, {rest.failed} failed, {rest.skipped} skipped", end="")
        print(f" (browser: {browser.passed} passed, {browser.failed} failed, {browser.skipped} skipped)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
