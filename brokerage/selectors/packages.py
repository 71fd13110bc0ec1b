"""Reads for the package builder and the caseload's "what needs doing".

The timetable arithmetic (clashes, hours that do not match the times, outcomes with no support) works
on anything with a weekday and start and end times, so it is tested on hand-built data; the money comes
from ``plan_sheet`` and is never worked out again here.

The caseload's tasks are read with a fixed number of queries whatever the caseload's size. Orders and
invoices belong to the marketplace, which brokerage may not import: they are reached through their
relations to the person (``orders``, ``orders__invoices``) with the marketplace's status values.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Protocol, TypeVar

from django.db.models import Count, Q
from django.urls import reverse

from accounts.models import User
from brokerage.models import (
    AccessGrant,
    LineFrequency,
    Outcome,
    PersonSupported,
    PlanLine,
    PlanLineSlot,
    PlanReview,
    PlanStatus,
    SupportPlan,
    Weekday,
)
from brokerage.selectors.plans import REVIEW_HORIZON_DAYS, PlanSheet, may_change_plan, plan_sheet

# Plans whose times are booked with a provider or PA: agreed with the family or further on.
LIVE_PLAN_STATUSES = [
    PlanStatus.AGREED,
    PlanStatus.SUBMITTED,
    PlanStatus.APPROVED,
    PlanStatus.ACTIVE,
    PlanStatus.UNDER_REVIEW,
]
ACCESS_ENDING_DAYS = 14
# The marketplace's status values (marketplace.models.OrderStatus and InvoiceStatus).
ORDER_NEEDS_ANSWER = ["declined", "change_proposed"]
INVOICE_WAITING = "submitted"
# Units counted in the times booked: an hour line's hours, otherwise one session, day or night per time.
COUNTED_BY_TIMES = {"session", "day", "night"}


class Timed(Protocol):
    weekday: int
    starts_at: datetime.time
    ends_at: datetime.time


def overlaps(first: Timed, second: Timed) -> bool:
    """Two weekly times overlap when they are on the same day and each starts before the other ends."""
    return first.weekday == second.weekday and first.starts_at < second.ends_at and second.starts_at < first.ends_at


T = TypeVar("T", bound=Timed)


def slot_clashes(slots: Sequence[T]) -> list[tuple[T, T]]:
    """Every pair of times that overlap, earlier first."""
    ordered = sorted(slots, key=lambda slot: (slot.weekday, slot.starts_at, slot.ends_at))
    clashes = []
    for index, first in enumerate(ordered):
        for second in ordered[index + 1 :]:
            if second.weekday != first.weekday or second.starts_at >= first.ends_at:
                break
            clashes.append((first, second))
    return clashes


def slot_hours(slot: Timed) -> Decimal:
    minutes = (slot.ends_at.hour * 60 + slot.ends_at.minute) - (slot.starts_at.hour * 60 + slot.starts_at.minute)
    return (Decimal(minutes) / 60).quantize(Decimal("0.01"))


@dataclass(frozen=True)
class TimesMismatch:
    line: PlanLine
    planned: Decimal
    booked: Decimal
    unit: str

    @property
    def text(self) -> str:
        unit = "hours" if self.unit == "hour" else f"{self.unit}s"
        return (
            f"{self.line.description}: {self.planned.normalize():f} {unit} a week in the plan, "
            f"{self.booked.normalize():f} in the timetable"
        )


def times_mismatch(line: PlanLine, slots: Sequence[Timed]) -> TimesMismatch | None:
    """A weekly line whose times add up to a different amount each week than the plan pays for."""
    if line.frequency != LineFrequency.WEEKLY or not slots:
        return None
    if line.unit == "hour":
        booked = sum((slot_hours(slot) for slot in slots), Decimal("0.00"))
    elif line.unit in COUNTED_BY_TIMES:
        booked = Decimal(len(slots))
    else:
        return None
    if booked == line.quantity:
        return None
    return TimesMismatch(line=line, planned=line.quantity, booked=booked, unit=line.unit)


def outcome_gaps(outcomes: Iterable[Outcome], lines: Iterable[PlanLine]) -> list[Outcome]:
    """Outcomes no running line of the plan works towards."""
    served = {line.outcome_id for line in lines if line.stopped_on is None}
    return [outcome for outcome in outcomes if outcome.pk not in served]


@dataclass(frozen=True)
class TimetableEntry:
    slot: PlanLineSlot
    line: PlanLine

    @property
    def weekday(self) -> int:
        return self.slot.weekday

    @property
    def starts_at(self) -> datetime.time:
        return self.slot.starts_at

    @property
    def ends_at(self) -> datetime.time:
        return self.slot.ends_at


@dataclass
class Day:
    weekday: int
    name: str
    entries: list[TimetableEntry] = field(default_factory=list)


@dataclass(frozen=True)
class BookedElsewhere:
    """This plan's time for an offer or PA overlaps a time booked for them in another person's live plan."""

    entry: TimetableEntry
    other: PlanLineSlot

    @property
    def text(self) -> str:
        return (
            f"{self.entry.line.supplier_name or self.entry.line.description} is already booked "
            f"{self.other} for someone else: check they can do {self.entry.slot}"
        )


@dataclass
class Package:
    plan: SupportPlan
    sheet: PlanSheet
    lines: list[PlanLine]
    days: list[Day]
    gaps: list[Outcome]
    clashes: list[tuple[TimetableEntry, TimetableEntry]]
    booked_elsewhere: list[BookedElsewhere]
    mismatches: list[TimesMismatch]
    without_times: list[PlanLine]

    @property
    def lines_without_outcome(self) -> list[PlanLine]:
        return [line for line in self.lines if line.outcome_id is None]

    @property
    def has_problems(self) -> bool:
        return bool(self.gaps or self.clashes or self.booked_elsewhere or self.mismatches)


def package_for(plan: SupportPlan) -> Package:
    """Everything the builder shows of a plan: its lines with their times, the week, and what to look at."""
    sheet = plan_sheet(plan)
    lines = list(
        plan.lines.filter(stopped_on__isnull=True)
        .select_related("stream", "outcome", "offer__personal_assistant")
        .prefetch_related("slots")
    )
    entries = [TimetableEntry(slot=slot, line=line) for line in lines for slot in line.slots.all()]
    days = [Day(weekday=day.value, name=day.label) for day in Weekday]
    for entry in sorted(entries, key=lambda entry: (entry.slot.starts_at, entry.slot.ends_at)):
        days[entry.slot.weekday].entries.append(entry)
    return Package(
        plan=plan,
        sheet=sheet,
        lines=lines,
        days=days,
        gaps=outcome_gaps(plan.outcomes.all(), lines),
        clashes=slot_clashes(entries),
        booked_elsewhere=booked_elsewhere(plan, entries),
        mismatches=[m for line in lines if (m := times_mismatch(line, list(line.slots.all()))) is not None],
        without_times=[line for line in lines if line.frequency == LineFrequency.WEEKLY and not line.slots.all()],
    )


def booked_elsewhere(plan: SupportPlan, entries: list[TimetableEntry]) -> list[BookedElsewhere]:
    """This plan's times that overlap the same offer's, or the same PA's, in other people's live plans of
    the council: one query for all of them."""
    offer_ids = {entry.line.offer_id for entry in entries if entry.line.offer_id}
    assistant_ids = {
        entry.line.offer.personal_assistant_id
        for entry in entries
        if entry.line.offer_id and entry.line.offer.personal_assistant_id
    }
    if not offer_ids:
        return []
    others = list(
        PlanLineSlot.objects.filter(
            Q(line__offer_id__in=offer_ids) | Q(line__offer__personal_assistant_id__in=assistant_ids),
            line__plan__budget__council_id=plan.budget.council_id,
            line__plan__status__in=LIVE_PLAN_STATUSES,
            line__stopped_on__isnull=True,
        )
        .exclude(line__plan__person_id=plan.person_id)
        .select_related("line__offer")
    )
    found = []
    for entry in entries:
        for other in others:
            same_supplier = other.line.offer_id == entry.line.offer_id or (
                entry.line.offer.personal_assistant_id is not None
                and other.line.offer.personal_assistant_id == entry.line.offer.personal_assistant_id
            )
            if same_supplier and overlaps(entry.slot, other):
                found.append(BookedElsewhere(entry=entry, other=other))
    return found


def may_change_package(*, user: User, role: str, plan: SupportPlan, day: datetime.date) -> bool:
    """The plan page's rule, ``brokerage.selectors.plans.may_change_plan``: one rule for both pages."""
    return may_change_plan(user=user, role=role, plan=plan, day=day)


