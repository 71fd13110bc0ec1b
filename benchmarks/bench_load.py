"""The load test (issue 15): locust against gunicorn with several workers and PostgreSQL on this machine.

The run's fresh test database (benchmarks/run.py) gets the demo data (``manage.py demo_data --scale``, which
also builds the search index, as ``make run`` does) and the load test's own additions (benchmarks/load/data.py:
invoices waiting for the families, the list of who signs in as whom), both under config.settings.bench, the
settings gunicorn serves with. Then locust, headless, runs the mix of benchmarks/load/locustfile.py: first
``USERS`` people for ``SECONDS`` with a payment run paid through the pages in the middle, then steps of more
people for ``STEP_SECONDS`` each until errors appear or searches and pages take longer than 1 s at p95, or the
cap. Afterwards the payment run is checked to have paid each of its invoices exactly once with the ledger
balanced. docs/load-test.md explains the mix and how to read the figures.

Quick runs: ``benchmarks/run.py --only load --load-duration 30 --load-users 10 --no-write``.
"""

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from benchmarks.harness import Row, Table, TableResult, benchmark
from benchmarks.load import report

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
LOCUSTFILE = ROOT / "benchmarks" / "load" / "locustfile.py"

USERS = report.TARGET_USERS
SECONDS = 180
STEP_USERS = (100, 150, 200, 250, 300)
STEP_SECONDS = 60
SPAWN_PER_SECOND = 5
DEMO_SCALE = 5
GUNICORN_WORKERS = 4
GUNICORN_THREADS = 2
SETTINGS = "config.settings.bench"


def options_choose(*, seconds: int | None = None, users: int | None = None) -> None:
    """``--load-duration`` and ``--load-users`` of benchmarks/run.py: a shorter or smaller first run (the
    step-up then lasts at most as long as the first run)."""
    global SECONDS, USERS, STEP_SECONDS
    if seconds:
        SECONDS = seconds
        STEP_SECONDS = min(STEP_SECONDS, seconds)
    if users:
        USERS = users


def gunicorn_command(port: int) -> list[str]:
    """How the site is served (docs/deployment.md names the same options)."""
    return [
        str(BIN / "gunicorn"),
        "config.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(GUNICORN_WORKERS),
        "--threads",
        str(GUNICORN_THREADS),
        "--timeout",
        "60",
    ]


def database_url() -> str:
    """The run's test database, for the processes started here."""
    from django.db import connection

    settings = connection.settings_dict
    password = f":{quote(settings['PASSWORD'], safe='')}" if settings.get("PASSWORD") else ""
    port = f":{settings['PORT']}" if settings.get("PORT") else ""
    return f"postgres://{quote(settings['USER'] or '', safe='')}{password}@{settings['HOST']}{port}/{settings['NAME']}"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Site:
    url: str
    plan: Path
    folder: Path
    environment: dict[str, str]


def _environment(folder: Path) -> dict[str, str]:
    environment = dict(os.environ)
    environment.update(
        {
            "DJANGO_SETTINGS_MODULE": SETTINGS,
            "DATABASE_URL": database_url(),
            "MEDIA_ROOT": str(folder / "media"),
            "PRIVATE_MEDIA_ROOT": str(folder / "private"),
            "SEARCH_BACKEND": "database",
            "TASKS_BACKEND": "immediate",
        }
    )
    return environment


def _step(description: str, command: list[str], environment: dict[str, str], log: Path) -> None:
    print(f"  {description} ...", flush=True)
    with log.open("a") as out:
        finished = subprocess.run(command, cwd=ROOT, env=environment, stdout=out, stderr=subprocess.STDOUT)  # noqa: S603
    if finished.returncode:
        raise RuntimeError(f"{description} failed ({finished.returncode}); see {log}")


def _wait_until_up(url: str, server: subprocess.Popen, seconds: float = 120) -> None:  # type: ignore[type-arg]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn stopped with {server.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=5) as answer:  # noqa: S310
                if answer.status == 200:
                    return
        except OSError:
            pass
        time.sleep(1)
    raise RuntimeError(f"gunicorn did not answer on {url} within {seconds:.0f} s")


