"""Everything `make test` runs, stage by stage, with a summary of times and test counts at the end.

Stages (docs/testing.md explains each):

    lint      ruff check, ruff format --check, lint-imports
    checks    makemigrations --check, check --deploy with production settings
    sqlite    the unit tests on SQLite (PostgreSQL-only and browser tests are skipped there)
    postgres  a throwaway PostgreSQL cluster, the whole suite on it with the browser tests, then the
              cluster is stopped (unless DATABASE_URL was given, when that database is used as it is)

Every selected stage runs even when an earlier one failed, so one run reports every problem; the
exit status is non-zero when any stage failed.

    .venv/bin/python scripts/test_all.py                  # every stage
    .venv/bin/python scripts/test_all.py --stages lint,checks
"""

import argparse
import fcntl
import os
import secrets
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

import junit_summary  # noqa: E402
import pg_cluster  # noqa: E402

BIN = Path(sys.executable).parent
TMP = ROOT / ".tmp"
JUNIT_DIR = TMP / "junit"
STAGES = ("lint", "checks", "sqlite", "postgres")
PYTEST_WORKERS = "2"


@dataclass
class StageResult:
    name: str
    passed: bool
    seconds: float
    note: str = ""


@dataclass
class Run:
    results: list[StageResult] = field(default_factory=list)

    def stage(self, name: str, body: Callable[[], bool | str]) -> bool:
        """Run one timed stage; ``body`` answers True, False or a reason it failed."""
        print(f"\n==> {name}", flush=True)
        started = time.monotonic()
        try:
            outcome = body()
        except pg_cluster.ClusterError as error:
            print(error, file=sys.stderr, flush=True)
            outcome = str(error).splitlines()[0]
        passed = outcome is True
        note = outcome if isinstance(outcome, str) else ""
        self.results.append(StageResult(name, passed, time.monotonic() - started, note))
        print(f"<== {name}: {'passed' if passed else 'FAILED'}", flush=True)
        return passed

    @property
    def passed(self) -> bool:
        return all(result.passed for result in self.results)


def _command(*args: str | Path, env: dict[str, str] | None = None) -> bool:
    printable = " ".join(str(arg) for arg in args)
    print(f"$ {printable}", flush=True)
    return subprocess.run([str(arg) for arg in args], cwd=ROOT, env=env, check=False).returncode == 0  # noqa: S603


def _environment(**changes: str | None) -> dict[str, str]:
    environment = dict(os.environ)
    for name, value in changes.items():
        if value is None:
            environment.pop(name, None)
        else:
            environment[name] = value
    return environment


def _all_succeed(*outcomes: bool) -> bool:
    return all(outcomes)


def lint() -> bool:
    return _all_succeed(
        _command(BIN / "ruff", "check", "."),
        _command(BIN / "ruff", "format", "--check", "."),
        _command(BIN / "lint-imports"),
    )


def checks() -> bool:
    # Pointed at a scratch database so that a fresh clone's db.sqlite3 is left for `make run` to create.
    scratch = _environment(DATABASE_URL=f"sqlite:///{TMP / 'makemigrations-check.sqlite3'}")
    production = _environment(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(64),
        DJANGO_ALLOWED_HOSTS="example.org",
        DATABASE_URL="sqlite:///.tmp/deploy-check.sqlite3",
    )
    return _all_succeed(
        _command(BIN / "python", "manage.py", "makemigrations", "--check", "--dry-run", env=scratch),
        _command(BIN / "python", "manage.py", "check", "--deploy", "--fail-level", "WARNING", env=production),
    )


def pytest_run(report: str, env: dict[str, str], *extra: str) -> bool:
    junit = JUNIT_DIR / f"{report}.xml"
    junit.unlink(missing_ok=True)
    # The slowest tests are listed so that a stage creeping towards CI's limit shows where the time goes.
    return _command(BIN / "pytest", "-n", PYTEST_WORKERS, "--durations=15", f"--junitxml={junit}", *extra, env=env)


def sqlite_tests() -> bool:
    # DATABASE_URL may name a PostgreSQL database for the next stage; this stage is SQLite's.
    return pytest_run("sqlite", _environment(DATABASE_URL=None, HYPOTHESIS_PROFILE="ci"))


def postgres_tests(database_url: str) -> bool:
    environment = _environment(
        DATABASE_URL=database_url,
        DJANGO_ALLOW_ASYNC_UNSAFE="true",  # Playwright's sync API runs an event loop in the test thread
        HYPOTHESIS_PROFILE="ci",
    )
    # --create-db: a DATABASE_URL given from outside may hold a test database from an older schema.
    return pytest_run("postgres", environment, "--create-db")