def may_send_to_family(package: Package) -> bool:
    plan = package.plan
    return plan.status == PlanStatus.DRAFT and plan.sent_to_family_at is None and bool(package.lines)


# --- The caseload: what needs doing -------------------------------------------------------------------


@dataclass(frozen=True)
class Task:
    text: str
    url: str


def caseload_tasks(*, user: User, people: Sequence[PersonSupported], day: datetime.date) -> dict[int, list[Task]]:
    """What needs doing now for each person on the caseload, by the person's pk (four queries)."""
    ids = [person.pk for person in people]
    tasks: dict[int, list[Task]] = defaultdict(list)
    if not ids:
        return tasks
    _plan_tasks(ids, tasks)
    _order_tasks(ids, tasks)
    _review_tasks(ids, day, tasks)
    _access_tasks(ids, user, day, tasks)
    return tasks


def _plan_tasks(ids: list[int], tasks: dict[int, list[Task]]) -> None:
    plans = SupportPlan.objects.filter(
        person_id__in=ids, status__in=[PlanStatus.DRAFT, PlanStatus.AGREED, PlanStatus.SUBMITTED]
    ).values_list("person_id", "public_id", "status", "sent_to_family_at", "family_changes_asked")
    for person_id, public_id, status, sent_at, changes in plans.order_by("person_id", "version"):
        if status == PlanStatus.DRAFT and changes:
            tasks[person_id].append(Task("The family asked for changes to the plan", _package_url(public_id)))
        elif status == PlanStatus.DRAFT and sent_at is None:
            tasks[person_id].append(Task("Plan draft not yet sent to the family", _package_url(public_id)))
        elif status == PlanStatus.AGREED:
            url = reverse("brokerage:plan-submit", args=[public_id])
            tasks[person_id].append(Task("The family agreed the plan: submit it", url))
        elif status == PlanStatus.SUBMITTED:
            url = reverse("brokerage:plan", args=[public_id])
            tasks[person_id].append(Task("Plan waiting for approval", url))


