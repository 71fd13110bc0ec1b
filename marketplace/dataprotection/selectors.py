"""Reads for the data-protection pages, always within the administrator's council."""

from uuid import UUID

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from accounts.models import AuditEvent, Organisation
from brokerage.models import PersonSupported

PEOPLE_SHOWN = 50


def people_find(*, council: Organisation, text: str) -> QuerySet[PersonSupported]:
    people = PersonSupported.objects.filter(council=council).order_by("last_name", "first_name", "pk")
    for word in text.split()[:3]:
        people = people.filter(Q(first_name__istartswith=word) | Q(last_name__istartswith=word))
    return people


def person_get_for_council(*, council: Organisation, public_id: UUID) -> PersonSupported:
    """Another council's person answers 404: their existence is not revealed."""
    return get_object_or_404(PersonSupported, council=council, public_id=public_id)


def data_protection_history(*, council: Organisation, person: PersonSupported) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(
        council=council,
        action__startswith="dataprotection.",
        target_type=PersonSupported._meta.label_lower,
        target_id=str(person.public_id),
    ).select_related("actor")
