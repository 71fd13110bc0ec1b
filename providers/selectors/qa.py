"""Quality assurance reads: the officers' queue, what changed in a listing since it was last approved,
its history, and each side's view of the checks.

Listings are shared between councils, so an officer of any council finds any listing here. What
belongs to one council (its policy, its log of revealed certificate numbers) is reached only through
``council_for_officer``, and a provider reaches only its own checks (others answer 404).
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.db.models import Max, Model, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEvent, Membership, Organisation, User
from accounts.roles import OrganisationKind, Role
from providers.models import (
    AttendingType,
    CouncilQAPolicy,
    DBSCheck,
    DBSNumberReveal,
    InsurancePolicy,
    Offer,
    OfferVersion,
    PersonalAssistantProfile,
    ProfileStatus,
    ProviderProfile,
    Reference,
    RegulatorRegistration,
    SaferRecruitmentDeclaration,
    TaxonomyTerm,
    Verification,
    VersionState,
)

Profile = ProviderProfile | PersonalAssistantProfile
ASSURABLE_KINDS = (OrganisationKind.PROVIDER, OrganisationKind.BROKER)


# --- Councils ---------------------------------------------------------------------------------------


def council_for_officer(*, user: User, slug: str) -> Organisation:
    """A council in which the user is a QA officer; any other council answers 404."""
    memberships = Membership.objects.active().filter(user=user, role=Role.QA_OFFICER, organisation__slug=slug)
    membership = memberships.select_related("organisation").first()
    if membership is None:
        raise Http404("No such council")
    return membership.organisation


def qa_policy_read(council: Organisation) -> CouncilQAPolicy:
    """The council's policy, or the defaults it has until it changes them (nothing is saved)."""
    return CouncilQAPolicy.objects.filter(council=council).first() or CouncilQAPolicy(council=council)


def number_reveals_for_council(council: Organisation) -> QuerySet[DBSNumberReveal]:
    return DBSNumberReveal.objects.filter(council=council).select_related(
        "dbs_check", "dbs_check__pa_profile", "dbs_check__organisation", "revealed_to"
    )


# --- The queue --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class QueueItem:
    kind: str
    title: str
    provider: str
    submitted_at: datetime.datetime
    url: str

    def days_waiting(self, today: datetime.date) -> int:
        return (today - timezone.localdate(self.submitted_at)).days


def qa_queue() -> list[QueueItem]:
    """Everything waiting for a QA officer, from every council, oldest first."""
    items = [*_queue_profiles(), *_queue_offers(), *_queue_checks()]
    return sorted(items, key=lambda item: item.submitted_at)


def _queue_profiles() -> Iterable[QueueItem]:
    for model in (ProviderProfile, PersonalAssistantProfile):
        new = model.objects.filter(status=ProfileStatus.PENDING).annotate(
            sent_at=Max("status_changes__created_at", filter=Q(status_changes__new_status=ProfileStatus.PENDING))
        )
        for profile in new:
            yield QueueItem(
                "New profile",
                profile.display_name,
                _profile_owner(profile),
                profile.sent_at or profile.created_at,
                reverse("providers:qa-profile", args=[profile.public_id]),
            )
        changed = model.objects.filter(
            status__in=[ProfileStatus.PUBLISHED, ProfileStatus.SUSPENDED], pending_submitted_at__isnull=False
        ).exclude(pending_changes={})
        for profile in changed:
            yield QueueItem(
                "Change to a profile",
                profile.display_name,
                _profile_owner(profile),
                profile.pending_submitted_at,
                reverse("providers:qa-profile", args=[profile.public_id]),
            )


def _queue_offers() -> Iterable[QueueItem]:
    offers = Offer.objects.filter(working_version__state=VersionState.SUBMITTED).select_related(
        "working_version", "organisation__provider_profile", "personal_assistant"
    )
    for offer in offers:
        version = offer.working_version
        yield QueueItem(
            "New offer" if offer.live_version_id is None else "Change to an offer",
            version.name,
            offer.provider_name,
            version.submitted_at or version.created_at,
            reverse("providers:qa-offer", args=[offer.public_id]),
        )


