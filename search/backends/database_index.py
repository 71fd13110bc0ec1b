"""Writing the database backend's index: documents, their child rows, the word table and the vocabulary.

A document is replaced whole (deleted and written again) in one transaction, so a search never sees
half of one. The vocabulary counts, per word, the documents using it; each document keeps its own
words so that replacing or removing it can subtract exactly what it added.
"""

from collections import Counter
from collections.abc import Iterable
from types import ModuleType

from django.db import connection, transaction
from django.db.models import F, Model
from django.utils import timezone

from search.documents import IndexedOffer
from search.models import (
    OfferCoverage,
    OfferDocument,
    OfferFramework,
    OfferKeyword,
    OfferPlace,
    OfferPrice,
    OfferSchedule,
    SearchWord,
)

CHILD_MODELS = (OfferKeyword, OfferPrice, OfferSchedule, OfferPlace, OfferCoverage, OfferFramework)


def engine() -> ModuleType:
    """The word-search module for the database in use."""
    if connection.vendor == "postgresql":
        from search.backends import postgres

        return postgres
    from search.backends import sqlite

    return sqlite


@transaction.atomic
def documents_replace(offers: list[IndexedOffer], *, remove_offer_ids: Iterable[int] = ()) -> None:
    """Write these offers' documents afresh and take out the documents of ``remove_offer_ids``."""
    stale_ids = {offer.offer_id for offer in offers} | set(remove_offer_ids)
    removed_words = _documents_delete(stale_ids)
    documents = _documents_create(offers)
    engine().text_write(documents)
    added_words = Counter(word for document in documents for word in document.vocabulary.split())
    _vocabulary_adjust(added_words - removed_words, removed_words - added_words)


@transaction.atomic
def documents_clear() -> None:
    engine().text_clear()
    for model in (*CHILD_MODELS, OfferDocument, SearchWord):
        model.objects.all().delete()


def _documents_delete(offer_ids: set[int]) -> Counter:
    if not offer_ids:
        return Counter()
    old = list(OfferDocument.objects.filter(offer_id__in=offer_ids).values_list("pk", "vocabulary"))
    document_ids = [pk for pk, _ in old]
    engine().text_delete(document_ids)
    for model in CHILD_MODELS:
        model.objects.filter(document_id__in=document_ids).delete()
    OfferDocument.objects.filter(pk__in=document_ids).delete()
    return Counter(word for _, vocabulary in old for word in vocabulary.split())


def _documents_create(offers: list[IndexedOffer]) -> list[OfferDocument]:
    now = timezone.now()
    documents = OfferDocument.objects.bulk_create([_document(offer, now) for offer in offers])
    if connection.vendor != "postgresql" and any(document.pk is None for document in documents):
        # Older SQLite cannot return ids from a bulk insert; read them back by offer.
        ids = dict(
            OfferDocument.objects.filter(offer_id__in=[o.offer_id for o in offers]).values_list("offer_id", "pk")
        )
        for document in documents:
            document.pk = ids[document.offer_id]
    by_offer = {document.offer_id: document for document in documents}
    for model, rows in _child_rows(offers, by_offer).items():
        rows_insert(model, rows)
    return documents


def rows_insert(model: type[Model], rows: list[Model]) -> None:
    """Insert rows whose ids nobody reads back: with COPY on PostgreSQL, else bulk_create.

    A rebuild writes several child rows per offer; building them into INSERT statements took Django
    and psycopg longer than PostgreSQL took to store them.
    """
    if connection.vendor != "postgresql":
        model.objects.bulk_create(rows, batch_size=1000)
        return
    fields = [field for field in model._meta.concrete_fields if not field.primary_key]
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    sql = f"COPY {connection.ops.quote_name(model._meta.db_table)} ({columns}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row([field.get_db_prep_save(field.pre_save(row, add=True), connection) for field in fields])


def _document(offer: IndexedOffer, now) -> OfferDocument:  # type: ignore[no-untyped-def]
    cheapest = offer.cheapest
    return OfferDocument(
        offer_id=offer.offer_id,
        public_id=offer.public_id,
        name=offer.name,
        description=offer.description,
        categories=offer.categories_text,
        minimum_age=offer.minimum_age,
        maximum_age=offer.maximum_age,
        min_price=cheapest.amount if cheapest else None,
        min_price_unit=cheapest.unit if cheapest else "",
        has_capacity=offer.has_capacity,
        provider_kind=offer.provider_kind,
        provider_name=offer.provider_name,
        organisation_pk=offer.organisation_pk,
        pa_profile_pk=offer.pa_profile_pk,
        checks_current_until=offer.checks_current_until,
        assured_on=offer.assured_on,
        vocabulary=" ".join(sorted(offer.vocabulary)),
        indexed_at=now,
    )


