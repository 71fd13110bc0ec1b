"""Reads for the family's and young person's workspace (/my/): the people they hold consent for, where
each is in the seven steps of self-directed support, what waits on them, and their budget, plan and
support in plain words.

Only the consent holder sees a person here: a parent or carer until hand-over, then the young person.
Anyone else gets 404 for the person (an access grant lets a practitioner use the casework pages, not
these). The step is derived from live data every time; nothing stores it.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from uuid import UUID

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone

from accounts.charts import BarChart, bar_chart
from accounts.models import Membership, Organisation, User
from accounts.roles import Role
from accounts.templatetags.money import money_text
from brokerage.models import (
    Allocation,
    Budget,
    HeldAs,
    LineFrequency,
    Outcome,
    PersonSupported,
    PlanLine,
    PlanStatus,
    SupportPlan,
)
from brokerage.selectors.plans import REVIEW_HORIZON_DAYS, review_open_for
from brokerage.statements import BudgetStatement, StreamFigures, budget_statement
from marketplace.models import DeliveryRecord, HelpRequest, Invoice, InvoiceStatus, Order, OrderStatus
from marketplace.models.orders import LIVE_ORDER_STATUSES
from marketplace.order_selectors import WaitingItem, invoice_wait, waiting_on
from marketplace.upcoming_sessions import Session, next_sessions

ZERO = Decimal("0.00")
# Plans the council has approved: the money is agreed and support can be organised.
APPROVED_STATUSES = frozenset({PlanStatus.APPROVED, PlanStatus.ACTIVE, PlanStatus.UNDER_REVIEW})
# After the family agrees, the plan waits for the council: step 4 ("decide") is not over until approval.
AGREEING_STATUSES = frozenset({PlanStatus.AGREED, PlanStatus.SUBMITTED})
ANSWERED_ORDER_STATUSES = frozenset({OrderStatus.ACCEPTED, OrderStatus.COMPLETED})
WAITING_ORDER_STATUSES = frozenset({OrderStatus.PLACED, OrderStatus.CHANGE_PROPOSED})


# --- Whose workspace ------------------------------------------------------------------------------


def people_held_by(user: User) -> QuerySet[PersonSupported]:
    """The people the user holds consent for now, in name order."""
    return (
        PersonSupported.objects.filter(consent_holders__user=user, consent_holders__ended_at__isnull=True)
        .select_related("council", "lead_professional")
        .order_by("first_name", "last_name", "pk")
        .distinct()
    )


def person_held_get(*, user: User, public_id: UUID) -> PersonSupported:
    """The person, if the user holds consent for them now; anyone else's answers 404."""
    return get_object_or_404(people_held_by(user), public_id=public_id)


def current_budget(person: PersonSupported, *, day: date | None = None) -> Budget | None:
    """The budget covering today, else the latest one."""
    day = day or timezone.localdate()
    budgets = person.budgets.order_by("-starts_on", "-pk")
    return budgets.filter(starts_on__lte=day, ends_on__gte=day).first() or budgets.first()


def current_plan(person: PersonSupported) -> SupportPlan | None:
    """The plan that counts now: the newest version of the newest budget's plans, closed ones last."""
    plans = person.plans.select_related("budget").order_by("-budget__starts_on", "-version", "-pk")
    return plans.exclude(status=PlanStatus.CLOSED).first() or plans.first()


# --- The seven steps ------------------------------------------------------------------------------

STEP_TITLES = (
    ("Ask for support", "Your needs are assessed, with you"),
    ("Find out your budget", "The money you can use, and what family and friends can do"),
    ("Make your plan", "What you want to change, and the support that will help"),
    ("Agree your plan", "You agree the plan, and then the council approves it"),
    ("Organise your support", "Orders go to providers and personal assistants, who accept them"),
    ("Support is running", "The support happens, and you approve what it costs"),
    ("Look back and learn", "A review of what has changed, and what to do next"),
)


@dataclass(frozen=True)
class Step:
    number: int
    title: str
    hint: str
    state: str  # "done", "now" or "later"
    detail: str = ""

    @property
    def state_text(self) -> str:
        return {"done": "Done", "now": "You are here", "later": "Later"}[self.state]


@dataclass(frozen=True)
class Journey:
    current: int
    detail: str
    steps: tuple[Step, ...]

    @property
    def current_step(self) -> Step:
        return self.steps[self.current - 1]


def journey_for(person: PersonSupported, *, day: date | None = None) -> Journey:
    """Where the person is in the seven steps, with a sentence saying why."""
    day = day or timezone.localdate()
    current, detail = _current_step(person, day)
    steps = tuple(
        Step(
            number=number,
            title=title,
            hint=hint,
            state="done" if number < current else "now" if number == current else "later",
            detail=detail if number == current else "",
        )
        for number, (title, hint) in enumerate(STEP_TITLES, start=1)
    )
    return Journey(current=current, detail=detail, steps=steps)


