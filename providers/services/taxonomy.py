"""Councils' own taxonomy terms: added beside the shared vocabulary, shown only in their council's area.

A council changes only its own terms; shared terms and other councils' terms are not theirs to change.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.text import slugify

from accounts.events import audit_record
from accounts.models import Organisation, User
from providers.models import Taxonomy, TaxonomyTerm

_CODE_LENGTH = TaxonomyTerm._meta.get_field("code").max_length


@transaction.atomic
def taxonomy_term_add(
    *, actor: User, council: Organisation, taxonomy: Taxonomy, name: str, description: str
) -> TaxonomyTerm:
    """Add a term for ``council``; its code is a slug of the name, made unique within the taxonomy."""
    # Locking the taxonomy makes two administrators adding the same name take turns, so the second
    # sees the first's code and gets the next one instead of failing on the unique constraint.
    taxonomy = Taxonomy.objects.select_for_update().get(pk=taxonomy.pk)
    name = " ".join(name.split())
    visible = TaxonomyTerm.objects.filter(taxonomy=taxonomy).filter(Q(council__isnull=True) | Q(council=council))
    if visible.filter(name__iexact=name).exists():
        raise ValidationError({"name": f"There is already a term called {name} in {taxonomy.name}"})
    term = TaxonomyTerm(
        taxonomy=taxonomy,
        council=council,
        code=_unique_code(taxonomy, name),
        name=name,
        description=description.strip(),
    )
    term.full_clean()
    term.save()
    audit_record(
        actor=actor,
        action="taxonomy_term.added",
        target=term,
        council=council,
        summary=f"Added the term {term.name} ({term.code}) to {taxonomy.name}",
    )
    return term


@transaction.atomic
def taxonomy_term_set_active(
    *, actor: User, council: Organisation, term: TaxonomyTerm, is_active: bool
) -> TaxonomyTerm:
    """Stop offering a council's own term in forms and imports, or offer it again.

    Offers that already use it keep it: their providers chose it and checkers approved it.
    """
    term = TaxonomyTerm.objects.select_for_update().get(pk=term.pk)
    if term.council_id != council.pk:
        raise ValidationError("You can only change your own council's terms")
    if term.is_active == is_active:
        return term
    term.is_active = is_active
    term.save(update_fields=["is_active"])
    audit_record(
        actor=actor,
        action="taxonomy_term.reactivated" if is_active else "taxonomy_term.deactivated",
        target=term,
        council=council,
        summary=f"{'Reactivated' if is_active else 'Deactivated'} the term {term.name}",
    )
    return term


def _unique_code(taxonomy: Taxonomy, name: str) -> str:
    base = slugify(name)[: _CODE_LENGTH - 4] or "term"
    taken = set(TaxonomyTerm.objects.filter(taxonomy=taxonomy, code__startswith=base).values_list("code", flat=True))
    if base not in taken:
        return base
    number = 2
    while f"{base}-{number}" in taken:
        number += 1
    return f"{base}-{number}"
