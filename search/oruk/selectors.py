"""What the open API publishes, read from providers.

Services are offers of provider organisations that are active (searchable: published, with a live
version, from a listed provider) or defunct (withdrawn after being published, so that consumers can
remove them). Drafts, pending and suspended offers never appear, and nor do personal assistants: they
are private individuals.
"""

from django.db.models import Prefetch, Q, QuerySet

from providers.models import (
    Offer,
    OfferLocation,
    OfferStatus,
    OfferVersion,
    Postcode,
    Taxonomy,
    TaxonomyTerm,
)
from search.documents import searchable_offers

# Skills describe personal assistants, who are not published here.
PUBLISHED_TAXONOMIES = (Taxonomy.Kind.SERVICE_CATEGORY, Taxonomy.Kind.NEED)


def services() -> QuerySet[Offer]:
    active = Q(pk__in=searchable_offers().values("pk"))
    defunct = Q(status=OfferStatus.WITHDRAWN, live_version__isnull=False)
    return (
        Offer.objects.filter(active | defunct, organisation__isnull=False)
        .select_related(
            "live_version",
            "organisation__provider_profile__assured_by_council",
        )
        .order_by("live_version__name", "public_id")
    )


def services_in_full(offers: QuerySet[Offer]) -> QuerySet[Offer]:
    """With everything a fully nested service shows, in a fixed number of queries."""
    terms = TaxonomyTerm.objects.select_related("taxonomy", "parent")
    versions = OfferVersion.objects.prefetch_related(
        Prefetch("categories", queryset=terms),
        Prefetch("needs", queryset=terms),
        "cost_options",
        "schedules",
        "service_areas",
        "locations",
    )
    return offers.prefetch_related(Prefetch("live_version", queryset=versions))


def service_at_locations(offers: QuerySet[Offer] | None = None) -> QuerySet[OfferLocation]:
    """The venues of the live versions of these services (all published services when not given)."""
    return (
        OfferLocation.objects.filter(version__live_for__in=offers if offers is not None else services())
        .select_related(
            "version__live_for__organisation__provider_profile__assured_by_council",
        )
        .order_by("version__name", "name", "public_id")
    )


def taxonomies() -> QuerySet[Taxonomy]:
    return Taxonomy.objects.filter(kind__in=PUBLISHED_TAXONOMIES).order_by("name", "public_id")


def taxonomy_terms() -> QuerySet[TaxonomyTerm]:
    return (
        TaxonomyTerm.objects.filter(taxonomy__kind__in=PUBLISHED_TAXONOMIES, is_active=True)
        .select_related("taxonomy", "parent")
        .order_by("taxonomy__name", "name", "public_id")
    )


def term_and_descendants(term: TaxonomyTerm) -> list[int]:
    """A term's id and its children's, to any depth: a parent term finds services in its children."""
    children: dict[int | None, list[int]] = {}
    for pk, parent_id in TaxonomyTerm.objects.filter(taxonomy_id=term.taxonomy_id).values_list("pk", "parent_id"):
        children.setdefault(parent_id, []).append(pk)
    found, waiting = [], [term.pk]
    while waiting:
        current = waiting.pop()
        found.append(current)
        waiting.extend(children.get(current, []))
    return found


def council_name(council_code: str) -> str:
    """The council area's name from the gazetteer ("" when unknown), for addresses."""
    if not council_code:
        return ""
    return (
        Postcode.objects.filter(council_code=council_code)
        .exclude(council_name="")
        .values_list("council_name", flat=True)
        .first()
        or ""
    )
