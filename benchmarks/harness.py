"""Time a subject against a baseline in the same run, and report percentiles and their ratio.

Absolute times depend on the machine and on whatever else it is doing; the ratio to a baseline
measured in the same run, interleaved request by request, mostly does not. So every benchmark names
its baseline, and the report leads with the ratio.

A benchmark that reports several rows (say, each query of a mix at two sizes of data, each against
more than one baseline) yields a ``Table`` instead: columns of calls, the subject first, and stages of
``Row``s, each stage free to change the data before its rows are timed.

Adding a benchmark: create ``benchmarks/bench_<topic>.py`` with a context-manager function decorated
with ``@benchmark(...)`` that sets up what it needs and yields a ``Pair`` of callables. ``run.py``
imports every ``bench_*.py`` module, so nothing else has to change.
"""

import importlib
import math
import pkgutil
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Pair:
    """One call of the thing measured and one call of its baseline."""

    subject: Callable[[], object]
    baseline: Callable[[], object]


@dataclass(frozen=True)
class Row:
    """One line of a ``Table``: a call for each of its columns."""

    label: str
    calls: dict[str, Callable[[], object]]


@dataclass(frozen=True)
class Table:
    """Several rows, timed column by column in turn; ``ratios`` names the columns the subject (the first
    column) is divided by. ``repetitions`` and ``warmup``, when given, cap the run's (a slow baseline)."""

    columns: tuple[str, ...]
    ratios: tuple[str, ...]
    stages: Callable[[], Iterator[list[Row]]]
    repetitions: int | None = None
    warmup: int | None = None
    summary: Callable[["TableResult"], list[str]] | None = None
    # Lines drawn in place of the p50 / p95 table, for a benchmark whose figures are not timed calls (load).
    render: Callable[["TableResult"], list[str]] | None = None


@dataclass(frozen=True)
class Benchmark:
    name: str
    description: str
    baseline: str
    prepare: Callable[[], AbstractContextManager[Pair | Table]]
    # Builds data of its own for minutes: the harness's unit tests leave it to a test of its own.
    heavy: bool = False


REGISTRY: dict[str, Benchmark] = {}


def benchmark(
    name: str, *, description: str, baseline: str, heavy: bool = False
) -> Callable[[Callable[[], Iterator[Pair | Table]]], Callable[[], AbstractContextManager[Pair | Table]]]:
    """Register a generator that sets up, yields a ``Pair`` (or a ``Table``), and cleans up afterwards."""

    def register(setup: Callable[[], Iterator[Pair | Table]]) -> Callable[[], AbstractContextManager[Pair | Table]]:
        if name in REGISTRY:
            raise ValueError(f"two benchmarks are called {name!r}")
        prepare = contextmanager(setup)
        REGISTRY[name] = Benchmark(name=name, description=description, baseline=baseline, prepare=prepare, heavy=heavy)
        return prepare

    return register


def discover() -> dict[str, Benchmark]:
    """Import every benchmarks/bench_*.py module, which registers its benchmarks."""
    folder = Path(__file__).resolve().parent
    for module in pkgutil.iter_modules([str(folder)]):
        if module.name.startswith("bench_"):
            importlib.import_module(f"benchmarks.{module.name}")
    return REGISTRY


def percentile(samples: list[int], fraction: float) -> int:
    """Nearest-rank percentile: a value that was really measured, never an interpolation."""
    ordered = sorted(samples)
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]


@dataclass(frozen=True)
class Timing:
    samples_ns: list[int]

    @property
    def p50_ms(self) -> float:
        return percentile(self.samples_ns, 0.50) / 1e6

    @property
    def p95_ms(self) -> float:
        return percentile(self.samples_ns, 0.95) / 1e6


@dataclass(frozen=True)
class Result:
    benchmark: Benchmark
    subject: Timing
    baseline: Timing

    @property
    def p50_ratio(self) -> float:
        return self.subject.p50_ms / self.baseline.p50_ms

    @property
    def p95_ratio(self) -> float:
        return self.subject.p95_ms / self.baseline.p95_ms


@dataclass(frozen=True)
class RowResult:
    label: str
    timings: dict[str, Timing]

    def p95_ratio(self, subject: str, other: str) -> float:
        return self.timings[subject].p95_ms / self.timings[other].p95_ms


@dataclass(frozen=True)
class TableResult:
    benchmark: Benchmark
    table: Table
    rows: list[RowResult]
    repetitions: int
    warmup: int

    @property
    def summary(self) -> list[str]:
        return self.table.summary(self) if self.table.summary else []


def _timed(call: Callable[[], object]) -> int:
    started = time.perf_counter_ns()
    call()
    return time.perf_counter_ns() - started


def measure(bench: Benchmark, *, repetitions: int, warmup: int) -> Result | TableResult:
    """Warm both up, then alternate subject and baseline so that drift in the machine hits both alike."""
    with bench.prepare() as pair:
        if isinstance(pair, Table):
            return _measure_table(bench, pair, repetitions=repetitions, warmup=warmup)
        for _ in range(warmup):
            pair.subject()
            pair.baseline()
        subject, baseline = [], []
        for _ in range(repetitions):
            subject.append(_timed(pair.subject))
            baseline.append(_timed(pair.baseline))
    return Result(benchmark=bench, subject=Timing(subject), baseline=Timing(baseline))


def _measure_table(bench: Benchmark, table: Table, *, repetitions: int, warmup: int) -> TableResult:
    """Each row as a pair is measured: warm up every column, then go round the columns call by call."""
    repetitions = min(repetitions, table.repetitions or repetitions)
    warmup = min(warmup, table.warmup if table.warmup is not None else warmup)
    results = []
    for rows in table.stages():
        for row in rows:
            print(f"  timing {row.label} ...", flush=True)
            for _ in range(warmup):
                for column in table.columns:
                    row.calls[column]()
            samples: dict[str, list[int]] = {column: [] for column in table.columns}
            for _ in range(repetitions):
                for column in table.columns:
                    samples[column].append(_timed(row.calls[column]))
            results.append(RowResult(row.label, {column: Timing(samples[column]) for column in table.columns}))
    return TableResult(benchmark=bench, table=table, rows=results, repetitions=repetitions, warmup=warmup)
