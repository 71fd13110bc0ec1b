"""The commissioner's market insights: figures about one council's market, one module per section.

Each section is a selector module (``prices``, ``spend``, ``quality``, ``frameworks``) that takes an
``InsightScope`` (the acting council and the period) and answers dataclasses of figures computed by aggregate
queries; ``views`` renders them with ``accounts.charts`` and offers each table as CSV. A later section
(supply against demand, equity, market position statement blocks) is a further module of the same shape,
registered in ``SECTIONS`` below and given its own view and URL.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Section:
    title: str
    url_name: str
    summary: str


SECTIONS = (
    Section(
        "Supply and demand",
        "marketplace:insights-supply",
        "Providers and personal assistants available in each kind of support and postcode district against "
        "the signs that families could not get it: the biggest gaps, a map and trends by month.",
    ),
    Section(
        "Prices",
        "marketplace:insights-prices",
        "What providers charge per unit in each kind of support, against your framework rates, and what "
        "budget holders actually paid.",
    ),
    Section(
        "Spend",
        "marketplace:insights-spend",
        "Money spent from budgets by funding stream, kind of support, provider, framework and month.",
    ),
    Section(
        "Quality",
        "marketplace:insights-quality",
        "DBS checks and insurance about to lapse, listings waiting for checks, concerns, complaints and low ratings.",
    ),
    Section(
        "Equity",
        "marketplace:insights-equity",
        "Take-up and spend per child in each postcode district, against the figure for all your children.",
    ),
    Section(
        "Frameworks",
        "marketplace:insights-frameworks",
        "Where each lot of your frameworks reaches, members' share of spend and members whose checks lapse.",
    ),
)
