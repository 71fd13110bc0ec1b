"""The find-support page, /search/: anyone searches published offers by words, place and filters.

A plain GET form, so it works without JavaScript; with it, htmx asks for the same address and gets
only the form's contents back (``HX-Request``), and a persistent live region announces the new count.
"""

from dataclasses import asdict, dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers

from accounts.models import Membership
from accounts.roles import Role
from marketplace.selectors import OfferCard, offer_cards
from marketplace.views.find_support_budget import BUDGET_FIELDS, BudgetBox, budget_box_for
from marketplace.views.find_support_filters import SINGLE_FIELDS, filters_for
from search.exceptions import InvalidQuery, SearchUnavailable
from search.query import FacetValue, SearchQuery, SearchResults, Suggestion
from search.selectors import offers_search
from search.services import demand_record

TEMPLATE = "marketplace/find_support/page.html"
# Council officers who search to watch the market (a commissioner following a gap from the supply page, a QA
# officer checking a listing) are not people looking for support: their searches are not demand signals.
# Lead professionals and managers search on a family's behalf, so theirs are.
MARKET_WATCHING_ROLES = (Role.COMMISSIONER, Role.QA_OFFICER, Role.FINANCE_OFFICER, Role.COUNCIL_ADMIN)
# Links from content pages (cms.blocks.DirectorySearchLinkBlock) use these shorter names.
SITE_LINK_NAMES = {"q": "text", "category": "categories"}
QUERY_FIELDS = (
    *SINGLE_FIELDS,
    "categories",
    "needs",
    "attending_types",
    "days",
    "languages",
    "dbs_checked_only",
    "has_capacity",
    "comes_to_home",
    "framework_only",
)


@dataclass(frozen=True)
class PageLink:
    number: int | None  # None: an ellipsis between page numbers
    href: str = ""
    current: bool = False


@dataclass(frozen=True)
class DidYouMean:
    words: str
    href: str


def find_support(request: HttpRequest) -> HttpResponse:
    params = _search_params(request.GET)
    results, errors, unavailable = None, {}, False
    try:
        query = SearchQuery.from_params(params)
        results = offers_search(query)
    except InvalidQuery as invalid:
        errors = invalid.errors
    except SearchUnavailable:
        unavailable = True
    if results is not None and _is_a_search(params) and not _watches_the_market(request):
        demand_record(query=query, total=results.total)
    box = budget_box_for(request.user, params, day=timezone.localdate())
    if box is not None:
        errors = {**errors, **box.errors}
    fragment = _wants_fragment(request)
    context = {**_context(params, results, errors, unavailable, box), "fragment": fragment}
    template = f"{TEMPLATE}#search" if fragment else TEMPLATE
    response = render(request, template, context, status=503 if unavailable else 200)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _watches_the_market(request: HttpRequest) -> bool:
    user = request.user
    return user.is_authenticated and (
        user.is_staff or Membership.objects.filter(user=user, is_active=True, role__in=MARKET_WATCHING_ROLES).exists()
    )


def _context(
    params: QueryDict,
    results: SearchResults | None,
    errors: dict[str, str],
    unavailable: bool,
    box: BudgetBox | None = None,
) -> dict[str, object]:
    facets = results.facets if results is not None else _facets_for_the_form()
    cards = _cards(params, results, box)
    return {
        "page_title": "Find support",
        "params": params,
        "results": results,
        "cards": cards,
        "map_places": _map_places(cards),
        "filters": filters_for(params, facets, errors, counted=results is not None),
        "errors": [{"href": f"#{name}", "message": message} for name, message in errors.items()],
        "budget_box": box,
        "unavailable": unavailable,
        "did_you_mean": _did_you_mean(params, results.suggestions) if results is not None else None,
        "pages": _page_links(params, results) if results is not None else [],
        "previous_href": _page_href(params, results.page - 1) if results is not None and results.has_previous else "",
        "next_href": _page_href(params, results.page + 1) if results is not None and results.has_next else "",
        "clear_filters_href": _clear_filters_href(params),
        "map_config": {"tileUrl": settings.MAP_TILE_URL, "attribution": settings.MAP_TILE_ATTRIBUTION},
    }


