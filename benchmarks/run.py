"""Run the benchmarks and write docs/benchmarks.md: `make bench`, or

    .venv/bin/python benchmarks/run.py [--repetitions 300] [--warmup 30] [--only home_page] [--no-write]
                                       [--only search --scale 2000]

The database is a fresh, migrated test database (a test copy of the PostgreSQL database in
DATABASE_URL, or in-memory SQLite), made and dropped by this run, so that the numbers never depend on
what happens to be in a developer's database. The search benchmark needs PostgreSQL: without
DATABASE_URL, the run starts a throwaway cluster (scripts/pg_cluster.py, in .tmp/pg-bench) and stops
it afterwards.
"""

import argparse
import os
import platform
import sys
import warnings
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # run as a script: make the project importable

REPORT = ROOT / "docs" / "benchmarks.md"
NEEDS_POSTGRESQL = ("search", "payment_run", "insights", "load")


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _database_description(connection) -> str:  # type: ignore[no-untyped-def]
    name = str(connection.settings_dict["NAME"])
    where = "in memory" if "memory" in name else name
    return f"{connection.vendor}, a freshly migrated test database ({where})"


def machine_description() -> list[str]:
    import django
    import wagtail
    from django.db import connection

    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return [
        f"CPU: {cpu_model()}, {cores} cores available ({os.cpu_count()} in the machine)",
        f"Python {platform.python_version()}, Django {django.get_version()}, Wagtail {wagtail.__version__}",
        f"Database: {_database_description(connection)}",
        f"Settings: {os.environ['DJANGO_SETTINGS_MODULE']}",
        # Other work on the machine slows both sides; the ratio suffers less than the milliseconds.
        f"Load average when the run started: {os.getloadavg()[0]:.2f}",
    ]


def render_report(results: list, machine: list[str], repetitions: int, warmup: int) -> str:  # type: ignore[type-arg]
    from benchmarks.harness import TableResult

    pairs = [result for result in results if not isinstance(result, TableResult)]
    tables = [result for result in results if isinstance(result, TableResult)]
    measured = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        "# Benchmarks",
        "",
        "Written by `make bench` (benchmarks/run.py); do not edit by hand. How the harness works and how to",
        "add a benchmark: benchmarks/harness.py.",
        "",
        f"Each benchmark made {repetitions} timed calls of its subject and {repetitions} of its baseline,",
        f"alternating, after {warmup} warm-up calls of each. p50 and p95 are nearest-rank percentiles of",
        "the wall-clock time of one call. The ratio compares subject and baseline measured in the same run;",
        "it moves much less between machines than the milliseconds do.",
        "",
        "A benchmark that reports several rows (search) says its own repetitions below its table. Quick runs:",
        "`.venv/bin/python benchmarks/run.py --only search --scale 2000 --no-write`. With `--only` and without",
        "`--no-write`, a several-row benchmark replaces only its own section, which says when it was measured.",
        "",
        f"Measured {measured} on:",
        "",
        *[f"- {line}" for line in machine],
        "",
    ]
    if pairs:
        lines += _pair_table(pairs)
    for table in tables:
        lines += _rows_table(table)
    lines += ["", MEASURES, ""]
    for result in results:
        bench = result.benchmark
        lines.append(f"- **{bench.name}**: {bench.description}. Baseline: {bench.baseline}.")
    return "\n".join(lines) + "\n"


