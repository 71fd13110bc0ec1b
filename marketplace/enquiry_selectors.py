"""Reads for enquiries: who may see a thread, who takes part in it, unread counts and what is waiting.

Three kinds of people see a thread:

- the enquirer, while they may still see the person it is about (a broker whose access was withdrawn
  stops seeing threads about that child);
- the provider: the active staff of the provider organisation, or the personal assistant;
- the consent holder of a child under 18 the thread is about, who may read it but not write in it.
  The rule is read at every request, so a new consent holder sees the thread and a child's 18th
  birthday ends the parent's view.

Anyone else gets 404, whatever their role. Council officers reach a reported message only through its
report (``report_get_for``).
"""

from dataclasses import dataclass
from datetime import date, datetime
from uuid import UUID

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone

from accounts.models import Membership, Organisation, User
from accounts.roles import PROVIDER_ROLES, Role
from brokerage.models import ConsentHolder, PersonSupported
from brokerage.services.consent import people_visible_to
from marketplace.models import Enquiry, EnquiryReadState, EnquiryStatus, Message, MessageReport, ThreadSide
from providers.permissions import ProviderContext

ADULT_AGE = 18
ENQUIRER_ROLES = (Role.FAMILY_MEMBER, Role.YOUNG_PERSON, Role.LEAD_PROFESSIONAL, Role.BROKER)
THREAD_ROLES = (*ENQUIRER_ROLES, *PROVIDER_ROLES)
# Reports of messages go to the council's quality-assurance officers, who check providers and PAs;
# a council without one still has its administrators, so that no report goes unread.
REPORT_ROLES = (Role.QA_OFFICER, Role.COUNCIL_ADMIN)


def under_adult_age_cutoff(today: date) -> date:
    """People born after this day are under 18 today."""
    try:
        return today.replace(year=today.year - ADULT_AGE)
    except ValueError:  # 29 February: the birthday falls on 1 March in other years
        return date(today.year - ADULT_AGE, 3, 1)


def is_under_adult_age(person: PersonSupported, today: date | None = None) -> bool:
    return person.date_of_birth > under_adult_age_cutoff(today or timezone.localdate())


# --- Who sees a thread ---------------------------------------------------------------------------------


def _provider_side_q(user: User) -> Q:
    staff_of = Membership.objects.active().filter(user=user, role=Role.PROVIDER_STAFF).values("organisation")
    return Q(provider_organisation__in=staff_of) | Q(
        provider_personal_assistant__user=user, provider_personal_assistant__user__is_active=True
    )


def _enquirer_q(user: User) -> Q:
    still_sees_person = (
        Q(person__isnull=True) | Q(person__in=people_visible_to(user).values("pk")) | Q(person__young_person_user=user)
    )
    return Q(enquirer=user) & still_sees_person


def _consent_reader_q(user: User) -> Q:
    holds_consent = ConsentHolder.objects.filter(person=OuterRef("person"), user=user, ended_at__isnull=True)
    return Q(Exists(holds_consent), person__date_of_birth__gt=under_adult_age_cutoff(timezone.localdate()))


def enquiries_visible_to(user: User) -> QuerySet[Enquiry]:
    if not user.is_authenticated:
        return Enquiry.objects.none()
    return Enquiry.objects.filter(_enquirer_q(user) | _provider_side_q(user) | _consent_reader_q(user))


def enquiry_get_for(*, user: User, public_id: UUID) -> Enquiry:
    enquiry = (
        enquiries_visible_to(user)
        .select_related(
            "offer__live_version",
            "offer__organisation__provider_profile",
            "offer__personal_assistant",
            "provider_personal_assistant__user",
            "enquirer",
            "enquirer_membership__organisation",
            "person",
            "council",
        )
        .filter(public_id=public_id)
        .first()
    )
    if enquiry is None:
        raise Http404("No enquiry you can see has this address")
    return enquiry


def enquiry_is_visible_to(*, enquiry: Enquiry, user: User) -> bool:
    return enquiries_visible_to(user).filter(pk=enquiry.pk).exists()


# --- Who takes part ------------------------------------------------------------------------------------


def enquiry_provider_users(enquiry: Enquiry) -> list[User]:
    """Who answers for the provider: the organisation's active staff, or the personal assistant."""
    if enquiry.provider_personal_assistant_id:
        pa_user = enquiry.provider_personal_assistant.user
        return [pa_user] if pa_user.is_active else []
    memberships = Membership.objects.active().filter(
        organisation_id=enquiry.provider_organisation_id, role=Role.PROVIDER_STAFF
    )
    return [membership.user for membership in memberships.select_related("user")]


def enquiry_consent_reader(enquiry: Enquiry) -> User | None:
    """The consent holder of a child under 18 the thread is about, when they did not send it."""
    if enquiry.person_id is None or not is_under_adult_age(enquiry.person):
        return None
    holder = enquiry.person.consent_holders.filter(ended_at__isnull=True).select_related("user").first()
    if holder is None or holder.user_id == enquiry.enquirer_id or not holder.user.is_active:
        return None
    return holder.user


