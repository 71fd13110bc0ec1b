"""Paging for the order screens' lists. The /orders/ page shows three lists (what waits on you, orders,
invoices), so each list pages with its own query parameter and its links keep the others' pages."""

from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.http import HttpRequest

PAGE_SIZE = 25


@dataclass(frozen=True)
class PagedList:
    page: Page
    param: str
    previous_url: str
    next_url: str

    @property
    def items(self) -> list:
        return list(self.page.object_list)


def _link(request: HttpRequest, param: str, number: int) -> str:
    params = request.GET.copy()
    params[param] = str(number)
    return f"?{params.urlencode()}"


def paged(request: HttpRequest, items, *, param: str = "page", per_page: int = PAGE_SIZE) -> PagedList:  # type: ignore[no-untyped-def]
    """The page of ``items`` the request asks for in ``param`` (the last page for a number too big, the
    first for anything else)."""
    page = Paginator(items, per_page).get_page(request.GET.get(param))
    return PagedList(
        page=page,
        param=param,
        previous_url=_link(request, param, page.previous_page_number()) if page.has_previous() else "",
        next_url=_link(request, param, page.next_page_number()) if page.has_next() else "",
    )
