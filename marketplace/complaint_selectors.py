"""Reads for complaints: who may see which, the council's filtered list, and the commissioner's figures.

Three sides see a complaint, each through its own pages:

- the family: whoever made it, the person's current consent holder, and the young person it is about;
- the provider: the active staff of the provider organisation, or the personal assistant;
- the council: its quality-assurance officers and administrators, for complaints of people in the council.

Anyone else gets 404. A role that has no complaints pages gets 403 from the view.
"""

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404

from accounts.models import Membership, Organisation, User
from accounts.roles import OrganisationKind, Role
from brokerage.models import ConsentHolder, PersonSupported
from marketplace.models import Complaint, ComplaintOutcome, ComplaintStatus, Order
from marketplace.order_selectors import orders_visible_to
from providers.models import Offer, PersonalAssistantProfile

# Quality-assurance officers check providers; a council without one still has its administrators.
COUNCIL_ROLES = (Role.QA_OFFICER, Role.COUNCIL_ADMIN)
FIGURES_ROLES = (Role.COMMISSIONER, Role.QA_OFFICER)
# A complaint is still being dealt with in these statuses (neither resolved nor decided).
UNDECIDED_STATUSES = (ComplaintStatus.OPEN, ComplaintStatus.RESPONDED, ComplaintStatus.ESCALATED)

_RELATED = (
    "person",
    "council",
    "offer__live_version",
    "provider_organisation__provider_profile",
    "personal_assistant",
    "order",
    "made_by",
    "responded_by",
    "decided_by",
)


# --- The family ----------------------------------------------------------------------------------------


def people_user_may_complain_for(user: User) -> QuerySet[PersonSupported]:
    """The people a family member holds consent for now, or the young person's own record."""
    return (
        PersonSupported.objects.filter(
            Q(consent_holders__user=user, consent_holders__ended_at__isnull=True) | Q(young_person_user=user)
        )
        .distinct()
        .order_by("first_name", "last_name", "pk")
    )


def _family_q(user: User) -> Q:
    holds_consent = ConsentHolder.objects.filter(person=OuterRef("person"), user=user, ended_at__isnull=True)
    return Q(made_by=user) | Q(Exists(holds_consent)) | Q(person__young_person_user=user)


def complaints_of_family(user: User) -> QuerySet[Complaint]:
    if not user.is_authenticated:
        return Complaint.objects.none()
    return Complaint.objects.filter(_family_q(user)).select_related(*_RELATED).order_by("-created_at", "-id")


def complaint_get_for_family(*, user: User, public_id: UUID) -> Complaint:
    return _one(complaints_of_family(user), public_id)


def complaint_family_users(complaint: Complaint) -> list[User]:
    """Who hears about the complaint on the family's side: its maker, the consent holder and the young person."""
    users = {complaint.made_by_id: complaint.made_by}
    for holder in complaint.person.consent_holders.filter(ended_at__isnull=True).select_related("user"):
        users[holder.user_id] = holder.user
    young_person = complaint.person.young_person_user
    if young_person is not None:
        users[young_person.pk] = young_person
    return [user for user in users.values() if user.is_active]


def order_for_complaint(*, user: User, public_id: UUID) -> Order:
    """An order the user can see and may complain about: one of a person they complain for."""
    order = (
        orders_visible_to(user)
        .filter(public_id=public_id, person__in=people_user_may_complain_for(user).values("pk"))
        .select_related("offer__live_version", "provider_organisation__provider_profile")
        .first()
    )
    if order is None:
        raise Http404("No order you can complain about has this address")
    return order


def offer_to_complain_about(public_id: UUID) -> Offer:
    """A published offer, with what the complaint form shows of it."""
    # Any published offer, not only those the directory lists now: a family may complain about support whose
    # listing was suspended since.
    offer = (
        Offer.objects.published()
        .select_related("live_version", "organisation__provider_profile", "personal_assistant")
        .filter(public_id=public_id)
        .first()
    )
    if offer is None:
        raise Http404("No service has this address")
    return offer


def provider_to_complain_about(public_id: UUID) -> tuple[Organisation, list[Offer]]:
    """A provider organisation and its published offers, one of which the complaint may be about."""
    organisation = Organisation.objects.filter(public_id=public_id, kind=OrganisationKind.PROVIDER).first()
    if organisation is None:
        raise Http404("No provider has this address")
    offers = Offer.objects.published().filter(organisation=organisation).select_related("live_version")
    return organisation, list(offers)


# --- The provider --------------------------------------------------------------------------------------


def _provider_q(user: User) -> Q:
    staff_of = Membership.objects.active().filter(user=user, role=Role.PROVIDER_STAFF).values("organisation")
    return Q(provider_organisation__in=staff_of) | Q(
        personal_assistant__user=user, personal_assistant__user__is_active=True
    )


def complaints_of_provider(user: User) -> QuerySet[Complaint]:
    if not user.is_authenticated:
        return Complaint.objects.none()
    return Complaint.objects.filter(_provider_q(user)).select_related(*_RELATED).order_by("response_due_on", "-id")


def complaint_get_for_provider(*, user: User, public_id: UUID) -> Complaint:
    return _one(complaints_of_provider(user), public_id)


def complaint_provider_users(complaint: Complaint) -> list[User]:
    """Who answers for the provider: the organisation's active staff, or the personal assistant."""
    if complaint.personal_assistant_id:
        pa_user = complaint.personal_assistant.user
        return [pa_user] if pa_user.is_active else []
    memberships = Membership.objects.active().filter(
        organisation_id=complaint.provider_organisation_id, role=Role.PROVIDER_STAFF
    )
    return [membership.user for membership in memberships.select_related("user")]