def enquiry_side_of(*, enquiry: Enquiry, user: User) -> str | None:
    """Which side of the conversation the user writes for, or None if they may only read it."""
    if not enquiry_is_visible_to(enquiry=enquiry, user=user):
        return None
    if enquiry.enquirer_id == user.pk:
        return ThreadSide.ENQUIRER
    if any(member.pk == user.pk for member in enquiry_provider_users(enquiry)):
        return ThreadSide.PROVIDER
    return None


def enquiry_read_at(*, enquiry: Enquiry, user: User) -> datetime | None:
    return enquiry.read_states.filter(user=user).values_list("read_at", flat=True).first()


def enquiry_messages(enquiry: Enquiry) -> QuerySet[Message]:
    return enquiry.messages.select_related("sender", "attachment").order_by("created_at", "id")


def enquiry_attachment_get(*, enquiry: Enquiry, upload_public_id: UUID) -> Message:
    message = enquiry_messages(enquiry).filter(attachment__public_id=upload_public_id).first()
    if message is None:
        raise Http404("No file in this conversation has this address")
    return message


def enquiry_message_get(*, enquiry: Enquiry, message_public_id: UUID) -> Message:
    message = enquiry_messages(enquiry).filter(public_id=message_public_id).first()
    if message is None:
        raise Http404("No message in this conversation has this address")
    return message


# --- Lists ---------------------------------------------------------------------------------------------


def _with_unread(enquiries: QuerySet[Enquiry], user: User) -> QuerySet[Enquiry]:
    read_at = EnquiryReadState.objects.filter(enquiry=OuterRef("pk"), user=user).values("read_at")[:1]
    unread = ~Q(messages__sender=user) & (Q(my_read_at__isnull=True) | Q(messages__created_at__gt=F("my_read_at")))
    return enquiries.annotate(my_read_at=Subquery(read_at)).annotate(unread_count=Count("messages", filter=unread))


def enquiry_threads_for(user: User) -> QuerySet[Enquiry]:
    """The user's threads, newest message first, each with ``unread_count`` for them."""
    threads = enquiries_visible_to(user).select_related(
        "offer__live_version",
        "offer__organisation__provider_profile",
        "offer__personal_assistant",
        "provider_personal_assistant",
        "enquirer",
        "enquirer_membership__organisation",
    )
    return _with_unread(threads, user).order_by("-last_message_at", "-id")


def unread_message_count(user: User) -> int:
    return sum(thread.unread_count for thread in enquiry_threads_for(user))


@dataclass(frozen=True)
class WaitingEnquiry:
    enquiry: Enquiry
    waiting_days: int

    @property
    def is_overdue(self) -> bool:
        return self.waiting_days >= OVERDUE_AFTER_DAYS


# Families told us in the pilots that slow answers were what put them off; an enquiry unanswered for
# two working days is shown first and marked.
OVERDUE_AFTER_DAYS = 2


def enquiries_of_provider(provider: ProviderContext) -> QuerySet[Enquiry]:
    if provider.personal_assistant is not None:
        enquiries = Enquiry.objects.filter(provider_personal_assistant=provider.personal_assistant)
    else:
        enquiries = Enquiry.objects.filter(provider_organisation=provider.organisation)
    return enquiries.select_related("offer__live_version").order_by("-last_message_at", "-id")


def enquiries_waiting_for_provider(provider: ProviderContext, now: datetime | None = None) -> list[WaitingEnquiry]:
    """Enquiries whose last word is the enquirer's, longest waiting first, with how many days."""
    now = now or timezone.now()
    waiting = enquiries_of_provider(provider).filter(status=EnquiryStatus.OPEN).order_by("status_changed_at", "id")
    return [WaitingEnquiry(enquiry=enquiry, waiting_days=(now - enquiry.status_changed_at).days) for enquiry in waiting]


# --- Reports, for council officers ---------------------------------------------------------------------


def report_officers(council: Organisation) -> list[User]:
    memberships = Membership.objects.active().filter(organisation=council).select_related("user")
    officers = [m.user for m in memberships.filter(role=Role.QA_OFFICER)]
    return officers or [m.user for m in memberships.filter(role=Role.COUNCIL_ADMIN)]


def reports_for_council(council: Organisation, *, resolved: bool = False) -> QuerySet[MessageReport]:
    return (
        MessageReport.objects.filter(council=council, resolved_at__isnull=not resolved)
        .select_related("message__enquiry__offer__live_version", "message__sender", "reporter")
        .order_by("created_at" if not resolved else "-resolved_at", "id")
    )


def report_get_for(*, council: Organisation, public_id: UUID) -> MessageReport:
    report = (
        MessageReport.objects.filter(council=council, public_id=public_id)
        .select_related("message__enquiry__offer__live_version", "message__sender", "reporter", "resolved_by")
        .first()
    )
    if report is None:
        raise Http404("No report of your council has this address")
    return report
