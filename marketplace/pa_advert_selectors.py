"""Reads for PA recruitment.

A family member, young person, broker or lead professional sees the adverts of the people whose records
they may see (brokerage's consent rules); a PA sees an advert sent to them, or published to an area their
listing covers, and any advert they replied to. Anything else answers 404.
"""

from dataclasses import dataclass
from uuid import UUID

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from accounts.models import Organisation, User
from brokerage.selectors.people import people_for_user
from marketplace.models import AdvertStatus, PAAdvert, PAMeeting, PAReply
from marketplace.shortlist_selectors import shortlist_public_ids
from providers.models import Offer, PersonalAssistantProfile
from providers.models.profiles import ProfileStatus

CHECKLIST_GUIDES = {
    "right_to_work": "right-to-work/",
    "dbs": "dbs-checks/",
    "insurance": "employers-liability-insurance/",
    "payroll": "payroll/",
    "contract": "contract/",
}


def adverts_for_user(*, user: User, council: Organisation) -> QuerySet[PAAdvert]:
    people = people_for_user(user=user, council=council).values("pk")
    return (
        PAAdvert.objects.filter(person__in=people)
        .select_related("person")
        .annotate(reply_count=Count("replies", distinct=True), recipient_count=Count("recipients", distinct=True))
        .order_by("-created_at", "-pk")
    )


def advert_get_for(*, user: User, council: Organisation, public_id: UUID) -> PAAdvert:
    return get_object_or_404(adverts_for_user(user=user, council=council), public_id=public_id)


def advert_replies(advert: PAAdvert) -> QuerySet[PAReply]:
    return advert.replies.select_related("pa").prefetch_related("meetings").order_by("created_at", "pk")


def reply_get_for(*, user: User, council: Organisation, public_id: UUID) -> PAReply:
    people = people_for_user(user=user, council=council).values("pk")
    return get_object_or_404(
        PAReply.objects.select_related("pa", "advert", "advert__person"),
        advert__person__in=people,
        public_id=public_id,
    )


def reply_meetings(reply: PAReply) -> QuerySet[PAMeeting]:
    return reply.meetings.order_by("-starts_at", "-pk")


def pa_profile_of(user: User) -> PersonalAssistantProfile | None:
    """The PA listing of a user acting as a personal assistant (PersonalAssistantProfile.user)."""
    return PersonalAssistantProfile.objects.filter(user=user).first()


def pas_covering(district: str) -> list[PersonalAssistantProfile]:
    """Published PAs whose listing covers the postcode district. The areas are a JSON list; the text match
    narrows the rows in the database, and the exact check is done here."""
    candidates = PersonalAssistantProfile.objects.filter(
        status=ProfileStatus.PUBLISHED, areas__icontains=f'"{district}"'
    ).select_related("user")
    return [pa for pa in candidates if district in pa.areas]


def _visible_to_pa(pa: PersonalAssistantProfile) -> Q:
    return Q(recipients__pa=pa) | Q(published_to_area=True, postcode_district__in=pa.areas) | Q(replies__pa=pa)


def adverts_for_pa(pa: PersonalAssistantProfile) -> QuerySet[PAAdvert]:
    """Open adverts sent to the PA or published to an area they cover, soonest closing first."""
    matching = PAAdvert.objects.filter(_visible_to_pa(pa)).values("pk")
    return PAAdvert.objects.filter(pk__in=matching, status=AdvertStatus.OPEN).order_by("closing_date", "pk")


def advert_get_for_pa(*, pa: PersonalAssistantProfile, public_id: UUID) -> PAAdvert:
    matching = PAAdvert.objects.filter(_visible_to_pa(pa)).values("pk")
    advert = get_object_or_404(PAAdvert, pk__in=matching, public_id=public_id)
    if advert.status != AdvertStatus.OPEN and not advert.replies.filter(pa=pa).exists():
        # A closed advert stays visible only to the PAs who replied to it.
        raise Http404("No such advert")
    return advert


def pa_reply_of(*, advert: PAAdvert, pa: PersonalAssistantProfile) -> PAReply | None:
    return advert.replies.filter(pa=pa).prefetch_related("meetings").first()


def meeting_get_for_pa(*, pa: PersonalAssistantProfile, public_id: UUID) -> PAMeeting:
    return get_object_or_404(PAMeeting.objects.select_related("reply__advert"), reply__pa=pa, public_id=public_id)


@dataclass(frozen=True)
class PACandidate:
    offer_public_id: str
    offer_name: str
    pa: PersonalAssistantProfile
    shortlisted: bool
    covers_area: bool
    already_sent: bool


def send_candidates(*, advert: PAAdvert, request: HttpRequest, extra_offer_ids: list[str]) -> list[PACandidate]:
    """PAs the advert could go to: those on the sender's shortlist, those chosen from search results
    (offer public ids), and those whose listing covers the advert's area."""
    shortlisted = set(shortlist_public_ids(request))
    asked = shortlisted | set(extra_offer_ids)
    area_pks = {pa.pk for pa in pas_covering(advert.postcode_district)}
    offers = (
        Offer.objects.published()
        .filter(personal_assistant__status=ProfileStatus.PUBLISHED)
        .filter(Q(public_id__in=_uuids(asked)) | Q(personal_assistant__in=area_pks))
        .select_related("personal_assistant", "live_version")
        .order_by("personal_assistant__display_name", "pk")
    )
    sent = set(advert.recipients.values_list("pa_id", flat=True))
    candidates: dict[int, PACandidate] = {}
    for offer in offers:
        pa = offer.personal_assistant
        if pa.pk in candidates and str(offer.public_id) not in asked:
            continue
        candidates[pa.pk] = PACandidate(
            offer_public_id=str(offer.public_id),
            offer_name=offer.live_version.name,
            pa=pa,
            shortlisted=str(offer.public_id) in shortlisted,
            covers_area=pa.pk in area_pks,
            already_sent=pa.pk in sent,
        )
    return list(candidates.values())


def _uuids(values: set[str]) -> list[UUID]:
    result = []
    for value in values:
        try:
            result.append(UUID(str(value)))
        except ValueError:
            continue
    return result


def pas_for_offers(offer_public_ids: list[str]) -> list[PersonalAssistantProfile]:
    offers = Offer.objects.published().filter(
        public_id__in=_uuids(set(offer_public_ids)), personal_assistant__status=ProfileStatus.PUBLISHED
    )
    return list(PersonalAssistantProfile.objects.filter(offers__in=offers).distinct())


def guidance_links() -> dict[str, str]:
    """The CMS guide page for each checklist item, under the configured section (PA_EMPLOYER_GUIDANCE_PATH)."""
    root = settings.PA_EMPLOYER_GUIDANCE_PATH.rstrip("/") + "/"
    return {item: root + slug for item, slug in CHECKLIST_GUIDES.items()}
