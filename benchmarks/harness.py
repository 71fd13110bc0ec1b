"""Time a subject against a baseline in the same run, and report percentiles and their ratio.

Absolute times depend on the machine and on whatever else it is doing; the ratio to a baseline
measured in the same run, interleaved request by request, mostly does not. So every benchmark names
its baseline, and the report leads with the ratio.

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
class Benchmark:
    name: str
    description: str
    baseline: str
    prepare: Callable[[], AbstractContextManager[Pair]]


REGISTRY: dict[str, Benchmark] = {}


def benchmark(
    name: str, *, description: str, baseline: str
) -> Callable[[Callable[[], Iterator[Pair]]], Callable[[], AbstractContextManager[Pair]]]:
    """Register a generator that sets up, yields a ``Pair``, and cleans up afterwards."""

    def register(setup: Callable[[], Iterator[Pair]]) -> Callable[[], AbstractContextManager[Pair]]:
        if name in REGISTRY:
            raise ValueError(f"two benchmarks are called {name!r}")
        prepare = contextmanager(setup)
        REGISTRY[name] = Benchmark(name=name, description=description, baseline=baseline, prepare=prepare)
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


def _timed(call: Callable[[], object]) -> int:
    started = time.perf_counter_ns()
    call()
    return time.perf_counter_ns() - started


def measure(bench: Benchmark, *, repetitions: int, warmup: int) -> Result:
    """Warm both up, then alternate subject and baseline so that drift in the machine hits both alike."""
    with bench.prepare() as pair:
        for _ in range(warmup):
            pair.subject()
            pair.baseline()
        subject, baseline = [], []
        for _ in range(repetitions):
            subject.append(_timed(pair.subject))
            baseline.append(_timed(pair.baseline))
    return Result(benchmark=bench, subject=Timing(subject), baseline=Timing(baseline))