def run_postgres_stages(run: Run) -> None:
    given_url = os.environ.get("DATABASE_URL", "")
    if given_url:
        print(f"\nUsing the PostgreSQL database in DATABASE_URL ({given_url.split('@')[-1]})", flush=True)
        run.stage("postgres tests", lambda: postgres_tests(given_url))
        return
    started: list[pg_cluster.Cluster] = []

    def start() -> bool:
        started.append(pg_cluster.start())
        print(f"DATABASE_URL={started[0].database_url}", flush=True)
        return True

    def stop() -> bool:
        pg_cluster.stop(started[0])
        return True

    try:
        if run.stage("postgres start", start):
            run.stage("postgres tests", lambda: postgres_tests(started[0].database_url))
    finally:
        if started:
            run.stage("postgres stop", stop)


def _counts(report: str) -> tuple[junit_summary.Counts, junit_summary.Counts] | None:
    path = JUNIT_DIR / f"{report}.xml"
    return junit_summary.count(path) if path.exists() else None


def _count_rows() -> list[tuple[str, junit_summary.Counts | None]]:
    sqlite, postgres = _counts("sqlite"), _counts("postgres")
    sqlite_all = None
    if sqlite is not None:
        sqlite_all = junit_summary.Counts()
        sqlite_all.add(sqlite[0])
        sqlite_all.add(sqlite[1])
    return [
        ("SQLite", sqlite_all),
        ("PostgreSQL", postgres[0] if postgres else None),
        ("Browser (on PostgreSQL)", postgres[1] if postgres else None),
    ]


def print_summary(run: Run) -> None:
    print("\n" + "=" * 64)
    print(f"{'Stage':<26}{'Result':<10}{'Time':>10}  Note")
    for result in run.results:
        outcome = "passed" if result.passed else "FAILED"
        print(f"{result.name:<26}{outcome:<10}{result.seconds:>9.1f}s  {result.note}")
    print(f"{'all stages':<26}{'':<10}{sum(r.seconds for r in run.results):>9.1f}s")
    print()
    print(f"{'Tests':<26}{'Passed':>8}{'Failed':>8}{'Skipped':>9}")
    total = junit_summary.Counts()
    for label, counts in _count_rows():
        if counts is None:
            print(f"{label:<26}{'no report (stage not run or pytest did not finish)':>25}")
            continue
        total.add(counts)
        print(f"{label:<26}{counts.passed:>8}{counts.failed:>8}{counts.skipped:>9}")
    print("=" * 64)
    # The last line is the plain "N passed, N failed" line that CI reads.
    print(f"Total: {total.passed} passed, {total.failed} failed, {total.skipped} skipped", flush=True)


def _wait_for_other_runs() -> None:
    # Two runs in one checkout would share the cluster folder, the JUnit reports and the test
    # databases; the second waits. The lock goes with the process, however it ends.
    lock = (TMP / "test_all.lock").open("w")
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        print("Another `make test` is running in this checkout: waiting for it to finish ...", flush=True)
        fcntl.flock(lock, fcntl.LOCK_EX)
    _HELD.append(lock)


_HELD: list[object] = []  # keeps the lock file open for the life of the process


def _stop_on_sigterm() -> None:
    # A CI timeout sends SIGTERM: turn it into an exception so that the cluster is still stopped.
    def handler(signum: int, frame: object) -> None:
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, handler)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--stages", default=",".join(STAGES), help=f"comma-separated, from {', '.join(STAGES)}")
    chosen = [name.strip() for name in parser.parse_args().stages.split(",") if name.strip()]
    unknown = sorted(set(chosen) - set(STAGES))
    if unknown:
        parser.error(f"unknown stage {', '.join(unknown)}; choose from {', '.join(STAGES)}")
    _stop_on_sigterm()
    JUNIT_DIR.mkdir(parents=True, exist_ok=True)
    _wait_for_other_runs()
    for report in ("sqlite", "postgres"):
        (JUNIT_DIR / f"{report}.xml").unlink(missing_ok=True)

    run = Run()
    try:
        if "lint" in chosen:
            run.stage("lint", lint)
        if "checks" in chosen:
            run.stage("checks", checks)
        if "sqlite" in chosen:
            run.stage("sqlite tests", sqlite_tests)
        if "postgres" in chosen:
            run_postgres_stages(run)
    finally:
        print_summary(run)
    return 0 if run.passed else 1


if __name__ == "__main__":
    sys.exit(main())
