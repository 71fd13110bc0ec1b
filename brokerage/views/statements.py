"""A budget's statement: figures per funding stream and per outcome, and every transaction, as a page,
a CSV and a tagged PDF.

Whoever may see the budget may read its statement (the family, and the workers they shared the records
with); a budget outside that answers 404, a role without casework 403.
"""

from decimal import Decimal
from uuid import UUID

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from weasyprint import HTML

from accounts.exports import csv_response
from brokerage.models import Budget
from brokerage.selectors.service_funds import family_funds
from brokerage.statements import BudgetStatement, budget_statement, budget_transactions
from brokerage.views.people import record_roles_required
from brokerage.views.plans import budget_for_request

CSV_HEADER = [
    "Row",
    "Funding stream or outcome",
    "Date",
    "Description",
    "Reference",
    "Allocated",
    "Committed",
    "Spent",
    "Direct payments",
    "Returned",
    "Balance",
    "Amount",
]


def _context(budget: Budget) -> dict:
    return {
        "budget": budget,
        "statement": budget_statement(budget),
        "transactions": budget_transactions(budget),
        "service_funds": family_funds(budget),
        "title": f"Budget statement for {budget.person}, {budget.starts_on:%-d %B %Y} to {budget.ends_on:%-d %B %Y}",
    }


@record_roles_required
def statement_page(request: HttpRequest, public_id: UUID) -> HttpResponse:
    budget = budget_for_request(request, public_id)
    return render(request, "brokerage/statements/statement.html", _context(budget))


@record_roles_required
def statement_csv(request: HttpRequest, public_id: UUID) -> HttpResponse:
    budget = budget_for_request(request, public_id)
    context = _context(budget)
    rows = [*_figure_rows(context["statement"]), *_transaction_rows(context["transactions"])]
    return csv_response(_filename(budget, "csv"), CSV_HEADER, rows)


@record_roles_required
def statement_pdf(request: HttpRequest, public_id: UUID) -> HttpResponse:
    budget = budget_for_request(request, public_id)
    html = render_to_string("brokerage/statements/statement_pdf.html", _context(budget), request=request)
    # PDF/UA-1 makes weasyprint tag the structure (headings, tables, lists) and mark the file as
    # tagged, with the document's language and its title shown instead of the file name.
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf(pdf_variant="pdf/ua-1")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_filename(budget, "pdf")}"'
    return response


def _filename(budget: Budget, extension: str) -> str:
    return f"budget-statement-{budget.financial_year}-{budget.public_id}.{extension}"


def _money(value: Decimal) -> str:
    return f"{value:.2f}"


def _figure_rows(statement: BudgetStatement) -> list[list[object]]:
    rows: list[list[object]] = []
    for stream in statement.allocations:
        allocation = stream.allocation
        source = f" from {allocation.locality_fund}" if allocation.locality_fund_id else ""
        rows.append(
            [
                "Funding stream",
                f"{allocation.stream.name}{source} ({allocation.stream.finance_code})",
                "",
                "",
                "",
                *(_money(getattr(stream, name)) for name in ("allocated", "committed", "spent")),
                *(_money(getattr(stream, name)) for name in ("direct_payments", "returned", "balance")),
                "",
            ]
        )
    totals = [statement.total(name) for name in ("allocated", "committed", "spent", "direct_payments", "returned")]
    rows.append(["Total", "", "", "", "", *map(_money, totals), _money(statement.total("balance")), ""])
    for figures in statement.outcomes:
        name = figures.outcome.description if figures.outcome else "Not tied to an outcome"
        rows.append(["Outcome", name, "", "", "", "", _money(figures.committed), _money(figures.spent), "", "", "", ""])
    return rows


def _transaction_rows(transactions) -> list[list[object]]:  # type: ignore[no-untyped-def]
    return [
        [
            "Transaction",
            record.get_kind_display(),
            record.occurred_on.isoformat(),
            record.description,
            record.reference,
            *([""] * 6),
            _money(record.amount or Decimal("0.00")),
        ]
        for record in transactions
    ]