def _queue_checks() -> Iterable[QueueItem]:
    waiting = {"verification": Verification.SUBMITTED}
    for check in DBSCheck.objects.filter(**waiting).select_related("pa_profile", "organisation"):
        yield QueueItem(
            f"{check.scheme} check",
            f"{check.person_name}, {check.masked_number}",
            _holder_name(check),
            check.submitted_at,
            reverse("providers:qa-dbs", args=[check.public_id]),
        )
    for declaration in SaferRecruitmentDeclaration.objects.filter(**waiting).select_related("organisation"):
        yield QueueItem(
            "Safer-recruitment declaration",
            f"{declaration.staff_count} staff",
            declaration.organisation.name,
            declaration.declared_at,
            reverse("providers:qa-declaration", args=[declaration.public_id]),
        )
    for policy in InsurancePolicy.objects.filter(**waiting).select_related("pa_profile", "organisation"):
        yield QueueItem(
            "Insurance",
            f"{policy.get_kind_display()}, {policy.insurer}",
            _holder_name(policy),
            policy.submitted_at,
            reverse("providers:qa-insurance", args=[policy.public_id]),
        )
    for reference in Reference.objects.filter(**waiting).select_related("pa_profile"):
        yield QueueItem(
            "Reference",
            f"{reference.referee_name} ({reference.relationship})",
            reference.pa_profile.display_name,
            reference.submitted_at,
            reverse("providers:qa-reference", args=[reference.public_id]),
        )


def _profile_owner(profile: Profile) -> str:
    if isinstance(profile, PersonalAssistantProfile):
        return f"Personal assistant registered with {profile.council}"
    return profile.organisation.get_kind_display()


def _holder_name(record: DBSCheck | InsurancePolicy) -> str:
    return record.pa_profile.display_name if record.pa_profile_id else record.organisation.name


# --- Finding what to review -------------------------------------------------------------------------


def profile_for_review(public_id: UUID) -> Profile:
    profile = ProviderProfile.objects.select_related("organisation").filter(public_id=public_id).first()
    return profile or get_object_or_404(PersonalAssistantProfile.objects.select_related("user"), public_id=public_id)


def offer_for_review(public_id: UUID) -> Offer:
    related = ("live_version", "working_version", "organisation__provider_profile", "personal_assistant")
    return get_object_or_404(Offer.objects.select_related(*related), public_id=public_id)


def dbs_check_for_officer(public_id: UUID) -> DBSCheck:
    related = ("pa_profile", "organisation", "original_seen_by", "verified_by_council")
    return get_object_or_404(DBSCheck.objects.select_related(*related), public_id=public_id)


def declaration_for_officer(public_id: UUID) -> SaferRecruitmentDeclaration:
    related = ("organisation", "evidence", "declared_by", "verified_by_council")
    return get_object_or_404(SaferRecruitmentDeclaration.objects.select_related(*related), public_id=public_id)


def insurance_for_officer(public_id: UUID) -> InsurancePolicy:
    related = ("organisation", "pa_profile", "certificate", "verified_by_council")
    return get_object_or_404(InsurancePolicy.objects.select_related(*related), public_id=public_id)


def reference_for_officer(public_id: UUID) -> Reference:
    return get_object_or_404(Reference.objects.select_related("pa_profile", "verified_by_council"), public_id=public_id)


def organisation_for_officer(public_id: UUID) -> Organisation:
    """A provider or broker organisation; councils and NHS bodies are not quality-assured here."""
    return get_object_or_404(Organisation.objects.filter(kind__in=ASSURABLE_KINDS), public_id=public_id)


def pa_profile_for_officer(public_id: UUID) -> PersonalAssistantProfile:
    return get_object_or_404(PersonalAssistantProfile.objects.select_related("user", "council"), public_id=public_id)


