"""The harness itself: percentiles, registration and one short run of each benchmark.

These tests check that the benchmarks still run and report; they never judge a time.
"""

from contextlib import contextmanager

import pytest

from benchmarks.harness import REGISTRY, Benchmark, Pair, benchmark, discover, measure, percentile
from benchmarks.run import render_report


def test_percentile_is_a_measured_value_by_nearest_rank():
    samples = list(range(100, 0, -1))  # 100 down to 1, unsorted on purpose

    assert percentile(samples, 0.50) == 50
    assert percentile(samples, 0.95) == 95
    assert percentile([7], 0.95) == 7


def test_two_benchmarks_may_not_share_a_name():
    discover()
    name = next(iter(REGISTRY))

    with pytest.raises(ValueError, match="two benchmarks"):
        benchmark(name, description="again", baseline="again")(lambda: iter([]))


def test_measure_alternates_subject_and_baseline_and_counts_every_call():
    calls: list[str] = []

    def setup():  # type: ignore[no-untyped-def]
        yield Pair(subject=lambda: calls.append("subject"), baseline=lambda: calls.append("baseline"))

    bench = Benchmark(name="probe", description="probe", baseline="probe", prepare=contextmanager(setup))

    result = measure(bench, repetitions=3, warmup=1)

    assert calls == ["subject", "baseline"] * 4
    assert len(result.subject.samples_ns) == len(result.baseline.samples_ns) == 3


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(name for name, bench in discover().items() if not bench.heavy))
def test_every_registered_benchmark_runs_and_reports(name):
    result = measure(REGISTRY[name], repetitions=3, warmup=1)

    report = render_report([result], ["CPU: test"], repetitions=3, warmup=1)

    assert f"| {name} |" in report
    assert len(result.subject.samples_ns) == 3
