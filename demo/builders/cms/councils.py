"""Each demo council's own section of the site, with its market position statement: the council's words,
and live figure blocks that count its market (spend, gaps, prices, checks lapsing) whenever the page is viewed,
so the statement holds no invented numbers.
"""

from datetime import date

from cms.models import MarketPositionStatementPage
from demo.builders.cms.planned import PlannedPage
from demo.builders.cms.streams import bullets, directory, heading, link, text


def council_intro(council_name: str) -> str:
    return f"Information from {council_name} about personal budgets, short breaks and local support."


def financial_year(today: date) -> str:
    start = today.year if today.month >= 4 else today.year - 1
    return f"{start} to {start + 1}"


def live_figure(key: str, note: str = "") -> tuple[str, dict[str, object]]:
    """A figure from the council's market insights for the current financial year, with a chart."""
    return ("live_figure", {"figure": key, "heading": "", "note": note, "show_chart": True, "year": "current"})


def market_position_statement(council_name: str, today: date) -> PlannedPage:
    return PlannedPage(
        MarketPositionStatementPage,
        "market-position-statement",
        "Market position statement",
        {
            "period": financial_year(today),
            "summary": f"What families in the area served by {council_name} want to buy, where support is "
            "hard to find, and how providers can help.",
            "body": [
                heading("What families are asking for"),
                text(
                    "Families want more short breaks at weekends and in the school holidays, support at home "
                    "in the evenings, and personal assistants who can help their child join in with clubs "
                    "and activities."
                ),
                heading("Where support is hard to find"),
                text(
                    "Personal assistants are hardest to find in the evenings, at weekends and in areas far "
                    "from town centres. Families also want more respite at home, so that a child can stay "
                    "at home instead of going to a residential unit."
                ),
                heading("What we will do"),
                text(
                    bullets(
                        "share what families search for on this site and cannot find",
                        f"hold provider forums: see the {link('/events/', 'events page')}",
                        "help providers offer support that families can buy with a direct payment",
                        "check prices and quality, and tell providers what we find",
                    )
                ),
                heading("The market in figures"),
                live_figure("spend-by-category", "Spending on each kind of support shows where demand is."),
                live_figure("supply-gaps", "If you can offer support where families find little, tell us."),
                live_figure("prices-offered", "Tell us if a price here would not cover your costs."),
                live_figure("spend-small-voluntary"),
                live_figure("dbs-lapsing", "Renew your staff's DBS checks before they lapse."),
                directory("See the support on offer"),
            ],
        },
    )