def complaint_may_be_answered_by(*, complaint: Complaint, user: User) -> bool:
    return complaints_of_provider(user).filter(pk=complaint.pk).exists()


# --- The council ---------------------------------------------------------------------------------------


def complaint_officers(council: Organisation) -> list[User]:
    memberships = Membership.objects.active().filter(organisation=council).select_related("user")
    officers = [m.user for m in memberships.filter(role=Role.QA_OFFICER)]
    return officers or [m.user for m in memberships.filter(role=Role.COUNCIL_ADMIN)]


@dataclass(frozen=True)
class CouncilFilters:
    """The council list's filters, each empty for "any"."""

    status: str = ""
    outcome: str = ""
    provider: str = ""  # the provider's name, or part of it


def complaints_of_council(council: Organisation, filters: CouncilFilters = CouncilFilters()) -> QuerySet[Complaint]:
    complaints = Complaint.objects.filter(council=council).select_related(*_RELATED)
    if filters.status:
        complaints = complaints.filter(status=filters.status)
    if filters.outcome:
        complaints = complaints.filter(outcome=filters.outcome)
    if filters.provider:
        complaints = complaints.filter(
            Q(provider_organisation__name__icontains=filters.provider)
            | Q(provider_organisation__provider_profile__trading_name__icontains=filters.provider)
            | Q(provider_organisation__provider_profile__legal_name__icontains=filters.provider)
            | Q(personal_assistant__user__first_name__icontains=filters.provider)
            | Q(personal_assistant__user__last_name__icontains=filters.provider)
        )
    return complaints.order_by("-created_at", "-id")


def complaints_escalated(council: Organisation) -> QuerySet[Complaint]:
    """Escalated complaints waiting for the council's decision, longest waiting first."""
    return complaints_of_council(council).filter(status=ComplaintStatus.ESCALATED).order_by("escalated_at", "id")


def complaint_get_for_council(*, council: Organisation, public_id: UUID) -> Complaint:
    return _one(complaints_of_council(council), public_id)


def complaints_overdue(today: date) -> QuerySet[Complaint]:
    """Complaints still waiting for the provider after their response date."""
    return Complaint.objects.filter(status=ComplaintStatus.OPEN, response_due_on__lt=today).order_by("id")


def _one(complaints: QuerySet[Complaint], public_id: UUID) -> Complaint:
    complaint = complaints.filter(public_id=public_id).first()
    if complaint is None:
        raise Http404("No complaint you can see has this address")
    return complaint


# --- The commissioner's figures ------------------------------------------------------------------------


@dataclass(frozen=True)
class ProviderComplaints:
    """One provider's complaints in a period: how many, and how each ended."""

    provider: str
    total: int
    undecided: int
    resolved: int
    upheld: int
    partly_upheld: int
    not_upheld: int

    @property
    def decided(self) -> int:
        return self.upheld + self.partly_upheld + self.not_upheld

    @property
    def upheld_percent(self) -> int | None:
        """The share of the council's decisions that upheld the complaint in full or in part; None when
        the council decided none."""
        if not self.decided:
            return None
        return round(100 * (self.upheld + self.partly_upheld) / self.decided)


def complaint_figures(*, council: Organisation, since: date) -> list[ProviderComplaints]:
    """Complaints made on or after ``since`` about each provider, most complained-about first."""
    rows = (
        Complaint.objects.filter(council=council, created_at__date__gte=since)
        .values("provider_organisation", "personal_assistant")
        .annotate(
            total=Count("pk"),
            undecided=Count("pk", filter=Q(status__in=UNDECIDED_STATUSES)),
            resolved=Count("pk", filter=Q(status=ComplaintStatus.RESOLVED)),
            upheld=Count("pk", filter=Q(outcome=ComplaintOutcome.UPHELD)),
            partly_upheld=Count("pk", filter=Q(outcome=ComplaintOutcome.PARTLY_UPHELD)),
            not_upheld=Count("pk", filter=Q(outcome=ComplaintOutcome.NOT_UPHELD)),
        )
    )
    names = _provider_names(rows)
    figures = [
        ProviderComplaints(
            provider=names[(row["provider_organisation"], row["personal_assistant"])],
            total=row["total"],
            undecided=row["undecided"],
            resolved=row["resolved"],
            upheld=row["upheld"],
            partly_upheld=row["partly_upheld"],
            not_upheld=row["not_upheld"],
        )
        for row in rows
    ]
    return sorted(figures, key=lambda figure: (-figure.total, figure.provider))


def _provider_names(rows) -> dict[tuple[int | None, int | None], str]:  # type: ignore[no-untyped-def]
    organisation_ids = {row["provider_organisation"] for row in rows if row["provider_organisation"]}
    assistant_ids = {row["personal_assistant"] for row in rows if row["personal_assistant"]}
    organisations = Organisation.objects.filter(pk__in=organisation_ids).select_related("provider_profile")
    names: dict[tuple[int | None, int | None], str] = {
        (organisation.pk, None): _organisation_name(organisation) for organisation in organisations
    }
    for assistant in PersonalAssistantProfile.objects.filter(pk__in=assistant_ids):
        names[(None, assistant.pk)] = assistant.display_name
    return names


def _organisation_name(organisation: Organisation) -> str:
    profile = getattr(organisation, "provider_profile", None)
    return profile.display_name if profile else organisation.name