# --- Everything known about one listing's checks ----------------------------------------------------


@dataclass
class Assurance:
    """A listing's checks, for the officer's page and the provider's own page."""

    dbs_checks: list[DBSCheck] = field(default_factory=list)
    declarations: list[SaferRecruitmentDeclaration] = field(default_factory=list)
    registrations: list[RegulatorRegistration] = field(default_factory=list)
    insurance: list[InsurancePolicy] = field(default_factory=list)
    references: list[Reference] = field(default_factory=list)


def assurance_of(
    *, organisation: Organisation | None = None, pa_profile: PersonalAssistantProfile | None = None
) -> Assurance:
    if pa_profile is not None:
        return Assurance(
            dbs_checks=list(pa_profile.dbs_checks.select_related("verified_by_council")),
            insurance=list(pa_profile.insurance_policies.select_related("verified_by_council")),
            references=list(pa_profile.references.select_related("verified_by_council")),
        )
    return Assurance(
        dbs_checks=list(organisation.dbs_checks.select_related("verified_by_council")),
        declarations=list(organisation.safer_recruitment_declarations.select_related("verified_by_council")),
        registrations=list(organisation.registrations.select_related("recorded_by_council")),
        insurance=list(organisation.insurance_policies.select_related("verified_by_council")),
    )


# --- A provider's own checks ------------------------------------------------------------------------


def own_dbs_check(*, organisation: Organisation | None, pa_profile: PersonalAssistantProfile | None, public_id: UUID):  # type: ignore[no-untyped-def]
    """One of the provider's own checks; anyone else's answers 404."""
    owner = Q(pa_profile=pa_profile) if pa_profile is not None else Q(organisation=organisation)
    return get_object_or_404(DBSCheck.objects.filter(owner).select_related("verified_by_council"), public_id=public_id)


# --- What changed since the last approval -----------------------------------------------------------


@dataclass(frozen=True)
class FieldChange:
    """One field of a listing: what the public sees now, and what is waiting for approval.

    ``before`` is None for a listing that has never been approved: everything in it is new.
    """

    label: str
    before: list[str] | None
    after: list[str]

    @property
    def changed(self) -> bool:
        return self.before != self.after

    @property
    def added(self) -> list[str]:
        return [row for row in self.after if row not in (self.before or [])]

    @property
    def removed(self) -> list[str]:
        return [row for row in (self.before or []) if row not in self.after]


def profile_diff(profile: Profile) -> list[FieldChange]:
    """Pending changes against the published values; a profile never published is all new."""
    is_new = profile.status == ProfileStatus.PENDING
    many = {f.name for f in profile._meta.many_to_many}
    changes = []
    for name in profile.REVIEWED_FIELDS + sorted(many):
        current = _profile_value(profile, name, many)
        if is_new:
            changes.append(FieldChange(_label(profile, name), None, current))
        elif name in profile.pending_changes:
            waiting = _profile_pending_value(profile, name, many)
            changes.append(FieldChange(_label(profile, name), current, waiting))
        else:
            changes.append(FieldChange(_label(profile, name), current, current))
    return changes


def _label(model: Model, name: str) -> str:
    return str(model._meta.get_field(name).verbose_name).capitalize()


def _profile_value(profile: Profile, name: str, many: set[str]) -> list[str]:
    if name in many:
        return sorted(term.name for term in getattr(profile, name).all())
    field_ = profile._meta.get_field(name)
    if field_.choices:
        return [str(dict(field_.choices).get(getattr(profile, name), getattr(profile, name)))]
    return _display(getattr(profile, name))


def _profile_pending_value(profile: Profile, name: str, many: set[str]) -> list[str]:
    value = profile.pending_changes[name]
    if name in many:
        return sorted(TaxonomyTerm.objects.filter(pk__in=value).values_list("name", flat=True))
    field_ = profile._meta.get_field(name)
    if field_.choices:
        return [str(dict(field_.choices).get(value, value))]
    return _display(value if isinstance(value, list) else field_.to_python(value))