def _current_step(person: PersonSupported, day: date) -> tuple[int, str]:
    budget = current_budget(person, day=day)
    if budget is None:
        if person.ras_assessments.exists():
            return 2, "Your assessment is done: the council is working out your budget."
        return 1, "Your needs are being assessed. Your lead professional or a broker can help."
    if budget_statement(budget).total("allocated") <= ZERO:
        return 2, "The council is putting money into your budget."
    plan = current_plan(person)
    if plan is None or (plan.status == PlanStatus.DRAFT and plan.sent_to_family_at is None):
        return 3, "Your plan is being written with you."
    if plan.status == PlanStatus.DRAFT:
        return 4, "Your plan is ready: read it and agree it, or ask for changes."
    if plan.status in AGREEING_STATUSES:
        return 4, "You have agreed your plan: the council is checking it."
    if plan.status == PlanStatus.CLOSED:
        return 7, "Your plan has ended."
    return _step_after_approval(person, plan, day)


def _step_after_approval(person: PersonSupported, plan: SupportPlan, day: date) -> tuple[int, str]:
    if plan.status == PlanStatus.UNDER_REVIEW:
        return 7, "Your plan is being reviewed."
    review = review_open_for(plan)
    if review is not None and review.due_on <= day + timedelta(days=REVIEW_HORIZON_DAYS):
        return 7, f"Your review is due on {review.due_on:%-d %B %Y}."
    statuses = set(person.orders.values_list("status", flat=True))
    orders_outstanding = bool(statuses & WAITING_ORDER_STATUSES) or not statuses & ANSWERED_ORDER_STATUSES
    if orders_outstanding and _needs_orders(plan):
        return 5, "Your support is being ordered: providers are answering."
    return 6, "Your plan is approved and your support is running."


def _needs_orders(plan: SupportPlan) -> bool:
    """Whether the plan buys anything through orders (lines by direct payment or the family's own do not)."""
    return (
        plan.lines.filter(given_by=PlanLine.Giver.PROVIDER, by_direct_payment=False, stopped_on__isnull=True).exists()
        or plan.person.orders.filter(status__in=WAITING_ORDER_STATUSES).exists()
    )


# --- What to do next ------------------------------------------------------------------------------


@dataclass(frozen=True)
class NextThing:
    text: str
    url: str
    since_days: int | None = None
    overdue: bool = False


WAITING_LINKS = {
    "change_to_decide": lambda record: reverse("marketplace:order", args=[record.order.public_id]),
    "invoice_to_approve": lambda record: reverse("marketplace:invoice", args=[record.public_id]),
    "one_off_to_approve": lambda record: reverse("marketplace:one-off", args=[record.public_id]),
}


def _person_of(item: WaitingItem) -> int | None:
    record = item.record
    order = getattr(record, "order", None)
    return order.person_id if order is not None else getattr(record, "person_id", None)


def next_things(*, user: User, person: PersonSupported, day: date | None = None) -> list[NextThing]:
    """What waits on the user for this person: the plan to agree, the decisions ``waiting_on`` finds
    (proposed changes, invoices and one-off purchases), spending to record, the statement and the review."""
    day = day or timezone.localdate()
    things: list[NextThing] = []
    plan = current_plan(person)
    if plan is not None and plan.status == PlanStatus.DRAFT and plan.sent_to_family_at is not None:
        things.append(NextThing("Read your plan and agree it, or ask for changes", _plan_agree_url(plan)))
    for item in waiting_on(user):
        if item.kind in WAITING_LINKS and _person_of(item) == person.pk:
            url = WAITING_LINKS[item.kind](item.record)
            things.append(NextThing(item.what, url, since_days=item.age_days, overdue=item.overdue))
    budget = current_budget(person, day=day)
    if budget is not None and budget.allocations.filter(held_as=HeldAs.DIRECT_PAYMENT).exists():
        url = reverse("brokerage:direct-payments", args=[budget.public_id])
        things.append(NextThing("Record what you spent from your direct payment, with the receipt", url))
    if plan is not None and plan.status in APPROVED_STATUSES:
        review = review_open_for(plan)
        if review is not None and review.due_on <= day + timedelta(days=REVIEW_HORIZON_DAYS):
            things.append(
                NextThing(
                    f"Get ready for your review on {review.due_on:%-d %B %Y}: think about what has changed",
                    reverse("marketplace:my-plan", args=[person.public_id]),
                )
            )
    if budget is not None:
        url = reverse("brokerage:budget-statement", args=[budget.public_id])
        things.append(NextThing("Read your budget statement", url))
    return things


def _plan_agree_url(plan: SupportPlan) -> str:
    return reverse("brokerage:plan-agree", args=[plan.public_id])