def _cards(params: QueryDict, results: SearchResults | None, box: BudgetBox | None) -> list[OfferCard]:
    if results is None:
        return []
    headroom, units = (box.headroom, box.units) if box is not None else (None, None)
    return offer_cards(results.hits, price_unit=params.get("price_unit", ""), headroom=headroom, units=units)


def _search_params(raw: QueryDict) -> QueryDict:
    """The query string with content pages' short names read as the form's names, and only the fields the
    form knows (so that a tracking parameter added to a shared link does not break the search)."""
    params = QueryDict(mutable=True)
    for name, values in raw.lists():
        name = SITE_LINK_NAMES.get(name, name)
        if name in QUERY_FIELDS or name in ("page", "per_page", *BUDGET_FIELDS):
            params.setlist(name, [*params.getlist(name), *values])
    return params


def _is_a_search(params: QueryDict) -> bool:
    """Whether a person asked for something: the bare page, or only a sort or page, is not a search."""
    return any(
        value.strip()
        for name, values in params.lists()
        if name not in ("sort", "page", "per_page", *BUDGET_FIELDS)
        for value in values
    )


def _wants_fragment(request: HttpRequest) -> bool:
    # A history restore asks for the whole page: htmx has no copy of it to put the fragment into.
    return request.headers.get("HX-Request") == "true" and request.headers.get("HX-History-Restore-Request") != "true"


def _facets_for_the_form() -> dict[str, list[FacetValue]]:
    """The filters' values when the person's query cannot run: those of an unfiltered search (shown
    without counts, which would not be the counts of what they asked)."""
    try:
        return offers_search(SearchQuery(per_page=1)).facets
    except (InvalidQuery, SearchUnavailable):
        return {}


def _map_places(cards: list[OfferCard]) -> list[dict[str, object]]:
    return [
        {
            "name": card.name,
            "provider": card.provider_name,
            "url": reverse("providers:public-offer", args=[card.public_id]),
            **asdict(place),
        }
        for card in cards
        for place in card.places
    ]


def _did_you_mean(params: QueryDict, suggestions: list[Suggestion]) -> DidYouMean | None:
    if not suggestions:
        return None
    corrections = {suggestion.word: suggestion.corrections[0] for suggestion in suggestions if suggestion.corrections}
    words = " ".join(corrections.get(word.lower(), word) for word in params.get("text", "").split())
    if not corrections or words == params.get("text", ""):
        return None
    changed = params.copy()
    changed["text"] = words
    changed.pop("page", None)
    return DidYouMean(words, f"?{changed.urlencode()}")


def _page_href(params: QueryDict, number: int) -> str:
    changed = params.copy()
    changed["page"] = str(number)
    return f"?{changed.urlencode()}"


def _page_links(params: QueryDict, results: SearchResults) -> list[PageLink]:
    """GOV.UK pagination: the first and last pages, the current one and its neighbours, ellipses between."""
    if results.pages <= 1:
        return []
    shown = sorted(
        {1, results.pages, results.page - 1, results.page, results.page + 1} & set(range(1, results.pages + 1))
    )
    links: list[PageLink] = []
    for number in shown:
        if links and links[-1].number is not None and number - links[-1].number > 1:
            links.append(PageLink(None))
        links.append(PageLink(number, _page_href(params, number), number == results.page))
    return links


def _clear_filters_href(params: QueryDict) -> str:
    """The same words and place, without any filter."""
    kept = {name: params.get(name) for name in ("text", "postcode", "radius_miles") if params.get(name)}
    return f"?{urlencode(kept)}" if kept else "?"
