"""The load test's pieces, quickly: reading forms, the security code, and turning a run's samples into the report.

The load test itself needs the demo data at scale, gunicorn and minutes of locust (`benchmarks/run.py --only
load`); these tests never start them and never judge a time.
"""

import json
from contextlib import contextmanager

import pytest

from benchmarks import bench_load
from benchmarks.harness import Benchmark, Row, Table, measure
from benchmarks.load import report
from benchmarks.load.pages import form_with, forms_of, totp_code
from benchmarks.run import render_report

PAGE = """
<form method="get" action="/search/"><input name="text" value="swimming"></form>
<form method="post" action="/budgets/plans/abc/lines/add/">
  <input type="hidden" name="csrfmiddlewaretoken" value="token&amp;1">
  <input type="text" name="description">
  <select name="stream"><option value="">Choose</option><option value="7">Education</option>
    <option value="9">Health</option></select>
  <select name="unit"><option value="hour">Hour</option><option value="day" selected>Day</option></select>
  <input type="radio" name="frequency" value="once"><input type="radio" name="frequency" value="weekly" checked>
  <input type="radio" name="given_by" value="provider"><input type="radio" name="given_by" value="family">
  <input type="checkbox" name="by_direct_payment" value="on">
  <textarea name="notes">ignored</textarea>
  <button type="submit" name="action" value="save">Add the line</button>
</form>
"""


def test_a_form_sends_what_a_browser_sends_unchanged():
    form = form_with(PAGE, "/lines/add/")

    assert form["fields"] == {
        "csrfmiddlewaretoken": "token&1",
        "description": "",
        "stream": "7",
        "unit": "day",
        "frequency": "weekly",
        "given_by": "provider",
        "notes": "",
    }
    assert [found["method"] for found in forms_of(PAGE)] == ["get", "post"]


def test_the_security_code_is_the_one_the_site_accepts_for_the_demo_key():
    from demo.mfa import DEMO_TOTP_SECRET, demo_totp_code

    moment = 1_795_000_000.0

    assert totp_code(DEMO_TOTP_SECRET.replace(" ", ""), at=moment) == demo_totp_code(at=moment)


def _run(users: int, times: dict[str, list[float]], failed: int = 0) -> report.Run:
    samples = [report.Sample(name, ms, False) for name, values in times.items() for ms in values]
    samples += [report.Sample("page: offer", 50.0, True)] * failed
    return report.Run(users=users, seconds=10.0, samples=samples, failures=[])


def test_lines_are_nearest_rank_percentiles_per_kind_and_group():
    run = _run(50, {"search": [float(ms) for ms in range(1, 101)], "page: offer": [10.0] * 20})

    (search, offer) = run.by_name()
    groups = {line.label: line for line in run.by_group()}

    assert (search.label, search.count, search.rps) == ("search", 100, 10.0)
    assert (search.p50_ms, search.p95_ms, search.p99_ms) == (50.0, 95.0, 99.0)
    assert offer.label == "page: offer" and offer.p95_ms == 10.0
    assert groups["all requests"].count == 120 and groups["all page requests"].count == 20
    assert run.targeted().count == 120


def test_targets_say_met_or_missed_and_where_the_step_up_fails():
    main = _run(50, {"search": [100.0] * 10, "page: home": [200.0] * 10})
    fine = _run(100, {"search": [900.0] * 10})
    slow = _run(150, {"search": [1500.0] * 10})

    lines = report.targets(main, [fine, slow], step_cap=300)

    assert lines[0] == "0 errors at 50 people: 0 (met)"
    assert lines[1] == "searches p95 < 300 ms: 100 ms (met)"
    assert lines[2] == "pages p95 < 300 ms: 200 ms (met)"
    assert lines[3].endswith("150 people (0 errors, searches and pages p95 1500 ms)")
    assert report.first_failing([main, fine]) is None
    assert "not reached" in report.targets(main, [fine], step_cap=300)[3]
    assert report.targets(_run(50, {"search": [10.0]}, failed=2), [], step_cap=300)[0].endswith("2 (missed)")


def test_a_run_is_read_from_the_samples_and_locusts_failures_file(tmp_path):
    samples = tmp_path / "main-samples.json"
    samples.write_text(json.dumps([["search", 12.5, False], ["page: offer", 40.0, True]]))
    (tmp_path / "main_failures.csv").write_text(
        "Method,Name,Error,Occurrences\nGET,page: offer,\"CatchResponseError('500 for /x/')\",1\n"
    )

    run = report.run_read(users=5, seconds=10, samples_file=samples, csv_prefix=tmp_path / "main")

    assert run.errors == 1
    assert run.failures == [("page: offer", "CatchResponseError('500 for /x/')", 1)]
    assert [line.label for line in run.by_name()] == ["search", "page: offer"]


def test_the_section_in_the_report_has_the_tables_and_the_targets(monkeypatch):
    main = _run(50, {"search": [100.0] * 10, "page: home": [200.0] * 10}, failed=1)
    monkeypatch.setattr(bench_load, "MEASURED", bench_load.Measured(main=main, steps=[], checks=["ledger ok"]))

    @contextmanager
    def prepare():  # type: ignore[no-untyped-def]
        yield Table(
            columns=("load test",),
            ratios=(),
            stages=lambda: iter([[Row("50 people", {"load test": lambda: None})]]),
            repetitions=1,
            warmup=0,
            summary=bench_load._summary,
            render=bench_load._render,
        )

    bench = Benchmark(name="load", description="load", baseline="none", prepare=prepare)
    text = render_report([measure(bench, repetitions=1, warmup=0)], ["CPU: test"], repetitions=1, warmup=0)

    section = text.split("### load")[1]
    assert "| search | 10 | 1.00 | 100 ms | 100 ms | 100 ms | 0 |" in section
    assert "| 50 | 10 |" in section  # the step-up table starts with the measured run
    assert "- 0 errors at 50 people: 1 (missed)" in section
    assert "- ledger ok" in section
    assert "timed calls" not in section


@pytest.mark.postgres
@pytest.mark.django_db
def test_the_database_url_names_the_runs_test_database():
    from django.db import connection

    url = bench_load.database_url()

    assert url.startswith("postgres://") and url.endswith(f"/{connection.settings_dict['NAME']}")


def test_gunicorn_serves_with_several_workers_on_localhost():
    command = bench_load.gunicorn_command(8123)

    assert command[1] == "config.wsgi:application"
    assert "127.0.0.1:8123" in command and "--workers" in command