# --- My budget ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StreamLeft:
    name: str
    allocated: Decimal
    committed: Decimal
    spent: Decimal
    left: Decimal


@dataclass
class BudgetView:
    budget: Budget
    statement: BudgetStatement
    streams: list[StreamLeft] = field(default_factory=list)
    has_direct_payment: bool = False

    @property
    def left(self) -> Decimal:
        return sum((stream.left for stream in self.streams), ZERO)

    @property
    def allocated(self) -> Decimal:
        return sum((stream.allocated for stream in self.streams), ZERO)

    @property
    def chart(self) -> BarChart:
        return bar_chart(
            title="Your budget by funding stream",
            labels=[stream.name for stream in self.streams],
            series=[
                ("Given", [stream.allocated for stream in self.streams]),
                ("Promised to providers", [stream.committed for stream in self.streams]),
                ("Spent", [stream.spent for stream in self.streams]),
                ("Left to use", [stream.left for stream in self.streams]),
            ],
            formatter=money_text,
            label_heading="Funding stream",
        )


def _stream_left(figures: StreamFigures) -> StreamLeft:
    # The same figures as the budget page and the statement: "left" is what is still available to commit.
    spent = figures.spent + figures.direct_payments
    return StreamLeft(
        name=figures.name,
        allocated=figures.allocated + figures.topped_up,
        committed=figures.committed + figures.payable,
        spent=spent,
        left=figures.available,
    )


def budget_view(budget: Budget) -> BudgetView:
    statement = budget_statement(budget)
    return BudgetView(
        budget=budget,
        statement=statement,
        streams=[_stream_left(figures) for figures in statement.streams],
        has_direct_payment=any(
            figures.allocation.held_as == HeldAs.DIRECT_PAYMENT for figures in statement.allocations
        ),
    )


# --- My plan --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LineView:
    line: PlanLine
    who: str
    how_often: str


@dataclass
class OutcomeView:
    outcome: Outcome | None
    lines: list[LineView] = field(default_factory=list)

    @property
    def is_unfunded(self) -> bool:
        return self.outcome is not None and not self.lines


def plan_outcomes(plan: SupportPlan) -> list[OutcomeView]:
    """Each outcome with the plan lines that work towards it; lines for no outcome come last."""
    views = {outcome.pk: OutcomeView(outcome) for outcome in plan.outcomes.all()}
    loose = OutcomeView(None)
    lines = plan.lines.filter(stopped_on__isnull=True).select_related("stream", "offer__live_version", "outcome")
    for line in lines.order_by("pk"):
        views.get(line.outcome_id, loose).lines.append(LineView(line, who_gives(line), how_often(line)))
    return [*views.values(), *([loose] if loose.lines else [])]


def who_gives(line: PlanLine) -> str:
    if line.given_by == PlanLine.Giver.FAMILY:
        return "You, your family and friends"
    if line.supplier_name:
        return line.supplier_name
    if line.offer is not None and line.offer.live_version is not None:
        return line.offer.live_version.name
    return line.get_given_by_display()


def how_often(line: PlanLine) -> str:
    """A line's quantity in words: "2 hours every week, for 40 weeks"."""
    amount = f"{line.quantity.normalize():f} {line.unit}{'' if line.quantity == 1 else 's'}"
    if line.frequency == LineFrequency.ONE_OFF:
        return f"{amount}, once"
    period = "week" if line.frequency == LineFrequency.WEEKLY else "month"
    return f"{amount} every {period}, for {line.periods} {period}{'' if line.periods == 1 else 's'}"


# --- My support -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class OrderView:
    order: Order
    is_live: bool
    last_delivered_on: date | None
    next_note: str
    upcoming: list[Session] = field(default_factory=list)


def support_orders(person: PersonSupported, *, now: datetime | None = None) -> list[OrderView]:
    """The person's orders, live ones first, each with what is known of its sessions: the agreed
    schedule, the dates it runs between, the last delivery recorded, and, where the order came from a
    plan line with weekly times (the package builder's), the next dated sessions those times give."""
    now = now or timezone.localtime()
    day = now.date()
    orders = person.orders.select_related(
        "offer__live_version", "provider_organisation", "personal_assistant__user"
    ).prefetch_related("plan_line__slots")
    last_delivery = _last_deliveries(orders)
    views = []
    for order in orders:
        is_live = order.status in LIVE_ORDER_STATUSES
        upcoming = _upcoming(order, now) if is_live else []
        views.append(
            OrderView(order, is_live, last_delivery.get(order.pk), _session_note(order, is_live, day), upcoming)
        )
    return sorted(views, key=lambda view: (not view.is_live, -view.order.starts_on.toordinal()))


def _upcoming(order: Order, now: datetime) -> list[Session]:
    if order.plan_line is None:
        return []
    return next_sessions(order.plan_line.slots.all(), starts_on=order.starts_on, ends_on=order.ends_on, now=now)


