"""What a locust run measured, read back and summarised for docs/benchmarks.md.

The locustfile writes every request it made (name, milliseconds, failed or not) to a JSON file when the run
stops, so that percentiles here are nearest-rank values of the real samples (as in benchmarks/harness.py), of
each kind of request and of groups of them, rather than locust's rounded per-name figures. Locust's own
``--csv`` failures file gives the error messages.
"""

import csv
import json
from dataclasses import dataclass
from pathlib import Path

from benchmarks.harness import percentile

# The targets: no errors at 50 users, p95 under 300 ms for searches and pages.
TARGET_P95_MS = 300.0
TARGET_USERS = 50
# The step-up stops at the first step where an error appears or searches and pages take longer than this.
LIMIT_P95_MS = 1000.0
# Request names start with their group: "search", "page: offer", "sign-in: password", "action: approve …".
GROUPS = ("search", "page", "sign-in", "action", "payment run")
TARGETED = ("search", "page")


@dataclass(frozen=True)
class Sample:
    name: str
    ms: float
    failed: bool

    @property
    def group(self) -> str:
        return self.name.split(":", 1)[0].strip()


@dataclass(frozen=True)
class Line:
    """One row of the report: requests of a kind (or a group of kinds) over the run."""

    label: str
    count: int
    rps: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    errors: int


@dataclass(frozen=True)
class Run:
    """One locust run: how many people for how long, every request, and the errors locust recorded."""

    users: int
    seconds: float
    samples: list[Sample]
    failures: list[tuple[str, str, int]]  # (request name, error, occurrences)

    def line(self, label: str, samples: list[Sample]) -> Line:
        times = [sample.ms for sample in samples] or [0.0]
        return Line(
            label=label,
            count=len(samples),
            rps=len(samples) / self.seconds if self.seconds else 0.0,
            p50_ms=percentile(times, 0.50),  # type: ignore[arg-type]
            p95_ms=percentile(times, 0.95),  # type: ignore[arg-type]
            p99_ms=percentile(times, 0.99),  # type: ignore[arg-type]
            errors=sum(sample.failed for sample in samples),
        )

    def by_name(self) -> list[Line]:
        names = sorted({sample.name for sample in self.samples}, key=lambda name: (_group_order(name), name))
        return [self.line(name, [s for s in self.samples if s.name == name]) for name in names]

    def by_group(self) -> list[Line]:
        lines = []
        for group in GROUPS:
            chosen = [sample for sample in self.samples if sample.group == group]
            if chosen:
                lines.append(self.line(f"all {group} requests", chosen))
        lines.append(self.line("all requests", self.samples))
        return lines

    def targeted(self) -> Line:
        return self.line("searches and pages", [s for s in self.samples if s.group in TARGETED])

    @property
    def errors(self) -> int:
        return sum(sample.failed for sample in self.samples)

    def within_limit(self) -> bool:
        return self.errors == 0 and self.targeted().p95_ms <= LIMIT_P95_MS


def _group_order(name: str) -> int:
    group = name.split(":", 1)[0].strip()
    return GROUPS.index(group) if group in GROUPS else len(GROUPS)


def run_read(*, users: int, seconds: float, samples_file: Path, csv_prefix: Path) -> Run:
    """A run from the locustfile's samples and locust's ``<prefix>_failures.csv``."""
    raw = json.loads(samples_file.read_text()) if samples_file.exists() else []
    samples = [Sample(name=name, ms=float(ms), failed=bool(failed)) for name, ms, failed in raw]
    failures = []
    failures_csv = Path(f"{csv_prefix}_failures.csv")
    if failures_csv.exists():
        with failures_csv.open(newline="") as handle:
            for row in csv.DictReader(handle):
                failures.append((row["Name"], row["Error"], int(row["Occurrences"])))
    return Run(users=users, seconds=seconds, samples=samples, failures=failures)


def first_failing(steps: list[Run]) -> Run | None:
    return next((step for step in steps if not step.within_limit()), None)


def section(main: Run, steps: list[Run], *, workers: str, step_cap: int) -> list[str]:
    """The benchmark's section of docs/benchmarks.md, after its heading."""

    def row(line: Line) -> str:
        return (
            f"| {line.label} | {line.count:,} | {line.rps:.2f} | {line.p50_ms:.0f} ms | {line.p95_ms:.0f} ms "
            f"| {line.p99_ms:.0f} ms | {line.errors} |"
        )

    head = "| request | requests | per second | p50 | p95 | p99 | errors |"
    rule = "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
    lines = [
        f"{main.users} people for {main.seconds:.0f} s against gunicorn ({workers}, config.settings.bench) and "
        "PostgreSQL, each waiting 1 to 5 s between actions (the mix: docs/load-test.md); locust, gunicorn and "
        "PostgreSQL share the machine. Times are nearest-rank percentiles of every request, redirects followed.",
        "",
        head,
        rule,
        *[row(line) for line in main.by_name()],
        "",
        head,
        rule,
        *[row(line) for line in main.by_group()],
    ]
    if main.failures:
        lines += ["", "Errors:", ""]
        lines += [f"- {name}: {error} ({count}×)" for name, error, count in main.failures[:10]]
    lines += [
        "",
        "Step-up: more people, the same mix, each step on its own.",
        "",
        "| people | seconds | requests per second | searches and pages p95 | all requests p95 | errors |",
        "| ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for step in [main, *steps]:
        everything = step.line("all", step.samples)
        lines.append(
            f"| {step.users} | {step.seconds:.0f} | {everything.rps:.2f} | {step.targeted().p95_ms:.0f} ms "
            f"| {everything.p95_ms:.0f} ms | {step.errors} |"
        )
    return lines


def targets(main: Run, steps: list[Run], *, step_cap: int) -> list[str]:
    searches = main.line("searches", [s for s in main.samples if s.group == "search"])
    pages = main.line("pages", [s for s in main.samples if s.group == "page"])
    failing = first_failing([main, *steps])

    def met(ok: bool) -> str:
        return "met" if ok else "missed"

    if failing is None:
        where = f"not reached: no errors and p95 ≤ {LIMIT_P95_MS / 1000:.0f} s up to {step_cap} people (the cap)"
    else:
        where = (
            f"{failing.users} people ({failing.errors} errors, searches and pages p95 "
            f"{failing.targeted().p95_ms:.0f} ms)"
        )
    return [
        f"0 errors at {main.users} people: {main.errors} ({met(main.errors == 0)})",
        f"searches p95 < {TARGET_P95_MS:.0f} ms: {searches.p95_ms:.0f} ms ({met(searches.p95_ms < TARGET_P95_MS)})",
        f"pages p95 < {TARGET_P95_MS:.0f} ms: {pages.p95_ms:.0f} ms ({met(pages.p95_ms < TARGET_P95_MS)})",
        f"where errors or searches and pages p95 > {LIMIT_P95_MS / 1000:.0f} s begin: {where}",
    ]
