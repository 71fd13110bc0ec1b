"""Reads for a provider's own pages: only the acting organisation's or personal assistant's records.

Every lookup goes through the ``ProviderContext``, so another provider's offer or file answers 404.
"""

from dataclasses import dataclass
from uuid import UUID

from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.models import Organisation
from providers.models import (
    AttendingType,
    CostOption,
    Offer,
    OfferLocation,
    OfferStatus,
    OfferVersion,
    PersonalAssistantProfile,
    ProfileStatus,
    ProfileStatusChange,
    ProviderProfile,
    Schedule,
    ServiceArea,
    TaxonomyTerm,
    Upload,
    VersionState,
    Weekday,
)
from providers.permissions import ProviderContext

Profile = ProviderProfile | PersonalAssistantProfile
WEEKDAY_ORDER = list(Weekday.values)

# The order the dashboard lists offers in: what still needs work first.
DASHBOARD_STATUSES = [
    OfferStatus.DRAFT,
    OfferStatus.PENDING,
    OfferStatus.PUBLISHED,
    OfferStatus.SUSPENDED,
    OfferStatus.WITHDRAWN,
]


@dataclass(frozen=True)
class OfferRow:
    """An offer as its provider sees it on the dashboard."""

    offer: Offer

    @property
    def name(self) -> str:
        version = self.offer.working_version or self.offer.live_version
        return version.name if version else ""

    @property
    def returned_reason(self) -> str:
        working = self.offer.working_version
        return working.decision_reason if working and working.state == VersionState.REJECTED else ""

    @property
    def change_not_sent(self) -> bool:
        working = self.offer.working_version
        return working is not None and working.state == VersionState.DRAFT

    @property
    def change_waiting(self) -> bool:
        return self.offer.has_pending_change


@dataclass(frozen=True)
class OfferGroup:
    status: str
    label: str
    rows: list[OfferRow]


@dataclass(frozen=True)
class AttentionItem:
    """Something the provider should do next. ``kind`` tells the template what to say."""

    kind: str  # profile_missing, profile_draft, profile_returned, profile_changes_unsent, offer_returned, offer_unsent
    reason: str = ""
    offer: OfferRow | None = None


def provider_council(provider: ProviderContext) -> Organisation | None:
    if provider.personal_assistant is not None:
        return provider.personal_assistant.council
    return provider.organisation.council


def own_offers(provider: ProviderContext) -> QuerySet[Offer]:
    return provider.offers().select_related("live_version", "working_version")


def own_offer_get(*, provider: ProviderContext, public_id: UUID) -> Offer:
    """Another provider's offer answers 404."""
    return get_object_or_404(own_offers(provider), public_id=public_id)


def own_offer_groups(provider: ProviderContext) -> list[OfferGroup]:
    by_status: dict[str, list[OfferRow]] = {status: [] for status in DASHBOARD_STATUSES}
    for offer in own_offers(provider):
        by_status[offer.status].append(OfferRow(offer))
    return [OfferGroup(status, OfferStatus(status).label, rows) for status, rows in by_status.items()]


def profile_returned_reason(profile: Profile) -> str:
    """The checker's reason when a profile sent for checking came back as a draft."""
    if profile.status != ProfileStatus.DRAFT:
        return ""
    owner = Q(provider_profile=profile) if isinstance(profile, ProviderProfile) else Q(pa_profile=profile)
    last = ProfileStatusChange.objects.filter(owner).first()
    if last and last.old_status == ProfileStatus.PENDING and last.new_status == ProfileStatus.DRAFT:
        return last.reason
    return ""


def own_attention_items(provider: ProviderContext, offer_groups: list[OfferGroup]) -> list[AttentionItem]:
    items = _profile_attention(provider.profile)
    for group in offer_groups:
        for row in group.rows:
            if row.returned_reason:
                items.append(AttentionItem("offer_returned", reason=row.returned_reason, offer=row))
            elif row.change_not_sent:
                items.append(AttentionItem("offer_unsent", offer=row))
    return items


def _profile_attention(profile: Profile | None) -> list[AttentionItem]:
    if profile is None:
        return [AttentionItem("profile_missing")]
    if profile.status == ProfileStatus.DRAFT:
        reason = profile_returned_reason(profile)
        return [AttentionItem("profile_returned", reason=reason) if reason else AttentionItem("profile_draft")]
    if profile.has_pending_changes and profile.pending_submitted_at is None:
        if profile.changes_returned_reason:
            return [AttentionItem("profile_changes_returned", reason=profile.changes_returned_reason)]
        return [AttentionItem("profile_changes_unsent")]
    return []


def taxonomy_choices(kind: str, council: Organisation | None) -> QuerySet[TaxonomyTerm]:
    """Active shared terms of a vocabulary, with the provider's council's own terms."""
    terms = TaxonomyTerm.objects.of_kind(kind).filter(is_active=True)
    terms = terms.for_council(council) if council is not None else terms.shared()
    return terms.select_related("parent").order_by("name")


def own_documents(provider: ProviderContext) -> QuerySet[Upload]:
    return _owned_uploads(provider).filter(purpose=Upload.Purpose.DOCUMENT)


def upload_for_viewer(*, public_id: UUID, provider: ProviderContext | None) -> Upload:
    """The file, if this viewer may have it: its owner always; anyone, for the logo or photo of a
    published profile. Everyone else gets 404, so a file's existence is not revealed."""
    upload = get_object_or_404(Upload, public_id=public_id)
    if provider is not None and _owned_uploads(provider).filter(pk=upload.pk).exists():
        return upload
    if _is_public_picture(upload):
        return upload
    raise Http404("No such file")


def _owned_uploads(provider: ProviderContext) -> QuerySet[Upload]:
    if provider.personal_assistant is not None:
        return Upload.objects.filter(owner_user=provider.personal_assistant.user)
    return Upload.objects.filter(owner_organisation=provider.organisation)


def _is_public_picture(upload: Upload) -> bool:
    if upload.purpose == Upload.Purpose.LOGO:
        return ProviderProfile.objects.filter(logo=upload, status=ProfileStatus.PUBLISHED).exists()
    if upload.purpose == Upload.Purpose.PHOTO:
        return PersonalAssistantProfile.objects.filter(photo=upload, status=ProfileStatus.PUBLISHED).exists()
    return False


@dataclass(frozen=True)
class VersionSummary:
    """An offer version with its nested rows and labels, ready to show."""

    version: OfferVersion
    categories: list[TaxonomyTerm]
    needs: list[TaxonomyTerm]
    attending: list[str]
    languages: list[str]
    cost_options: list[CostOption]
    schedules: list[Schedule]
    service_areas: list[ServiceArea]
    locations: list[OfferLocation]


def version_summary(version: OfferVersion | None, language_names: dict[str, str]) -> VersionSummary | None:
    if version is None:
        return None
    return VersionSummary(
        version=version,
        categories=list(version.categories.all()),
        needs=list(version.needs.all()),
        attending=[AttendingType(value).label for value in version.attending_types if value in AttendingType.values],
        languages=[language_names.get(code, code) for code in version.languages],
        cost_options=list(version.cost_options.all()),
        schedules=sorted(version.schedules.all(), key=lambda row: (WEEKDAY_ORDER.index(row.weekday), row.opens_at)),
        service_areas=list(version.service_areas.all()),
        locations=list(version.locations.all()),
    )
