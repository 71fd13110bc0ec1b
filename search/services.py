"""Writes of the search app: demand signals. (The index itself is written by the backends, after commit.)"""

from django.db import transaction

from providers.exceptions import PostcodeError
from providers.postcodes import locate, normalise
from search.models import DemandSignal
from search.privacy import search_words_scrub
from search.query import AGE_BANDS, SearchQuery

# A search that finds fewer offers than this shows a gap in the market.
FEW_RESULTS = 3


@transaction.atomic
def demand_record(*, query: SearchQuery, total: int) -> DemandSignal | None:
    """Record a search that found nothing or fewer than 3 offers, without personal data: scrubbed
    words, filter codes, the postcode district and council area, and the month.

    Only a first page counts, so that paging through a search does not count it again.
    """
    if total >= FEW_RESULTS or query.page != 1:
        return None
    district, council_code = _area_of(query.postcode)
    signal = DemandSignal(
        text=search_words_scrub(query.text),
        filters=_filter_codes(query),
        postcode_district=district,
        council_code=council_code,
        month=query.today.replace(day=1),
        results=total,
    )
    signal.full_clean()
    signal.save()
    return signal


def _area_of(postcode: str) -> tuple[str, str]:
    if not postcode:
        return "", ""
    try:
        place = locate(postcode)
    except PostcodeError:
        try:
            return normalise(postcode).split(" ")[0], ""
        except PostcodeError:
            return "", ""
    return place.district, place.council_code


def _filter_codes(query: SearchQuery) -> dict:
    """The filters as codes. An exact age or price could narrow a search down to a family, so an age
    is kept as its band and a price as its unit only."""
    codes: dict = {
        name: list(getattr(query, name))
        for name in ("categories", "needs", "attending_types", "days", "languages")
        if getattr(query, name)
    }
    for flag in ("comes_to_home", "dbs_checked_only", "framework_only", "has_capacity"):
        if getattr(query, flag):
            codes[flag] = True
    if query.provider_kind:
        codes["provider_kind"] = query.provider_kind
    if query.price_unit:
        codes["price_unit"] = query.price_unit
    if query.age is not None:
        codes["age_band"] = next((band.value for band in AGE_BANDS if band.lowest <= query.age <= band.highest), "26+")
    return codes
