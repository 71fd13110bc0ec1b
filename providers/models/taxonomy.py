import uuid

from django.db import models
from django.db.models import Q


class Taxonomy(models.Model):
    """A vocabulary, as in Open Referral: service categories, needs and disabilities, PA skills."""

    class Kind(models.TextChoices):
        SERVICE_CATEGORY = "service_category", "Service categories"
        NEED = "need", "Needs and disabilities"
        SKILL = "skill", "Skills and experience"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(max_length=30, choices=Kind.choices, unique=True)
    name = models.CharField(max_length=200)
    description = models.TextField()
    uri = models.URLField(blank=True)
    version = models.CharField(max_length=20, default="1")

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "taxonomies"

    def __str__(self) -> str:
        return self.name


class TaxonomyTermQuerySet(models.QuerySet):
    def for_council(self, council) -> "TaxonomyTermQuerySet":  # type: ignore[no-untyped-def]
        """Shared terms and the terms this council added."""
        return self.filter(Q(council__isnull=True) | Q(council=council))

    def shared(self) -> "TaxonomyTermQuerySet":
        return self.filter(council__isnull=True)

    def of_kind(self, kind: str) -> "TaxonomyTermQuerySet":
        return self.filter(taxonomy__kind=kind)


class TaxonomyTerm(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    taxonomy = models.ForeignKey(Taxonomy, on_delete=models.PROTECT, related_name="terms")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    code = models.SlugField(max_length=80, help_text="A stable code used in search filters and CSV files")
    name = models.CharField(max_length=120)
    description = models.TextField()
    term_uri = models.URLField(blank=True)
    council = models.ForeignKey(
        "accounts.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="taxonomy_terms",
        help_text="Empty for shared terms; a council's own terms show only in its area",
    )
    is_active = models.BooleanField(default=True)

    objects = TaxonomyTermQuerySet.as_manager()

    class Meta:
        ordering = ["taxonomy", "name"]
        constraints = [models.UniqueConstraint(fields=["taxonomy", "code"], name="unique_term_code_per_taxonomy")]

    def __str__(self) -> str:
        return self.name
