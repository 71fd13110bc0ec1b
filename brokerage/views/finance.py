"""Finance officers export the council's ledger postings with finance codes, for any date range.

The CSV is streamed row by row, so a year of postings never sits in memory. Only postings of the
council the officer acts for are included; other roles get 403.
"""

import csv
from collections.abc import Iterator

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render

from accounts.exports import csv_cell
from accounts.permissions import role_required
from accounts.roles import Role
from brokerage.forms.finance import PostingsExportForm
from brokerage.selectors.finance import POSTINGS_HEADER, posting_row, postings_for_council

finance_officer_required = role_required(Role.FINANCE_OFFICER)


class _Echo:
    """csv.writer writes each row here and gets the line back, to hand to the streaming response."""

    def write(self, value: str) -> str:
        return value


@finance_officer_required
def postings_export(request: HttpRequest) -> HttpResponse:
    form = PostingsExportForm(request.GET if "starts_on_0" in request.GET else None)
    if not form.is_valid():
        return render(request, "brokerage/finance/postings.html", {"form": form})
    council = request.council  # type: ignore[attr-defined]
    starts_on, ends_on = form.cleaned_data["starts_on"], form.cleaned_data["ends_on"]
    postings = postings_for_council(council=council, starts_on=starts_on, ends_on=ends_on)
    response = StreamingHttpResponse(_csv_lines(postings), content_type="text/csv; charset=utf-8")
    filename = f"{council.slug}-postings-{starts_on.isoformat()}-to-{ends_on.isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _csv_lines(postings) -> Iterator[str]:  # type: ignore[no-untyped-def]
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(POSTINGS_HEADER)  # the mark tells Excel the file is UTF-8
    for posting in postings.iterator(chunk_size=2000):
        yield writer.writerow([csv_cell(value) for value in posting_row(posting)])
