"""The database backend's index: one denormalised document per searchable offer, with child rows for
everything a filter or a facet counts, so that both are single SQL queries.

Rows here are written only by the indexer (``search.backends.database_index``) after a change has
committed; they are a copy of ``providers`` data, rebuilt at will with ``manage.py search_index --rebuild``.
Dates that lapse (DBS checks, frameworks) are kept as dates and compared with the query's ``today``,
so a lapse takes effect without reindexing.

The GIN indexes (the search vector, and trigrams on ``SearchWord.word``) exist on PostgreSQL only and
are made by migration 0002, outside the model state: declared here, SQLite would try to build them
whenever it rebuilds a table.
"""

from django.contrib.postgres.search import SearchVectorField
from django.db import models


class OfferDocument(models.Model):
    offer = models.OneToOneField("providers.Offer", on_delete=models.CASCADE, related_name="search_document")
    public_id = models.UUIDField(unique=True)
    name = models.CharField(max_length=150)
    description = models.TextField()
    categories = models.TextField(help_text="Names of the offer's categories and needs, for word search")
    minimum_age = models.PositiveSmallIntegerField()
    maximum_age = models.PositiveSmallIntegerField()
    min_price = models.DecimalField(max_digits=12, decimal_places=2, null=True)
    min_price_unit = models.CharField(max_length=10, blank=True)
    has_capacity = models.BooleanField()
    provider_kind = models.CharField(max_length=20)
    provider_name = models.CharField(max_length=200)
    organisation_pk = models.BigIntegerField(null=True)
    pa_profile_pk = models.BigIntegerField(null=True)
    checks_current_until = models.DateField(null=True)
    assured_on = models.DateField(null=True)
    # PostgreSQL only, with a GIN index (empty on SQLite, which keeps its words in an FTS5 table).
    search_vector = SearchVectorField(null=True)
    # The distinct words of this document, so that reindexing can keep SearchWord frequencies exact.
    vocabulary = models.TextField(blank=True)
    indexed_at = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(fields=["name"], name="offerdoc_name"),
            models.Index(fields=["minimum_age", "maximum_age"], name="offerdoc_ages"),
            models.Index(fields=["provider_kind"], name="offerdoc_provider_kind"),
            models.Index(fields=["checks_current_until"], name="offerdoc_checks"),
            models.Index(fields=["-assured_on"], name="offerdoc_assured"),
        ]

    def __str__(self) -> str:
        return self.name


class OfferKeyword(models.Model):
    """One value of a keyword facet: category codes (with every ancestor), needs, attending types, languages."""

    class Facet(models.TextChoices):
        CATEGORY = "category"
        NEED = "need"
        ATTENDING_TYPE = "attending_type"
        LANGUAGE = "language"

    document = models.ForeignKey(OfferDocument, on_delete=models.CASCADE, related_name="keywords")
    facet = models.CharField(max_length=20, choices=Facet.choices)
    value = models.CharField(max_length=80)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["document", "facet", "value"], name="offerkeyword_unique_value"),
        ]
        indexes = [models.Index(fields=["facet", "value", "document"], name="offerkeyword_lookup")]


class OfferPrice(models.Model):
    """A price the family pays (VAT added where it is charged on top), one per cost option."""

    document = models.ForeignKey(OfferDocument, on_delete=models.CASCADE, related_name="prices")
    unit = models.CharField(max_length=10)
    amount = models.DecimalField(max_digits=12, decimal_places=2)

    class Meta:
        indexes = [models.Index(fields=["unit", "amount", "document"], name="offerprice_unit_amount")]


class OfferSchedule(models.Model):
    document = models.ForeignKey(OfferDocument, on_delete=models.CASCADE, related_name="schedules")
    weekday = models.CharField(max_length=2)
    opens_at = models.TimeField()
    closes_at = models.TimeField()

    class Meta:
        indexes = [models.Index(fields=["weekday", "opens_at", "closes_at"], name="offerschedule_span")]


class OfferPlace(models.Model):
    """Where distance is measured to: a venue, or a personal assistant's home district centre (never
    their home postcode, which is private)."""

    document = models.ForeignKey(OfferDocument, on_delete=models.CASCADE, related_name="places")
    latitude = models.FloatField()
    longitude = models.FloatField()
    is_approximate = models.BooleanField(default=False)

    class Meta:
        indexes = [models.Index(fields=["latitude", "longitude"], name="offerplace_bounding_box")]


class OfferCoverage(models.Model):
    """A place the offer comes to: a postcode district or a council area (ONS code)."""

    class Kind(models.TextChoices):
        DISTRICT = "district"
        COUNCIL = "council"

    document = models.ForeignKey(OfferDocument, on_delete=models.CASCADE, related_name="coverage")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    code = models.CharField(max_length=9)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["document", "kind", "code"], name="offercoverage_unique")]
        indexes = [models.Index(fields=["kind", "code", "document"], name="offercoverage_lookup")]


class OfferFramework(models.Model):
    """A council framework the offer is on, with the contract's dates (compared with the query's today)."""

    document = models.ForeignKey(OfferDocument, on_delete=models.CASCADE, related_name="frameworks")
    framework_public_id = models.UUIDField()
    name = models.CharField(max_length=200)
    starts_on = models.DateField()
    ends_on = models.DateField()

    class Meta:
        indexes = [
            models.Index(fields=["framework_public_id", "document"], name="offerframework_lookup"),
            models.Index(fields=["starts_on", "ends_on"], name="offerframework_dates"),
        ]


class SearchWord(models.Model):
    """The vocabulary of the index, for typo tolerance: every word of 4 or more letters and how many
    documents use it."""

    word = models.CharField(max_length=60, unique=True)
    length = models.PositiveSmallIntegerField()
    frequency = models.IntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["length", "word"], name="searchword_length")]

    def __str__(self) -> str:
        return self.word


class DemandSignal(models.Model):
    """A search that found nothing or fewer than 3 offers, or a PA advert nobody answered. Nothing here
    identifies who searched or advertised: the words are scrubbed of numbers, email addresses and
    postcodes, the place is a postcode district and council area, and the time is a month."""

    class Source(models.TextChoices):
        SEARCH = "search", "A search"
        PA_ADVERT = "pa_advert", "A PA advert with no replies"

    source = models.CharField(max_length=10, choices=Source.choices, default=Source.SEARCH)
    text = models.CharField(max_length=200, blank=True)
    filters = models.JSONField(default=dict, blank=True, help_text="Filter codes only, e.g. categories and needs")
    postcode_district = models.CharField(max_length=4, blank=True)
    council_code = models.CharField(max_length=9, blank=True)
    month = models.DateField(help_text="The first day of the month of the search")
    results = models.PositiveSmallIntegerField()

    class Meta:
        indexes = [models.Index(fields=["council_code", "month"], name="demandsignal_council_month")]

    def __str__(self) -> str:
        return f"{self.text or '(no words)'} in {self.council_code or 'an unknown area'}, {self.month:%B %Y}"