def _warm_up(url: str) -> None:
    """A few requests of each kind of page for every worker, untimed: a deployed site's workers have imported
    their views and filled their caches long before the busy hour; a fresh worker's first page takes seconds."""
    pages = ["/", "/search/", "/search/?text=swimming&postcode=CV1", "/account/sign-in/", "/healthz"]
    for _ in range(GUNICORN_WORKERS * GUNICORN_THREADS):
        for page in pages:
            try:
                with urllib.request.urlopen(f"{url}{page}", timeout=60) as answer:  # noqa: S310
                    answer.read()
            except OSError:
                pass


@contextmanager
def site() -> Iterator[Site]:
    """Demo data, the load test's plan and gunicorn serving them; gunicorn is stopped afterwards, so that the
    run can drop its database."""
    with tempfile.TemporaryDirectory(prefix="load-test-") as name:
        folder = Path(name)
        environment = _environment(folder)
        log = folder / "setup.log"
        python = str(BIN / "python")
        _step(
            f"demo data at scale {DEMO_SCALE} and the search index",
            [python, "manage.py", "demo_data", "--quiet", "--scale", str(DEMO_SCALE)],
            environment,
            log,
        )
        plan = folder / "plan.json"
        _step(
            "invoices to approve and the sign-ins", [python, "-m", "benchmarks.load.data", str(plan)], environment, log
        )
        port = _free_port()
        url = f"http://127.0.0.1:{port}"
        print(f"  gunicorn on {url}: {GUNICORN_WORKERS} workers of {GUNICORN_THREADS} threads", flush=True)
        with (folder / "gunicorn.log").open("w") as out:
            server = subprocess.Popen(gunicorn_command(port), cwd=ROOT, env=environment, stdout=out, stderr=out)  # noqa: S603
        try:
            _wait_until_up(url, server)
            _warm_up(url)
            yield Site(url=url, plan=plan, folder=folder, environment=environment)
        finally:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
            errors = [line for line in (folder / "gunicorn.log").read_text().splitlines() if "ERROR" in line]
            if errors:
                print(f"  gunicorn logged {len(errors)} errors, the first: {errors[0]}", flush=True)


