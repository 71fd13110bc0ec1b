"""Open Referral paging: ``page`` and ``per_page`` in, the schema's Page fields out.

A page past the last answers an empty ``contents`` (not 404), as HSDS consumers expect when they
page until ``last_page``; a page or size that is not a positive whole number answers 400.
"""

import math
from typing import Any

from django.db.models import QuerySet
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import BasePagination
from rest_framework.request import Request
from rest_framework.response import Response

DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 500
# Far past any real directory; keeps the SQL offset within range.
MAX_PAGE = 1_000_000


class OpenReferralPagination(BasePagination):
    def paginate_queryset(self, queryset: QuerySet, request: Request, view: Any = None) -> list:
        self.page_number = _whole_number(request, "page", default=1, maximum=MAX_PAGE)
        self.per_page = _whole_number(request, "per_page", default=DEFAULT_PER_PAGE, maximum=MAX_PER_PAGE)
        self.total_items = queryset.count()
        start = (self.page_number - 1) * self.per_page
        return list(queryset[start : start + self.per_page])

    def get_paginated_response(self, data: list) -> Response:
        total_pages = math.ceil(self.total_items / self.per_page)
        return Response(
            {
                "total_items": self.total_items,
                "total_pages": total_pages,
                "page_number": self.page_number,
                "size": len(data),
                "first_page": self.page_number == 1,
                "last_page": self.page_number >= total_pages,
                "empty": len(data) == 0,
                "contents": data,
            }
        )

    def get_paginated_response_schema(self, schema: dict) -> dict:
        return {
            "type": "object",
            "required": ["total_items", "total_pages", "page_number", "size", "first_page", "last_page", "empty"],
            "properties": {
                "total_items": {"type": "integer", "description": "How many items there are on every page"},
                "total_pages": {"type": "integer"},
                "page_number": {"type": "integer"},
                "size": {"type": "integer", "description": "How many items are on this page"},
                "first_page": {"type": "boolean"},
                "last_page": {"type": "boolean"},
                "empty": {"type": "boolean", "description": "Whether this page has no items"},
                "contents": schema,
            },
        }

    def get_schema_operation_parameters(self, view: Any) -> list[dict]:
        return [
            {
                "name": "page",
                "in": "query",
                "required": False,
                "description": "Page number, from 1",
                "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE},
            },
            {
                "name": "per_page",
                "in": "query",
                "required": False,
                "description": f"Items per page (default {DEFAULT_PER_PAGE}, at most {MAX_PER_PAGE})",
                "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE},
            },
        ]


def _whole_number(request: Request, name: str, *, default: int, maximum: int) -> int:
    raw = request.query_params.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or not 1 <= int(raw) <= maximum:
        raise ValidationError({name: [f"Give a whole number from 1 to {maximum}"]})
    return int(raw)