def _child_rows(offers: list[IndexedOffer], by_offer: dict[int, OfferDocument]) -> dict[type, list]:
    rows: dict[type, list] = {model: [] for model in CHILD_MODELS}
    for offer in offers:
        document = by_offer[offer.offer_id]
        keywords = {
            OfferKeyword.Facet.CATEGORY: offer.category_codes,
            OfferKeyword.Facet.NEED: offer.need_codes,
            OfferKeyword.Facet.ATTENDING_TYPE: offer.attending_types,
            OfferKeyword.Facet.LANGUAGE: offer.languages,
        }
        for facet, values in keywords.items():
            rows[OfferKeyword] += [OfferKeyword(document=document, facet=facet, value=v) for v in set(values)]
        rows[OfferPrice] += [OfferPrice(document=document, unit=p.unit, amount=p.amount) for p in offer.prices]
        rows[OfferSchedule] += [
            OfferSchedule(document=document, weekday=s.weekday, opens_at=s.opens_at, closes_at=s.closes_at)
            for s in offer.spans
        ]
        rows[OfferPlace] += [
            OfferPlace(document=document, latitude=p.latitude, longitude=p.longitude, is_approximate=p.is_approximate)
            for p in offer.places
        ]
        rows[OfferCoverage] += [
            OfferCoverage(document=document, kind=OfferCoverage.Kind.DISTRICT, code=code) for code in offer.districts
        ] + [
            OfferCoverage(document=document, kind=OfferCoverage.Kind.COUNCIL, code=code) for code in offer.council_codes
        ]
        rows[OfferFramework] += [
            OfferFramework(
                document=document,
                framework_public_id=f.public_id,
                name=f.name,
                starts_on=f.starts_on,
                ends_on=f.ends_on,
            )
            for f in offer.frameworks
        ]
    return rows


def _vocabulary_adjust(added: Counter, removed: Counter) -> None:
    """Add and subtract document counts; a word no document uses any more leaves the vocabulary."""
    if added:
        SearchWord.objects.bulk_create(
            [SearchWord(word=word, length=len(word), frequency=0) for word in added], ignore_conflicts=True
        )
    for change, words in _by_change(added, +1) | _by_change(removed, -1):
        SearchWord.objects.filter(word__in=words).update(frequency=F("frequency") + change)
    if removed:
        SearchWord.objects.filter(word__in=list(removed), frequency__lte=0).delete()


def _by_change(counts: Counter, sign: int) -> set[tuple[int, tuple[str, ...]]]:
    # One UPDATE per distinct count, not one per word.
    grouped: dict[int, list[str]] = {}
    for word, count in counts.items():
        grouped.setdefault(sign * count, []).append(word)
    return {(change, tuple(words)) for change, words in grouped.items()}


def offer_fingerprint(offer: IndexedOffer) -> dict:
    """What a document should hold for this offer, in a form that compares with ``document_fingerprints``."""
    return {
        "document": (
            offer.name,
            offer.description,
            offer.categories_text,
            offer.minimum_age,
            offer.maximum_age,
            offer.has_capacity,
            offer.provider_kind,
            offer.provider_name,
            offer.checks_current_until,
            offer.assured_on,
        ),
        "keywords": sorted(
            {("category", v) for v in offer.category_codes}
            | {("need", v) for v in offer.need_codes}
            | {("attending_type", v) for v in offer.attending_types}
            | {("language", v) for v in offer.languages}
        ),
        "prices": sorted((p.unit, p.amount) for p in offer.prices),
        "spans": sorted((s.weekday, s.opens_at, s.closes_at) for s in offer.spans),
        "coverage": sorted([("district", c) for c in offer.districts] + [("council", c) for c in offer.council_codes]),
        "frameworks": sorted((f.public_id, f.starts_on, f.ends_on) for f in offer.frameworks),
        "places": sorted((round(p.latitude, 6), round(p.longitude, 6)) for p in offer.places),
    }


def document_fingerprints(offer_ids: list[int]) -> dict[int, dict]:
    """What the index holds for these offers, keyed by offer id."""
    documents = OfferDocument.objects.filter(offer_id__in=offer_ids).prefetch_related(
        "keywords", "prices", "schedules", "coverage", "frameworks", "places"
    )
    return {document.offer_id: _stored_fingerprint(document) for document in documents}


def _stored_fingerprint(document: OfferDocument) -> dict:
    return {
        "document": (
            document.name,
            document.description,
            document.categories,
            document.minimum_age,
            document.maximum_age,
            document.has_capacity,
            document.provider_kind,
            document.provider_name,
            document.checks_current_until,
            document.assured_on,
        ),
        "keywords": sorted((k.facet, k.value) for k in document.keywords.all()),
        "prices": sorted((p.unit, p.amount) for p in document.prices.all()),
        "spans": sorted((s.weekday, s.opens_at, s.closes_at) for s in document.schedules.all()),
        "coverage": sorted((c.kind, c.code) for c in document.coverage.all()),
        "frameworks": sorted((f.framework_public_id, f.starts_on, f.ends_on) for f in document.frameworks.all()),
        "places": sorted((round(p.latitude, 6), round(p.longitude, 6)) for p in document.places.all()),
    }