def _package_url(public_id) -> str:  # type: ignore[no-untyped-def]
    return reverse("marketplace:package", args=[public_id])


def _order_tasks(ids: list[int], tasks: dict[int, list[Task]]) -> None:
    counts = (
        PersonSupported.objects.filter(pk__in=ids)
        .annotate(
            orders_to_answer=Count("orders", filter=Q(orders__status__in=ORDER_NEEDS_ANSWER), distinct=True),
            invoices_waiting=Count(
                "orders__invoices", filter=Q(orders__invoices__status=INVOICE_WAITING), distinct=True
            ),
        )
        .filter(Q(orders_to_answer__gt=0) | Q(invoices_waiting__gt=0))
        .values_list("pk", "orders_to_answer", "invoices_waiting")
    )
    orders_url = reverse("marketplace:orders")
    for person_id, to_answer, invoices in counts:
        if to_answer:
            text = f"{to_answer} order{'s' if to_answer != 1 else ''} declined or with a change proposed"
            tasks[person_id].append(Task(text, orders_url))
        if invoices:
            tasks[person_id].append(Task(f"{invoices} invoice{'s' if invoices != 1 else ''} waiting", orders_url))


def _review_tasks(ids: list[int], day: datetime.date, tasks: dict[int, list[Task]]) -> None:
    reviews = PlanReview.objects.filter(
        plan__person_id__in=ids,
        completed_on__isnull=True,
        due_on__lte=day + datetime.timedelta(days=REVIEW_HORIZON_DAYS),
        plan__status__in=[PlanStatus.ACTIVE, PlanStatus.UNDER_REVIEW],
    ).values_list("plan__person_id", "plan__public_id", "due_on")
    for person_id, public_id, due_on in reviews.order_by("due_on", "pk"):
        text = f"Review {'overdue since' if due_on < day else 'due'} {due_on:%-d %B %Y}"
        tasks[person_id].append(Task(text, reverse("brokerage:plan-review", args=[public_id])))


def _access_tasks(ids: list[int], user: User, day: datetime.date, tasks: dict[int, list[Task]]) -> None:
    grants = AccessGrant.objects.filter(
        person_id__in=ids,
        grantee=user,
        revoked_at__isnull=True,
        until__gte=day,
        until__lte=day + datetime.timedelta(days=ACCESS_ENDING_DAYS),
    ).values_list("person_id", "person__public_id", "until")
    # With several grants, the latest end is when access really ends.
    ends: dict[int, tuple] = {}
    for person_id, public_id, until in grants:
        if person_id not in ends or until > ends[person_id][1]:
            ends[person_id] = (public_id, until)
    lasting = (
        set(
            AccessGrant.objects.filter(person_id__in=list(ends), grantee=user, revoked_at__isnull=True)
            .filter(Q(until__isnull=True) | Q(until__gt=day + datetime.timedelta(days=ACCESS_ENDING_DAYS)))
            .values_list("person_id", flat=True)
        )
        if ends
        else set()
    )
    for person_id, (public_id, until) in ends.items():
        if person_id not in lasting:
            text = f"Your access ends on {until:%-d %B %Y}"
            tasks[person_id].append(Task(text, reverse("brokerage:person", args=[public_id])))