def locust_run(
    target: Site, *, users: int, seconds: int, label: str, payment_run_at: float | None = None
) -> report.Run:
    """One headless locust run of the mix; returns what it measured."""
    prefix = target.folder / label
    samples = target.folder / f"{label}-samples.json"
    environment = {
        **target.environment,
        "LOAD_PLAN": str(target.plan),
        "LOAD_SAMPLES": str(samples),
        # No payment run unless asked: a time beyond the run's end.
        "LOAD_PAYMENT_RUN_AT": str(payment_run_at if payment_run_at is not None else seconds * 10),
    }
    command = [
        str(BIN / "locust"),
        "--locustfile",
        str(LOCUSTFILE),
        "--headless",
        "--host",
        target.url,
        "--users",
        str(users),
        "--spawn-rate",
        str(max(SPAWN_PER_SECOND, users // 10)),
        "--run-time",
        f"{seconds}s",
        "--stop-timeout",
        "10",
        "--csv",
        str(prefix),
        "--only-summary",
        "--loglevel",
        "WARNING",
    ]
    print(f"  {users} people for {seconds} s ...", flush=True)
    # Locust exits with 1 when any request failed: that is a result, read from its files, not a crash.
    with (target.folder / f"{label}.log").open("w") as out:
        finished = subprocess.run(command, cwd=ROOT, env=environment, stdout=out, stderr=subprocess.STDOUT)  # noqa: S603
    if finished.returncode not in (0, 1) or not samples.exists():
        log = (target.folder / f"{label}.log").read_text()[-3000:]
        raise RuntimeError(f"locust failed ({finished.returncode}):\n{log}")
    measured = report.run_read(users=users, seconds=seconds, samples_file=samples, csv_prefix=prefix)
    everything = measured.line("all", measured.samples)
    print(
        f"    {everything.count} requests, {everything.rps:.1f}/s, searches and pages p95 "
        f"{measured.targeted().p95_ms:.0f} ms, {measured.errors} errors",
        flush=True,
    )
    return measured


def _last_run_pk() -> int:
    from marketplace.models import PaymentRun

    return PaymentRun.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def payment_run_checked(*, after_pk: int) -> list[str]:
    """The run paid in the middle of the test: each of its invoices paid once, the ledger still balanced."""
    from django.db.models import Count, Sum

    from brokerage.models import Posting
    from marketplace.models import PaymentRun
    from marketplace.payments.models import PaymentItem

    run = PaymentRun.objects.filter(council__name="Coventry City Council", pk__gt=after_pk).order_by("-pk").first()
    items = PaymentItem.objects.filter(run=run)
    twice = (
        PaymentItem.objects.filter(invoice__in=items.values("invoice"), status="sent")
        .values("invoice")
        .annotate(times=Count("pk"))
        .filter(times__gt=1)
    )
    postings = Posting.objects.aggregate(total=Sum("amount"))["total"] or 0
    return [
        f"payment run in the middle {run.reference if run else '(none)'}: "
        f"{run.get_status_display() if run else 'not prepared'}, "
        f"{items.count()} invoices, none paid twice: {'yes' if run and not twice.exists() else 'NO'}",
        f"ledger balanced after the test (postings sum to zero): {'yes' if postings == 0 else f'NO ({postings})'}",
    ]


@dataclass
class Measured:
    main: report.Run | None = None
    steps: list[report.Run] | None = None
    checks: list[str] | None = None


MEASURED = Measured()


def _measure(target: Site) -> None:
    before = _last_run_pk()
    MEASURED.main = locust_run(target, users=USERS, seconds=SECONDS, label="main", payment_run_at=SECONDS / 2)
    MEASURED.checks = payment_run_checked(after_pk=before)
    MEASURED.steps = []
    if not MEASURED.main.within_limit():
        return
    for users in (step for step in STEP_USERS if step > USERS):
        step = locust_run(target, users=users, seconds=STEP_SECONDS, label=f"step-{users}")
        MEASURED.steps.append(step)
        if not step.within_limit():
            return


def _workers() -> str:
    return f"{GUNICORN_WORKERS} workers × {GUNICORN_THREADS} threads"


def _render(result: TableResult) -> list[str]:
    assert MEASURED.main is not None
    return report.section(MEASURED.main, MEASURED.steps or [], workers=_workers(), step_cap=max(STEP_USERS))


def _summary(result: TableResult) -> list[str]:
    assert MEASURED.main is not None
    lines = report.targets(MEASURED.main, MEASURED.steps or [], step_cap=max(STEP_USERS))
    return lines + (MEASURED.checks or [])


@benchmark(
    "load",
    description=f"locust against gunicorn ({GUNICORN_WORKERS} workers × {GUNICORN_THREADS} threads) and PostgreSQL "
    f"with the demo data at scale {DEMO_SCALE}: searches, offer and provider pages, sign-ins with two-step "
    "verification, plan edits, invoice approvals and a payment run, 1 to 5 s think time (docs/load-test.md)",
    baseline="none: the issue's targets (0 errors at 50 people, p95 < 300 ms for searches and pages) and the "
    "step-up's first failing load",
    heavy=True,
)
def load() -> Iterator[Table]:
    def stages() -> Iterator[list[Row]]:
        with site() as target:
            yield [Row(f"{USERS} people, then the step-up", {"load test": lambda: _measure(target)})]

    yield Table(
        columns=("load test",),
        ratios=(),
        stages=stages,
        repetitions=1,
        warmup=0,
        summary=_summary,
        render=_render,
    )


def plan_summary(plan: Path) -> dict[str, int]:
    """How many of each kind of sign-in and record the plan holds (for the tests and the setup's log)."""
    data = json.loads(plan.read_text())
    return {key: len(value) for key, value in data.items() if isinstance(value, list | dict)}