def offer_diff(offer: Offer) -> list[FieldChange]:
    """The version waiting for approval against the live version, field by field and row by row."""
    live, waiting = offer.live_version, offer.working_version
    if waiting is None:
        return []
    before = _version_rows(live) if live is not None else None
    after = _version_rows(waiting)
    return [FieldChange(label, before[label] if before else None, rows) for label, rows in after.items()]


def _version_rows(version: OfferVersion) -> dict[str, list[str]]:
    attending = dict(AttendingType.choices)
    return {
        "Name": [version.name],
        "Description": [version.description],
        "Kinds of support": sorted(term.name for term in version.categories.all()),
        "Needs it suits": sorted(term.name for term in version.needs.all()),
        "Ages": [f"{version.minimum_age} to {version.maximum_age}"],
        "Where it happens": [attending.get(kind, kind) for kind in version.attending_types],
        "Web page": _display(version.url),
        "Email address": _display(version.email),
        "Languages": _display(version.languages),
        "Accessibility": _display(version.accessibility),
        "Places free now": _display(version.capacity_places),
        "Hours a week free now": _display(version.capacity_hours),
        "About availability": _display(version.capacity_note),
        "Prices": _rows(version.cost_options.all(), _cost_text),
        "When it runs": _rows(version.schedules.all(), _schedule_text),
        "Areas it reaches": _rows(version.service_areas.all(), _area_text),
        "Venues": _rows(version.locations.all(), _venue_text),
    }


def _rows(objects: Iterable[Any], text: Callable[[Any], str]) -> list[str]:
    return [text(obj) for obj in objects] or ["None"]


def _cost_text(cost: Any) -> str:
    text = f"£{cost.amount} {cost.get_unit_display()}, {cost.get_vat_status_display()}"
    if cost.description:
        text += f" ({cost.description})"
    if cost.valid_from or cost.valid_to:
        text += f", {_date_span(cost.valid_from, cost.valid_to)}"
    return text


def _schedule_text(schedule: Any) -> str:
    text = f"{schedule.get_weekday_display()} {schedule.opens_at:%H:%M} to {schedule.closes_at:%H:%M}"
    return f"{text} ({schedule.description})" if schedule.description else text


def _area_text(area: Any) -> str:
    code = area.postcode_district or area.council_code
    return area.name if area.name == code else f"{area.name} ({code})"


def _venue_text(venue: Any) -> str:
    text = f"{venue.name}, {venue.address}, {venue.postcode}"
    return f"{text}. Accessibility: {venue.accessibility}" if venue.accessibility else text


def _date_span(start: datetime.date | None, end: datetime.date | None) -> str:
    if start and end:
        return f"from {_long_date(start)} to {_long_date(end)}"
    return f"from {_long_date(start)}" if start else f"until {_long_date(end)}"


def _display(value: Any) -> list[str]:
    if value is None or value == "" or value == []:
        return ["Not given"]
    if isinstance(value, bool):
        return ["Yes" if value else "No"]
    if isinstance(value, list):
        return [", ".join(str(item) for item in value)]
    if isinstance(value, datetime.time):
        return [f"{value:%H:%M}"]
    if isinstance(value, Decimal):
        return [f"{value.normalize():f}"]
    return [str(value)]


def _long_date(day: datetime.date) -> str:
    return f"{day.day} {day:%B %Y}"


# --- History ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime.datetime
    what: str
    who: str = ""
    council: str = ""
    reason: str = ""


def profile_history(profile: Profile) -> list[HistoryEntry]:
    """Every status change, and every decision and held change in the audit trail, newest first."""
    entries = [
        HistoryEntry(
            change.created_at,
            _moved(change.get_old_status_display(), change.get_new_status_display()),
            str(change.actor or ""),
            reason=change.reason,
        )
        for change in profile.status_changes.select_related("actor")
    ]
    entries += _audit_entries(profile)
    return sorted(entries, key=lambda entry: entry.at, reverse=True)


