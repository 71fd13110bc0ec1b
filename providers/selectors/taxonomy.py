"""Reads for a council's taxonomy pages: shared terms and the council's own, never another council's."""

from dataclasses import dataclass
from uuid import UUID

from django.db.models import Q
from django.http import Http404

from accounts.models import Organisation
from providers.models import Taxonomy, TaxonomyTerm


@dataclass(frozen=True)
class TaxonomyWithTerms:
    taxonomy: Taxonomy
    shared: list[TaxonomyTerm]
    own: list[TaxonomyTerm]


def taxonomies_for_council(council: Organisation) -> list[TaxonomyWithTerms]:
    terms = (
        TaxonomyTerm.objects.filter(Q(council__isnull=True) | Q(council=council))
        .select_related("parent")
        .order_by("name")
    )
    by_taxonomy: dict[int, list[TaxonomyTerm]] = {}
    for term in terms:
        by_taxonomy.setdefault(term.taxonomy_id, []).append(term)
    return [
        TaxonomyWithTerms(
            taxonomy=taxonomy,
            shared=[term for term in by_taxonomy.get(taxonomy.pk, []) if term.council_id is None],
            own=[term for term in by_taxonomy.get(taxonomy.pk, []) if term.council_id == council.pk],
        )
        for taxonomy in Taxonomy.objects.order_by("name")
    ]


def taxonomy_get(*, kind: str) -> Taxonomy:
    taxonomy = Taxonomy.objects.filter(kind=kind).first()
    if taxonomy is None:
        raise Http404("No such taxonomy")
    return taxonomy


def own_term_get(*, council: Organisation, public_id: UUID) -> TaxonomyTerm:
    """A term the council added; shared terms and other councils' terms answer 404."""
    term = TaxonomyTerm.objects.filter(council=council, public_id=public_id).select_related("taxonomy").first()
    if term is None:
        raise Http404("No such term")
    return term


def active_terms_for(councils: list[Organisation]) -> list[TaxonomyWithTerms]:
    """The codes an importer may use: active shared terms, and active terms of the given councils."""
    terms = (
        TaxonomyTerm.objects.filter(is_active=True)
        .filter(Q(council__isnull=True) | Q(council__in=councils))
        .select_related("council")
        .order_by("name")
    )
    by_taxonomy: dict[int, list[TaxonomyTerm]] = {}
    for term in terms:
        by_taxonomy.setdefault(term.taxonomy_id, []).append(term)
    return [
        TaxonomyWithTerms(
            taxonomy=taxonomy,
            shared=[term for term in by_taxonomy.get(taxonomy.pk, []) if term.council_id is None],
            own=[term for term in by_taxonomy.get(taxonomy.pk, []) if term.council_id is not None],
        )
        for taxonomy in Taxonomy.objects.order_by("name")
    ]
