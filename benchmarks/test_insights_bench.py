"""The insights benchmark on a tiny market: every page it times answers 200 with the market's figures in it.

It never judges a time; it checks that the data the benchmark builds is what the pages read (money spent, the
council's offers), so that the benchmark times real work and not empty pages.
"""

from decimal import Decimal

import pytest
from django.db.models import Sum

from benchmarks import bench_insights
from benchmarks.harness import REGISTRY, discover, measure
from brokerage.models import AccountKind, Posting
from marketplace.models import Order

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

OFFERS = 60
BUDGETS = 20


@pytest.fixture
def market():
    council, commissioner = bench_insights._commissioner("Subject City Council", bench_insights.ONS_CODE)
    bench_insights.market_build(council, offers=OFFERS, budgets=BUDGETS)
    return council, commissioner


def test_every_budget_is_paid_for_its_order_and_every_page_answers_with_the_spend(market):
    council, commissioner = market
    orders = Order.objects.filter(allocation__budget__council=council)
    client = bench_insights.signed_in(commissioner)

    spent = Posting.objects.filter(account__council=council, account__kind=AccountKind.SPENT).aggregate(
        total=Sum("amount")
    )["total"]
    answers = {label: client.get(path) for label, path in bench_insights.pages()}

    assert orders.count() == BUDGETS
    assert spent == sum(order.rate * order.units for order in orders)
    assert Posting.objects.aggregate(total=Sum("amount"))["total"] == Decimal(0)
    assert {label: response.status_code for label, response in answers.items()} == dict.fromkeys(answers, 200)
    assert b"Short breaks" in answers["spend"].content


def test_the_benchmark_runs_and_summarises_the_target(monkeypatch):
    monkeypatch.setattr(bench_insights, "OFFERS", OFFERS)
    monkeypatch.setattr(bench_insights, "BUDGETS", BUDGETS)
    discover()

    result = measure(REGISTRY["insights"], repetitions=2, warmup=0)

    assert [row.label for row in result.rows] == [label for label, _ in bench_insights.pages()]
    assert "p95 <" in result.summary[0]