def offer_history(offer: Offer) -> list[HistoryEntry]:
    """Every status change, every version sent, and every decision with the deciding council, newest first.

    Decisions come from the audit trail, which keeps each one even when a returned version is edited and
    sent again (the version row then holds only its latest decision); a decision made some other way
    (an import, the demo data) is read from the version itself.
    """
    entries = [
        HistoryEntry(
            change.created_at,
            _moved(change.get_old_status_display(), change.get_new_status_display()),
            str(change.actor or ""),
            reason=change.reason,
        )
        for change in offer.status_changes.select_related("actor")
    ]
    decisions = _decision_entries(offer)
    entries += [entry for entry, _number in decisions]
    audited = {number for _entry, number in decisions}
    for version in offer.versions.select_related("decided_by"):
        if version.submitted_at:
            entries.append(HistoryEntry(version.submitted_at, f"Version {version.number} sent for checking"))
        if version.decided_at and version.number not in audited:
            verdict = "approved" if version.state in {VersionState.APPROVED, VersionState.SUPERSEDED} else "returned"
            entries.append(
                HistoryEntry(
                    version.decided_at,
                    f"Version {version.number} {verdict}",
                    str(version.decided_by or ""),
                    reason=version.decision_reason,
                )
            )
    return sorted(entries, key=lambda entry: entry.at, reverse=True)


def _moved(old: str, new: str) -> str:
    return f"Moved from {old.lower()} to {new.lower()}"


def offer_versions(offer: Offer) -> QuerySet[OfferVersion]:
    return offer.versions.select_related("decided_by").order_by("-number")


_DECISION_WORDS = {"qa.offer_approved": "approved", "qa.offer_returned": "returned"}


def _decision_entries(offer: Offer) -> list[tuple[HistoryEntry, int | None]]:
    events = AuditEvent.objects.filter(
        target_type=Offer._meta.label_lower,
        target_id=str(offer.public_id),
        action__in=list(_DECISION_WORDS),
    ).select_related("actor", "council")
    return [
        (
            HistoryEntry(
                event.created_at,
                f"Version {event.data.get('version')} {_DECISION_WORDS.get(event.action, 'decided')}",
                str(event.actor or ""),
                str(event.council or ""),
                event.reason,
            ),
            event.data.get("version"),
        )
        for event in events
    ]


def _audit_entries(target: Model) -> list[HistoryEntry]:
    events = AuditEvent.objects.filter(
        target_type=target._meta.label_lower, target_id=str(target.public_id)
    ).select_related("actor", "council")
    return [
        HistoryEntry(event.created_at, event.summary, str(event.actor or ""), str(event.council or ""), event.reason)
        for event in events
    ]


# A reveal of a certificate number belongs to the revealing council's log (``number_reveals_for_council``).
_COUNCILS_OWN_ACTIONS = ("qa.dbs_number_revealed",)


def check_history(target: Model, *, council: Organisation | None = None) -> list[HistoryEntry]:
    """A check's own audit trail (submitted, verified, status checks, reveals), newest first.

    The check is shared by every council, but a reveal of its number is the revealing council's own:
    given the officer's ``council``, another council's reveals are left out.
    """
    events = AuditEvent.objects.filter(target_type=target._meta.label_lower, target_id=str(target.public_id))
    if council is not None:
        events = events.exclude(Q(action__in=_COUNCILS_OWN_ACTIONS) & ~Q(council=council))
    entries = [
        HistoryEntry(event.created_at, event.summary, str(event.actor or ""), str(event.council or ""), event.reason)
        for event in events.select_related("actor", "council")
    ]
    return sorted(entries, key=lambda entry: entry.at, reverse=True)
