"""The harness itself: percentiles, registration and one short run of each benchmark.

These tests check that the benchmarks still run and report; they never judge a time.
"""

from contextlib import contextmanager

import pytest

from benchmarks.harness import REGISTRY, Benchmark, Pair, Row, Table, benchmark, discover, measure, percentile
from benchmarks.run import MEASURES, merge_sections, render_report


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


def _table_result(name: str, label: str):  # type: ignore[no-untyped-def]
    def setup():  # type: ignore[no-untyped-def]
        yield Table(
            columns=("ours", "floor"),
            ratios=("floor",),
            stages=lambda: iter([[Row(label, {"ours": lambda: None, "floor": lambda: None})]]),
        )

    bench = Benchmark(name=name, description=f"{name} described", baseline="the floor", prepare=contextmanager(setup))
    return measure(bench, repetitions=2, warmup=0)


def test_a_benchmark_run_on_its_own_replaces_only_its_section_and_says_when_and_where():
    whole = render_report(
        [_table_result("alpha", "old alpha row"), _table_result("beta", "beta row")], ["CPU: first"], 2, 0
    )

    merged = merge_sections(whole, [_table_result("alpha", "new alpha row")], ["CPU: second"])

    assert "new alpha row" in merged and "old alpha row" not in merged
    assert "beta row" in merged and merged.count("### alpha") == merged.count("### beta") == 1
    alpha = merged.split("### alpha")[1].split("### beta")[0]
    assert "Measured on its own" in alpha and "- CPU: second" in alpha
    assert "- CPU: first" in merged.split("### alpha")[0]  # the whole run's own header stays
    assert merged.count("- **alpha**") == merged.count("- **beta**") == 1


def test_a_benchmark_run_on_its_own_is_added_when_the_report_lacks_it():
    whole = render_report([_table_result("alpha", "alpha row")], ["CPU: first"], 2, 0)

    merged = merge_sections(whole, [_table_result("gamma", "gamma row")], ["CPU: second"])

    assert merged.index("### alpha") < merged.index("### gamma") < merged.index(MEASURES)
    assert "- **gamma**: gamma described. Baseline: the floor." in merged