def _pair_table(results: list) -> list[str]:  # type: ignore[type-arg]
    lines = [
        "| benchmark | subject p50 | subject p95 | baseline p50 | baseline p95 | p50 ratio | p95 ratio |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for result in results:
        lines.append(
            f"| {result.benchmark.name} | {result.subject.p50_ms:.2f} ms | {result.subject.p95_ms:.2f} ms "
            f"| {result.baseline.p50_ms:.2f} ms | {result.baseline.p95_ms:.2f} ms "
            f"| {result.p50_ratio:.1f}× | {result.p95_ratio:.1f}× |"
        )
    return lines


def _rows_table(result) -> list[str]:  # type: ignore[no-untyped-def]
    """One row per line of a several-row benchmark: p50 / p95 of each column, then the subject's p95 ratios."""
    table = result.table
    subject = table.columns[0]
    heading = [
        *(f"{column} p50 / p95" for column in table.columns),
        *(f"{subject}/{other} p95" for other in table.ratios),
    ]
    lines = ["", f"### {result.benchmark.name}", ""]
    if table.render:
        lines += table.render(result)
    else:
        lines += _timed_rows(result, heading)
    if result.summary:
        lines += ["", "Targets:", "", *(f"- {line}" for line in result.summary)]
    return lines


def _timed_rows(result, heading: list[str]) -> list[str]:  # type: ignore[no-untyped-def]
    table = result.table
    subject = table.columns[0]
    lines = [f"| {result.benchmark.name} | " + " | ".join(heading) + " |", "| --- |" + " ---: |" * len(heading)]
    for row in result.rows:
        times = [f"{row.timings[c].p50_ms:.2f} / {row.timings[c].p95_ms:.2f} ms" for c in table.columns]
        ratios = [f"{row.p95_ratio(subject, other):.2f}×" for other in table.ratios]
        lines.append(f"| {row.label} | " + " | ".join(times + ratios) + " |")
    return [
        *lines,
        "",
        f"{result.repetitions} timed calls of each column per row, going round the columns, after {result.warmup} "
        "warm-up calls of each.",
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repetitions", type=int, default=300, help="timed calls of each side (default 300)")
    parser.add_argument("--warmup", type=int, default=30, help="untimed calls of each side first (default 30)")
    parser.add_argument("--only", action="append", help="run only this benchmark (repeatable)")
    parser.add_argument("--no-write", action="store_true", help=f"print only; leave {REPORT.name} alone")
    parser.add_argument(
        "--scale", type=int, action="append", help="offers in the search benchmark (repeatable; default 10000 100000)"
    )
    parser.add_argument("--load-duration", type=int, help="seconds of the load test's first run (default 180)")
    parser.add_argument("--load-users", type=int, help="people in the load test's first run (default 50)")
    options = parser.parse_args()
    cluster = _postgresql_start() if _needs_postgresql(options.only) else None
    try:
        return _run(parser, options)
    finally:
        if cluster is not None:
            _postgresql_stop(cluster)


def _needs_postgresql(only: list[str] | None) -> bool:
    return not os.environ.get("DATABASE_URL") and any(name in (only or NEEDS_POSTGRESQL) for name in NEEDS_POSTGRESQL)


def _postgresql_start():  # type: ignore[no-untyped-def]
    """A throwaway cluster, as `make test` starts one; DATABASE_URL then names it for this run."""
    sys.path.insert(0, str(ROOT / "scripts"))
    import pg_cluster

    place = pg_cluster.Place(base=ROOT / ".tmp" / "pg-bench", state_file=ROOT / ".tmp" / "pg-bench.json")
    cluster = pg_cluster.start(place)
    os.environ["DATABASE_URL"] = cluster.database_url
    print(f"started PostgreSQL for the benchmarks: {cluster.database_url}", flush=True)
    return cluster


def _postgresql_stop(cluster) -> None:  # type: ignore[no-untyped-def]
    import pg_cluster

    pg_cluster.stop(cluster)


def _run(parser: argparse.ArgumentParser, options: argparse.Namespace) -> int:

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    # WhiteNoise warns that STATIC_ROOT is missing; the benchmarks serve no static files.
    warnings.filterwarnings("ignore", "No directory at", UserWarning)
    import django

    django.setup()
    from django.test.utils import setup_databases, setup_test_environment, teardown_databases

    from benchmarks.harness import discover, measure

    registry = discover()
    if options.scale:
        from benchmarks import bench_search

        bench_search.scales_choose(options.scale)
    if options.load_duration or options.load_users:
        from benchmarks import bench_load

        bench_load.options_choose(seconds=options.load_duration, users=options.load_users)
    chosen = options.only or sorted(registry)
    unknown = sorted(set(chosen) - set(registry))
    if unknown:
        parser.error(f"no benchmark called {', '.join(unknown)}; there are {', '.join(sorted(registry))}")

    setup_test_environment()
    databases = setup_databases(verbosity=0, interactive=False, aliases={"default"})
    try:
        machine = machine_description()
        results = []
        for name in chosen:
            print(f"running {name} ...", flush=True)
            results.append(measure(registry[name], repetitions=options.repetitions, warmup=options.warmup))
    finally:
        teardown_databases(databases, verbosity=0)

    report = render_report(results, machine, options.repetitions, options.warmup)
    print(report)
    if not options.no_write:
        if options.only and REPORT.exists():
            report = merge_sections(REPORT.read_text(), results, machine)
        REPORT.write_text(report)
        print(f"written to {REPORT.relative_to(ROOT)}")
    return 0


def merge_sections(existing: str, results: list, machine: list[str]) -> str:  # type: ignore[type-arg]
    """The report of a whole run (``existing``) with the sections of the benchmarks just run with ``--only``
    put in place of their old ones (or added), each saying when and on what it was measured, since that
    differs from the whole run's. A long benchmark can then be measured again without the others (a whole
    ``make bench`` takes most of an hour). Only several-row benchmarks have sections of their own; a
    benchmark of the pair table (home_page) is measured by a whole run."""
    from benchmarks.harness import TableResult

    pairs = [result.benchmark.name for result in results if not isinstance(result, TableResult)]
    if pairs:
        raise SystemExit(f"{', '.join(pairs)} share the first table: measure them with a whole `make bench`")
    head, marker, described = existing.partition(MEASURES)
    if not marker:
        raise SystemExit(f"{REPORT.name} is not a report of a whole run; run `make bench` first")
    sections = _sections(head)
    for result in results:
        lines = _rows_table(result)
        measured = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
        lines[3:3] = [f"Measured on its own ({OWN_RUN}) {measured} on:", "", *[f"- {line}" for line in machine], ""]
        sections[result.benchmark.name] = "\n".join(lines[1:]).strip("\n")
    descriptions = _descriptions(described)
    for result in results:
        bench = result.benchmark
        descriptions[bench.name] = f"- **{bench.name}**: {bench.description}. Baseline: {bench.baseline}."
    body = "\n\n".join(part for part in sections.values())
    return f"{body}\n\n{MEASURES}\n\n" + "\n".join(descriptions.values()) + "\n"


MEASURES = "What each benchmark measures:"
OWN_RUN = "`benchmarks/run.py --only`"


def _sections(head: str) -> dict[str, str]:
    """The report's text before the descriptions, split at its ``### name`` headings: the part before the
    first heading under the key "", then each benchmark's section by name, in order."""
    sections: dict[str, str] = {}
    name, lines = "", []  # type: ignore[var-annotated]
    for line in head.strip("\n").splitlines():
        if line.startswith("### "):
            sections[name] = "\n".join(lines).strip("\n")
            name, lines = line[4:].strip(), []
        lines.append(line)
    sections[name] = "\n".join(lines).strip("\n")
    return sections


def _descriptions(text: str) -> dict[str, str]:
    found = {}
    for line in text.strip("\n").splitlines():
        if line.startswith("- **"):
            found[line[4:].split("**", 1)[0]] = line
    return found


if __name__ == "__main__":
    sys.exit(main())
