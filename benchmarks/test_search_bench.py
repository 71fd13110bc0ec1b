"""The search benchmark on a tiny dataset: the service, the naive baseline and the SQL floor agree.

The benchmark refuses to time implementations that answer differently; this checks, quickly and on
every `make test`, that they still agree for each query of the mix. It never judges a time.
"""

import pytest

from benchmarks import bench_search
from benchmarks.harness import REGISTRY, discover, measure
from benchmarks.run import render_report
from benchmarks.search_data import offers_ensure, probe_count
from benchmarks.search_floor import floor_search
from search.query import SearchQuery

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

OFFERS = 50


@pytest.fixture
def tiny_dataset():
    offers_ensure(OFFERS)


@pytest.mark.parametrize("label", sorted(bench_search.QUERY_MIX))
def test_service_baseline_and_floor_give_the_same_page_total_and_facets(tiny_dataset, label):
    query = bench_search.queries()[label]

    ours = bench_search.service_search(query)

    assert ours.total > 0
    assert ours.page
    assert bench_search.disagreements(query) == []


def test_the_typo_is_corrected_to_the_probe_word(tiny_dataset):
    results = bench_search.offers_search(bench_search.queries()["typo"])

    assert [(item.word, item.corrections) for item in results.suggestions] == [("hydrotherpy", ("hydrotherapy",))]
    assert results.total == probe_count(OFFERS)


def test_the_floor_refuses_a_filter_outside_the_mix(tiny_dataset):
    with pytest.raises(ValueError, match="query mix only"):
        floor_search(SearchQuery(text="swimming", has_capacity=True))


def test_the_benchmark_runs_and_reports_rows_and_targets(monkeypatch):
    monkeypatch.setattr(bench_search, "SCALES", (OFFERS,))
    discover()

    result = measure(REGISTRY["search"], repetitions=2, warmup=0)

    report = render_report([result], ["CPU: test"], repetitions=2, warmup=0)
    assert len(result.rows) == len(bench_search.QUERY_MIX)
    assert f"| {OFFERS} offers: words |" in report
    assert "Targets:" in report
