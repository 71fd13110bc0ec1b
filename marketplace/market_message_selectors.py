"""Reads for commissioners' messages to providers: whom a message would reach, the council's upcoming events,
the messages a council sent and the messages a provider received.

Events are CMS pages, and the marketplace sits below the CMS (it may not import it), so they are read through
Wagtail's generic ``Page``: the event pages (``eventpage``) under the council's own section of the site
(``councilindexpage``), by the names Wagtail gives the pages' tables. Nothing here depends on the CMS's code.
"""

from dataclasses import dataclass

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone
from wagtail.models import Page

from accounts.models import Membership, Organisation, User
from accounts.roles import Role
from marketplace.insights.scope import council_offers
from marketplace.models import MarketMessage, MarketMessageRecipient
from providers.models import FrameworkLot, MembershipStatus, PersonalAssistantProfile, Taxonomy, TaxonomyTerm

CATEGORY = "category"
LOT = "lot"


@dataclass(frozen=True)
class Reach:
    organisations: list[Organisation]
    assistants: list[PersonalAssistantProfile]

    @property
    def total(self) -> int:
        return len(self.organisations) + len(self.assistants)


@dataclass(frozen=True)
class EventChoice:
    page_id: int
    title: str
    url: str
    starts_at: object

    @property
    def label(self) -> str:
        return f"{self.title}, {timezone.localtime(self.starts_at):%-d %B %Y}"


def categories_for(council: Organisation) -> QuerySet[TaxonomyTerm]:
    return (
        TaxonomyTerm.objects.for_council(council)
        .of_kind(Taxonomy.Kind.SERVICE_CATEGORY)
        .filter(is_active=True)
        .order_by("name")
    )


def lots_for(council: Organisation) -> QuerySet[FrameworkLot]:
    return (
        FrameworkLot.objects.filter(framework__council=council)
        .select_related("framework")
        .order_by("framework__name", "number")
    )


def reach_of_category(council: Organisation, category: TaxonomyTerm) -> Reach:
    """The council's provider organisations and personal assistants with a published offer in the category."""
    offers = council_offers(council).published().filter(live_version__categories=category)
    organisations = Organisation.objects.filter(pk__in=offers.values("organisation")).order_by("name")
    assistants = (
        PersonalAssistantProfile.objects.filter(pk__in=offers.values("personal_assistant"))
        .select_related("user")
        .order_by("display_name")
    )
    return Reach(list(organisations), list(assistants))


def reach_of_lot(council: Organisation, lot: FrameworkLot) -> Reach:
    """The lot's admitted members (suspended and ended members are not written to as members)."""
    if lot.framework.council_id != council.pk:
        return Reach([], [])
    members = lot.memberships.filter(status=MembershipStatus.ADMITTED, ended_on__isnull=True)
    organisations = Organisation.objects.filter(pk__in=members.values("organisation")).order_by("name")
    return Reach(list(organisations), [])


def people_to_tell(organisations: list[Organisation]) -> dict[int, list[User]]:
    """Each organisation's active staff members with an active account, in one query."""
    memberships = Membership.objects.active().filter(
        organisation__in=organisations, role=Role.PROVIDER_STAFF, user__is_active=True
    )
    people: dict[int, list[User]] = {organisation.pk: [] for organisation in organisations}
    for membership in memberships.select_related("user").order_by("pk"):
        people[membership.organisation_id].append(membership.user)
    return people


def upcoming_events(council: Organisation) -> list[EventChoice]:
    """The council's live event pages that have not started yet, soonest first."""
    section = Page.objects.filter(councilindexpage__council=council).first()
    if section is None:
        return []
    pages = (
        Page.objects.live()
        .descendant_of(section)
        .filter(eventpage__starts_at__gte=timezone.now())
        .annotate(starts_at=F("eventpage__starts_at"))
        .order_by("starts_at")
    )
    return [EventChoice(page.pk, page.title, page.get_url() or "", page.starts_at) for page in pages]


def messages_sent(council: Organisation) -> QuerySet[MarketMessage]:
    return (
        MarketMessage.objects.filter(council=council)
        .select_related("sent_by")
        .annotate(
            organisations=Count("recipients", filter=Q(recipients__organisation__isnull=False)),
            assistants=Count("recipients", filter=Q(recipients__personal_assistant__isnull=False)),
        )
    )


def message_sent_get(council: Organisation, public_id) -> MarketMessage | None:  # type: ignore[no-untyped-def]
    return messages_sent(council).filter(public_id=public_id).first()


def _received_filter(membership: Membership) -> Q | None:
    if membership.role == Role.PERSONAL_ASSISTANT:
        profile = PersonalAssistantProfile.objects.filter(user=membership.user).first()
        return Q(recipients__personal_assistant=profile) if profile else None
    return Q(recipients__organisation=membership.organisation)


def messages_received(membership: Membership) -> QuerySet[MarketMessage]:
    """Messages sent to the acting provider organisation, or to the personal assistant."""
    condition = _received_filter(membership)
    if condition is None:
        return MarketMessage.objects.none()
    return MarketMessage.objects.filter(condition).select_related("council").distinct()


def recipients_of(message: MarketMessage) -> QuerySet[MarketMessageRecipient]:
    return message.recipients.select_related("organisation", "personal_assistant").order_by(
        "organisation__name", "personal_assistant__display_name"
    )
