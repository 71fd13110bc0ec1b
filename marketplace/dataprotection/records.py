"""What the site holds about a person supported and their family, found from the models themselves.

Rather than a hand-kept list that would fall behind as models are added, the records are found by
following foreign keys: every model with a chain of foreign keys ending at ``PersonSupported`` (a plan,
its lines, the budget, its ledger postings, an order, its invoices, the messages of an enquiry about the
child …) and every model with a foreign key to one of the family's user accounts (the parents who hold
or held consent, and the young person's own account). A new model is covered the day it is added.
"""

from collections import deque
from dataclasses import dataclass
from functools import cache

from django.apps import apps
from django.db import models
from django.db.models import Q

from accounts.models import AuditEvent, User
from brokerage.models import PersonSupported

# The apps whose models hold casework; cms (Wagtail pages) and search (no personal data) are not searched.
CASEWORK_APPS = ("accounts", "providers", "brokerage", "marketplace")
MAX_PATH_LENGTH = 6


@dataclass(frozen=True)
class PersonLink:
    """``model`` reaches the person through any of ``paths`` (lookups such as ``order__person``); the person
    themselves has the one path ""."""

    model: type[models.Model]
    paths: tuple[str, ...]

    def condition(self, person: PersonSupported) -> Q:
        found = Q(pk__in=[])
        for path in self.paths:
            found |= Q(pk=person.pk) if path == "" else Q(**{path: person})
        return found

    def records(self, person: PersonSupported) -> models.QuerySet:
        queryset = self.model._default_manager.filter(self.condition(person))
        return queryset.distinct() if len(self.paths) > 1 else queryset


@dataclass
class RecordSet:
    """Rows of one model held about the person or their family."""

    model: type[models.Model]
    queryset: models.QuerySet

    @property
    def label(self) -> str:
        return str(self.model._meta.verbose_name_plural).capitalize()

    @property
    def slug(self) -> str:
        return self.model._meta.label_lower.replace(".", "-")


def casework_models() -> list[type[models.Model]]:
    found = []
    for app_label in CASEWORK_APPS:
        found.extend(m for m in apps.get_app_config(app_label).get_models() if not m._meta.proxy)
    return found


@cache
def person_links() -> tuple[PersonLink, ...]:
    """Every model that belongs to a person supported, with each chain of foreign keys that leads to them.

    A breadth-first walk finds each model's shortest chain; a model with several foreign keys into the
    person's records (a posting's transaction and its account) gets a chain through each of them.
    """
    shortest: dict[type[models.Model], str] = {PersonSupported: ""}
    queue = deque([PersonSupported])
    candidates = casework_models()
    while queue:
        target = queue.popleft()
        if shortest[target].count("__") + 1 >= MAX_PATH_LENGTH:
            continue
        for model in candidates:
            if model not in shortest and target in _foreign_key_targets(model).values():
                name = next(n for n, related in _foreign_key_targets(model).items() if related is target)
                shortest[model] = _join(name, shortest[target])
                queue.append(model)
    links = []
    for model, path in shortest.items():
        paths = [path] + [
            _join(name, shortest[related])
            for name, related in _foreign_key_targets(model).items()
            if related in shortest and _join(name, shortest[related]) != path and related is not model
        ]
        links.append(PersonLink(model=model, paths=tuple(paths)))
    return tuple(links)


def _foreign_key_targets(model: type[models.Model]) -> dict[str, type[models.Model]]:
    return {
        field.name: field.related_model
        for field in model._meta.concrete_fields
        if field.is_relation and (field.many_to_one or field.one_to_one)
    }


def _join(name: str, path: str) -> str:
    return f"{name}__{path}" if path else name


def family_users(person: PersonSupported) -> list[User]:
    """The accounts of the family: everyone who holds or held consent for the person, and the young person."""
    ids = set(person.consent_holders.values_list("user_id", flat=True))
    if person.young_person_user_id:
        ids.add(person.young_person_user_id)
    return list(User.objects.filter(pk__in=ids).order_by("pk"))


def _user_foreign_keys(model: type[models.Model]) -> list[str]:
    return [
        field.name
        for field in model._meta.concrete_fields
        if field.is_relation and field.many_to_one and field.related_model is User
    ]


def subject_records(person: PersonSupported) -> list[RecordSet]:
    """Everything held about the person and their family, one set per model, audit events last."""
    links = {link.model: link for link in person_links()}
    user_ids = [user.pk for user in family_users(person)]
    sets: list[RecordSet] = []
    for model in casework_models():
        if model is AuditEvent:
            continue
        condition = Q(pk__in=[]) if model is not User else Q(pk__in=user_ids)
        if model in links:
            condition |= links[model].condition(person)
        for name in _user_foreign_keys(model) if user_ids else []:
            condition |= Q(**{f"{name}__in": user_ids})
        if condition == Q(pk__in=[]):
            continue
        queryset = model._default_manager.filter(condition).distinct().order_by("pk")
        if queryset.exists():
            sets.append(RecordSet(model=model, queryset=queryset))
    sets.append(RecordSet(model=AuditEvent, queryset=audit_events_about(sets, user_ids)))
    return sets


def audit_events_about(sets: list[RecordSet], user_ids: list[int]) -> models.QuerySet:
    """Audit events done by the family, or about any record held about them (by the record's public id)."""
    condition = Q(actor_id__in=user_ids)
    for record_set in sets:
        model = record_set.model
        if any(field.name == "public_id" for field in model._meta.concrete_fields):
            ids = [str(value) for value in record_set.queryset.values_list("public_id", flat=True)]
        else:
            ids = [str(value) for value in record_set.queryset.values_list("pk", flat=True)]
        condition |= Q(target_type=model._meta.label_lower, target_id__in=ids)
    return AuditEvent.objects.filter(condition).order_by("created_at", "pk")