def _last_deliveries(orders: QuerySet[Order]) -> dict[int, date]:
    last: dict[int, date] = {}
    for order_id, delivered_on in DeliveryRecord.objects.filter(order__in=orders).values_list(
        "order_id", "delivered_on"
    ):
        last[order_id] = max(delivered_on, last.get(order_id, delivered_on))
    return last


def _session_note(order: Order, is_live: bool, day: date) -> str:
    if not is_live:
        return ""
    if order.status == OrderStatus.PLACED:
        return f"Waiting for the provider to accept. Planned from {order.starts_on:%-d %B %Y}."
    if order.starts_on > day:
        return f"Starts on {order.starts_on:%-d %B %Y}."
    if order.ends_on < day:
        return f"Was due to end on {order.ends_on:%-d %B %Y}."
    return f"Running until {order.ends_on:%-d %B %Y}."


def invoices_to_approve(person: PersonSupported) -> list[tuple[Invoice, int | None, bool]]:
    """Invoices for the person's orders waiting for the budget holder, oldest first, with their age."""
    invoices = Invoice.objects.filter(order__person=person, status=InvoiceStatus.SUBMITTED).select_related("order")
    return [(invoice, *_wait(invoice)) for invoice in invoices.order_by("submitted_at", "pk")]


def _wait(invoice: Invoice) -> tuple[int | None, bool]:
    wait = invoice_wait(invoice)
    return wait.days, wait.overdue


def direct_payment_allocations(budget: Budget | None) -> QuerySet[Allocation]:
    if budget is None:
        return Allocation.objects.none()
    return budget.allocations.filter(held_as=HeldAs.DIRECT_PAYMENT).select_related("stream")


# --- Asking for help ------------------------------------------------------------------------------


@dataclass(frozen=True)
class HelpChoice:
    """Someone the family may ask: a named practitioner (``user``) or, with ``user`` None, the council's brokers."""

    value: str
    label: str
    user: User | None


COUNCIL_CHOICE = "council"


def help_choices(person: PersonSupported) -> list[HelpChoice]:
    """The lead professional and brokers who can see the record now (consent is what lets them help), then
    the council's brokers, whom a family with nobody yet can always ask."""
    today = timezone.localdate()
    choices: list[HelpChoice] = []
    grants = person.access_grants.filter(revoked_at__isnull=True).select_related("grantee")
    for grant in grants.order_by("grantee__first_name", "grantee__last_name", "pk"):
        if not grant.is_active_on(today) or any(choice.user == grant.grantee for choice in choices):
            continue
        grantee = grant.grantee
        role = "your lead professional" if grantee.pk == person.lead_professional_id else _role_of(grantee)
        label = f"{grantee.get_full_name() or grantee.email}, {role}"
        choices.append(HelpChoice(str(grantee.public_id), label, grantee))
    choices.append(HelpChoice(COUNCIL_CHOICE, f"A broker at {person.council.name}", None))
    return choices


def _role_of(user: User) -> str:
    if Membership.objects.active().filter(user=user, role=Role.BROKER).exists():
        return "broker"
    return "lead professional"


def council_brokers(council: Organisation) -> list[User]:
    """Brokers of the council and of the broker organisations registered with it, each once."""
    memberships = (
        Membership.objects.active()
        .with_roles(Role.BROKER)
        .filter(organisation__in=Organisation.objects.within_council(council))
        .select_related("user")
        .order_by("user__pk")
    )
    return list({membership.user_id: membership.user for membership in memberships}.values())


def help_requests_of(person: PersonSupported) -> QuerySet[HelpRequest]:
    return person.help_requests.select_related("to_user", "answered_by", "from_user").order_by("-created_at", "-pk")


def help_requests_for_practitioner(*, user: User, council: Organisation, status: str = "open") -> QuerySet[HelpRequest]:
    """Requests sent to the user by name, and (for a broker) those sent to their council's brokers.
    ``status`` "open" (default), "answered" or "" for all; open ones oldest first."""
    is_council_broker = any(broker.pk == user.pk for broker in council_brokers(council))
    scope = Q(to_user=user)
    if is_council_broker:
        scope |= Q(to_user__isnull=True, to_council=council)
    requests = HelpRequest.objects.filter(scope).select_related("person", "from_user", "to_user", "answered_by")
    if status == "open":
        return requests.filter(answered_at__isnull=True).order_by("created_at", "pk")
    if status == "answered":
        return requests.filter(answered_at__isnull=False).order_by("-answered_at", "-pk")
    return requests.order_by("-created_at", "-pk")


def help_request_get_for_practitioner(*, user: User, council: Organisation, public_id: UUID) -> HelpRequest:
    return get_object_or_404(help_requests_for_practitioner(user=user, council=council, status=""), public_id=public_id)
