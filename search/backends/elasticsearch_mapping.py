"""The Elasticsearch index: one document per searchable offer, its mapping and its index settings.

A document holds what ``search.documents.IndexedOffer`` holds, shaped for Elasticsearch: words as
``text`` with the English analyser (stemming, English stop words), codes as ``keyword`` for filters
and facet counts, venues as ``geo_point``, the postcode districts and council areas an offer comes to
as keywords, prices, timetable and frameworks as ``nested`` objects (so that a unit and an amount, or
a day and its hours, are matched together), and the dates that lapse (DBS checks, frameworks) as dates
compared with the query's day.
"""

from datetime import date, time

from elasticsearch_dsl import (
    Boolean,
    Date,
    Document,
    GeoPoint,
    Index,
    InnerDoc,
    Integer,
    Keyword,
    MetaField,
    Nested,
    ScaledFloat,
    SearchAsYouType,
    Text,
)

from search.documents import IndexedOffer

ANALYSER = "english"
# Field weights for word search, as the SQLite engine's bm25() weights: name, categories and needs, description.
TEXT_FIELDS = ("name^10", "categories^4", "description")
TIME_FORMAT = "hour_minute_second"  # HH:mm:ss


class PriceDocument(InnerDoc):
    """A price the family pays (VAT added where it is charged on top); pence are kept exact."""

    unit = Keyword()
    amount = ScaledFloat(scaling_factor=100)


class SpanDocument(InnerDoc):
    weekday = Keyword()
    opens_at = Date(format=TIME_FORMAT)
    closes_at = Date(format=TIME_FORMAT)


class FrameworkDocument(InnerDoc):
    public_id = Keyword()
    name = Keyword()
    starts_on = Date(format="date")
    ends_on = Date(format="date")


class OfferIndexDocument(Document):
    """One searchable offer. Its ``_id`` is the offer's id."""

    class Meta:
        # A field the mapping does not name is refused, not guessed: the mapping is the code's.
        dynamic = MetaField("strict")

    offer_id = Integer()
    public_id = Keyword()
    # "sort" orders by name as the database backend does (by the name's characters); "typeahead"
    # scores names that begin with what was typed above names that only contain the words.
    name = Text(
        analyzer=ANALYSER,
        fields={"sort": Keyword(), "typeahead": SearchAsYouType(analyzer="standard")},
    )
    description = Text(analyzer=ANALYSER)
    categories = Text(analyzer=ANALYSER)
    category_codes = Keyword()
    need_codes = Keyword()
    minimum_age = Integer()
    maximum_age = Integer()
    attending_types = Keyword()
    languages = Keyword()
    spans = Nested(SpanDocument)
    prices = Nested(PriceDocument)
    has_capacity = Boolean()
    provider_kind = Keyword()
    provider_name = Keyword()
    checks_current_until = Date(format="date")
    assured_on = Date(format="date")
    places = GeoPoint()
    districts = Keyword()
    council_codes = Keyword()
    frameworks = Nested(FrameworkDocument)
    # The offer's words as typed (not stemmed), for typo tolerance: which words exist, and how many offers use each.
    vocabulary = Keyword()


def index_definition(name: str, *, shards: int, replicas: int) -> Index:
    """A new index for a rebuild: no replicas and no refreshes while it loads (both are set when it is complete)."""
    index = Index(name)
    index.settings(
        number_of_shards=shards,
        number_of_replicas=0,
        refresh_interval="-1",
        max_result_window=MAX_RESULT_WINDOW,
    )
    index.document(OfferIndexDocument)
    return index


def live_settings(*, replicas: int) -> dict:
    """Settings for an index that searches read: replicas, and new writes searchable within a second."""
    return {"index": {"number_of_replicas": replicas, "refresh_interval": "1s"}}


# Elasticsearch's default: deeper pages are answered without hits (see the query builder).
MAX_RESULT_WINDOW = 10_000


def offer_document(offer: IndexedOffer) -> OfferIndexDocument:
    """The document for an offer, every value already in the form its JSON takes, so that a stored
    ``_source`` compares equal with a document built afresh (``verify``)."""
    return OfferIndexDocument(
        meta={"id": offer.offer_id},
        offer_id=offer.offer_id,
        public_id=str(offer.public_id),
        name=offer.name,
        description=offer.description,
        categories=offer.categories_text,
        category_codes=list(offer.category_codes),
        need_codes=list(offer.need_codes),
        minimum_age=offer.minimum_age,
        maximum_age=offer.maximum_age,
        attending_types=sorted(set(offer.attending_types)),
        languages=list(offer.languages),
        spans=[
            {"weekday": span.weekday, "opens_at": _time(span.opens_at), "closes_at": _time(span.closes_at)}
            for span in sorted(offer.spans, key=lambda span: (span.weekday, span.opens_at, span.closes_at))
        ],
        prices=[
            {"unit": price.unit, "amount": float(price.amount)}
            for price in sorted(offer.prices, key=lambda price: (price.unit, price.amount))
        ],
        has_capacity=offer.has_capacity,
        provider_kind=offer.provider_kind,
        provider_name=offer.provider_name,
        checks_current_until=_date(offer.checks_current_until),
        assured_on=_date(offer.assured_on),
        places=[{"lat": place.latitude, "lon": place.longitude} for place in offer.places],
        districts=list(offer.districts),
        council_codes=list(offer.council_codes),
        frameworks=[
            {
                "public_id": str(framework.public_id),
                "name": framework.name,
                "starts_on": framework.starts_on.isoformat(),
                "ends_on": framework.ends_on.isoformat(),
            }
            for framework in offer.frameworks
        ],
        vocabulary=sorted(offer.vocabulary),
    )


def offer_source(offer: IndexedOffer) -> dict:
    """The ``_source`` Elasticsearch stores for an offer."""
    return offer_document(offer).to_dict()


def _time(value: time) -> str:
    return value.strftime("%H:%M:%S")


def _date(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None
