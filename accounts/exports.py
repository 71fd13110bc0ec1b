"""CSV downloads of the lists officers work from, safe to open in a spreadsheet."""

import csv
from collections.abc import Iterable, Sequence

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from accounts.models import Organisation

# A cell starting with one of these runs as a formula when the file is opened in a spreadsheet; names
# and emails come from outside the council, so they are quoted to stay plain text.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> object:
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return f"'{value}"
    return value


def dated_csv_filename(what: str) -> str:
    return f"{what}-{timezone.localdate().isoformat()}.csv"


def csv_filename(council: Organisation, what: str) -> str:
    return dated_csv_filename(f"{council.slug}-{what}")


def csv_response(filename: str, header: Sequence[str], rows: Iterable[Sequence[object]]) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # so that Excel reads the file as UTF-8
    writer = csv.writer(response)
    writer.writerow(header)
    writer.writerows([csv_cell(value) for value in row] for row in rows)
    return response


def query_string_without_page(request: HttpRequest) -> str:
    """The current filters, for pagination and download links."""
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()
