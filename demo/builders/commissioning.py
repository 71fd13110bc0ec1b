"""Enquiries, orders in every state, delivery records, timesheets and invoices for Coventry's demo
families (DOMAIN.md), so that the "Messages" and "Orders and invoices" pages have something to show.

Everything goes through the marketplace services, so audit rows, ledger postings (commitments taken
over from plan lines, settlements, a credit note's reversal) and notifications are as real use leaves
them. Those services take no clock: enquiries, orders and invoices are sent "now", and only what they
let the caller date is in the past (delivery dates, timesheet periods, invoice dates). One invoice's
submission time is then moved back a fortnight, so that the highlight of invoices waiting more than ten
days has something to show.

A conversation already there (matched on its enquirer and offer) or an order already there (matched on
its person and description) is left as it is with everything that followed it, so a second run creates
nothing.

What is on show, by sign-in:

- Tom's mother (family member): Tom's tuition from the directory tutor, two evenings a week until the
  review stopped it, delivered, invoiced, approved by his lead professional and completed; his
  counselling, with an invoice approved, one reduced by a credit note, one she queried and one waiting
  for approval for a fortnight; the taxi whose change of dates she accepted and the one whose price
  rise she has to decide; more counselling waiting for the charity; holiday tuition the tutors
  declined; the football residential she asked to pay (a new supplier on no framework); her
  conversation with the counselling charity.
- The counselling charity's staff (provider staff): the order to answer, the query to answer, and two
  conversations, one waiting for their reply.
- Chloe (personal assistant): the hours she worked on A's helpers' rota, recorded for the family's
  payroll with no invoice, and A's mother's question.
- The lead professional sign-in: Tom's orders and invoices, the football residential waiting for her
  approval, and her question to the counselling charity.
- The broker: Jonathan's personal assistants, one invoicing by timesheet, one order cancelled.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection
from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import Membership, Organisation, User
from accounts.roles import Role
from brokerage import ledger
from brokerage.models import AccessGrant, AccountKind, Allocation, PersonSupported, PlanLine
from brokerage.services.consent import consent_holder
from demo.context import DemoContext
from demo.councils import COVENTRY
from demo.logins import DEMO_LOGINS
from marketplace.models import Enquiry, Invoice, OneOffPurchase, Order, PAEmployment
from marketplace.services.deliveries import TimesheetEntry, delivery_record, timesheet_submit
from marketplace.services.enquiries import enquiry_close, enquiry_send, message_post
from marketplace.services.invoices import (
    LineInput,
    credit_note_issue,
    invoice_approve,
    invoice_query,
    invoice_submit,
    one_off_purchase_request,
)
from marketplace.services.orders import (
    order_accept,
    order_cancel,
    order_change_accept,
    order_change_propose,
    order_complete,
    order_decline,
    order_place,
)
from providers.models import CostOption, EmploymentPreference, Offer

YEAR = 2026  # the financial year of the demo budgets (demo.builders.brokerage)
# Tom's counselling: ten Mondays after school from 7 September, the last on 9 November.
TOM_SESSIONS = tuple(datetime.date(YEAR, 9, 7) + datetime.timedelta(weeks=week) for week in range(10))
# Tom's tuition (DOMAIN.md, L1): two hours a week, Tuesday and Thursday evenings, from 14 April for the
# fifteen weeks until the review stopped it; £600.00 of the line's £1,560.00 was used.
TUITION_WEEKS = 15
TOM_TUITION_DAYS = tuple(
    datetime.date(YEAR, 4, 14) + datetime.timedelta(weeks=week, days=day)
    for week in range(TUITION_WEEKS)
    for day in (0, 2)
)
TUITION_RATE = Decimal("20.00")  # agreed with the tutor for the plan, below the directory's listed price
RESIDENTIAL = "Football residential: fees and hotel"
RESIDENTIAL_COST = Decimal("310.00")
# The example VAT registration number HMRC uses in its own guidance: it belongs to nobody.
DEMO_VAT_NUMBER = "GB999999973"
# The invoice left waiting was issued this many days ago: past the 10 days after which late payment is
# flagged (marketplace.order_selectors.INVOICE_APPROVAL_DAYS).
WAITING_INVOICE_AGE_DAYS = 14
LEAD_PROFESSIONAL_LOGIN = next(login.email for login in DEMO_LOGINS if login.role == Role.LEAD_PROFESSIONAL)
PA_LOGIN = next(login.email for login in DEMO_LOGINS if login.role == Role.PERSONAL_ASSISTANT)

PA_SUPPORT = "Personal assistant support at home and out and about"
TOM_COUNSELLING = "Counselling for Tom, ten sessions"
TOM_MORE_COUNSELLING = "Counselling for Tom, six more sessions"
TOM_TAXI = "Taxi to counselling and back"
TOM_MORE_TAXI = "Taxi to counselling, six more trips"
TOM_HOLIDAY_TUITION = "Maths tuition in the Christmas holidays"
TOM_TUITION = "Maths tuition for Tom, two evenings a week"
A_ROTA = "Chloe on A's helpers' rota"
JONATHAN_FULL_TIME = "Full-time personal assistant for Jonathan"
JONATHAN_PART_TIME = "Part-time personal assistant for Jonathan"
COUNSELLING_CHARITY = "open-door-counselling-coventry"


def build(ctx: DemoContext) -> None:
    _refresh_planner_statistics()
    council = ctx.organisations[COVENTRY.slug]
    tom, a, jonathan = (_person(ctx, council, name, family) for family, name in enumerate(("Tom", "A", "Jonathan")))
    if tom is None or a is None or jonathan is None:
        return  # the casework builder records the families; without them there is nothing to order for
    lead_professional = ctx.users[LEAD_PROFESSIONAL_LOGIN]
    conversations = (
        _once(_enquiries(_holder(tom), _counselling_offer()), _tom_mother_asks_about_counselling, ctx, tom),
        _once(
            _enquiries(lead_professional, _parent_counselling_offer()),
            _lead_professional_asks_about_parents,
            lead_professional,
        ),
        _once(_enquiries(_holder(a), _home_start_offer()), _a_mother_asks_home_start, ctx, a),
        _once(_enquiries(_holder(a), _chloe_offer()), _a_mother_asks_chloe, a),
    )
    ctx.tally.record("Enquiries, with their messages", created=sum(conversations), existing=conversations.count(False))
    # An order is found again by its person and description: each description is used once.
    orders = (
        _once(_orders(tom, TOM_TUITION), _tom_tuition, ctx, tom),
        _once(_orders(tom, TOM_COUNSELLING), _tom_counselling, ctx, tom),
        _once(_orders(tom, TOM_MORE_COUNSELLING), _tom_more_counselling, tom),
        _once(_orders(tom, TOM_TAXI), _tom_taxi, ctx, tom),
        _once(_orders(tom, TOM_MORE_TAXI), _tom_more_taxi, ctx, tom),
        _once(_orders(tom, TOM_HOLIDAY_TUITION), _tom_holiday_tuition, ctx, tom),
        _once(_orders(a, A_ROTA), _a_rota, a),
        _once(_orders(jonathan, JONATHAN_FULL_TIME), _jonathan_full_time, jonathan),
        _once(_orders(jonathan, JONATHAN_PART_TIME), _jonathan_part_time, jonathan),
    )
    ctx.tally.record(
        "Orders, with deliveries, timesheets and invoices", created=sum(orders), existing=orders.count(False)
    )
    purchases = (_once(OneOffPurchase.objects.filter(person=tom, description=RESIDENTIAL), _tom_residential, tom),)
    ctx.tally.record("One-off purchases", created=sum(purchases), existing=purchases.count(False))


def _once(existing: QuerySet, build: Callable[..., object], *args: object) -> bool:  # type: ignore[type-arg]
    """Build unless an earlier run did: True when built now."""
    if existing.exists():
        return False
    build(*args)
    return True


def _enquiries(enquirer: User, offer: Offer) -> QuerySet[Enquiry]:
    return Enquiry.objects.filter(enquirer=enquirer, offer=offer)


def _orders(person: PersonSupported, description: str) -> QuerySet[Order]:
    return Order.objects.filter(person=person, description=description)


# --- Who and what ---------------------------------------------------------------------------------


def _person(ctx: DemoContext, council: Organisation, first_name: str, family: int) -> PersonSupported | None:
    # The casework builder gives the n-th Coventry family sign-in consent for each family in turn.
    parent = ctx.people(COVENTRY.slug, Role.FAMILY_MEMBER)[family]
    return PersonSupported.objects.filter(
        council=council,
        first_name=first_name,
        consent_holders__user=parent,
        consent_holders__ended_at__isnull=True,
    ).first()


def _holder(person: PersonSupported) -> User:
    holder = consent_holder(person)
    assert holder is not None, f"{person.first_name} has nobody holding consent"
    return holder.user


def _acting_broker(person: PersonSupported) -> User:
    grant = AccessGrant.objects.filter(person=person, scope=AccessGrant.Scope.ACT, revoked_at__isnull=True).first()
    assert grant is not None, f"Nobody acts for {person.first_name} under a grant"
    return grant.grantee


def _staff(ctx: DemoContext, organisation_slug: str) -> User:
    # The first of a named provider's staff: for the counselling charity, the provider staff sign-in.
    return ctx.people(organisation_slug, Role.PROVIDER_STAFF)[0]


def _membership(user: User, role: Role) -> Membership:
    return Membership.objects.active().get(user=user, role=role)


def _offer(name: str, *, organisation: str = "", assistant: str = "") -> Offer:
    """A published offer by its name and its provider's slug (or the personal assistant's email)."""
    offers = Offer.objects.published().filter(live_version__name=name)
    if organisation:
        return offers.get(organisation__slug=organisation)
    return offers.get(personal_assistant__user__email=assistant)


def _counselling_offer() -> Offer:
    return _offer("Counselling for young people aged 11 to 18", organisation=COUNSELLING_CHARITY)


def _parent_counselling_offer() -> Offer:
    return _offer("Counselling for parent carers", organisation=COUNSELLING_CHARITY)


def _taxi_offer() -> Offer:
    return _offer("School and activity runs in wheelchair-accessible taxis", organisation="earlsdon-cars")


def _home_start_offer() -> Offer:
    return _offer("Parent carer coffee mornings in Tile Hill", organisation="home-start-coventry")


def _chloe_offer() -> Offer:
    return _offer(PA_SUPPORT, assistant=PA_LOGIN)


def _assistant_offer(*, works: str) -> Offer:
    """The support offer of the first Coventry personal assistant on the register (by email, so the same
    one on every run) who works as ``works`` or either way; never the personal assistant sign-in, whose
    orders are A's."""
    offers = (
        Offer.objects.published()
        .filter(
            live_version__name=PA_SUPPORT,
            personal_assistant__council__slug=COVENTRY.slug,
            personal_assistant__employment_preference__in=(works, EmploymentPreference.EITHER),
        )
        .exclude(personal_assistant__user__email=PA_LOGIN)
        .order_by("personal_assistant__user__email")
    )
    offer = offers.first()
    assert offer is not None, f"No Coventry personal assistant works {works}"
    return offer


def _price(offer: Offer) -> CostOption:
    price = offer.live_version.cost_options.first()
    assert price is not None, f"{offer} has no price"
    return price


def _line(person: PersonSupported, description: str) -> PlanLine:
    return PlanLine.objects.get(plan__budget__person=person, description=description)


def _budget_money(line: PlanLine) -> Allocation:
    """The allocation of the line's stream from the person's own budget (not a locality fund's)."""
    return line.plan.budget.allocations.get(stream=line.stream, locality_fund__isnull=True)


@dataclass(frozen=True)
class Terms:
    units: str
    starts_on: datetime.date
    ends_on: datetime.date
    schedule: str = ""


def _order_from_line(
    *,
    actor: User,
    person: PersonSupported,
    offer: Offer,
    line: PlanLine,
    description: str,
    terms: Terms,
    pa_employment: str = "",
) -> Order:
    """An order from an approved plan line at the provider's listed price: it takes over the line's
    commitment, and commits from what is available only what the order costs beyond the line."""
    price = _price(offer)
    return order_place(
        actor=actor,
        person=person,
        offer=offer,
        plan_line=line,
        allocation=_budget_money(line),
        description=description,
        units=Decimal(terms.units),
        unit=price.unit,
        rate=price.amount,
        vat_status=price.vat_status,
        schedule=terms.schedule,
        starts_on=terms.starts_on,
        ends_on=terms.ends_on,
        pa_employment=pa_employment,
    )


def _lines(order: Order, days: tuple[datetime.date, ...], units: str = "1", note: str = "") -> list[LineInput]:
    return [LineInput(day, Decimal(units), order.rate, note) for day in days]


def _deliver(order: Order, actor: User, days: tuple[datetime.date, ...], note: str, *, numbered: bool = False) -> None:
    """One delivery record a day, of one unit each ("Session 1", "Session 2"… when ``numbered``)."""
    for number, day in enumerate(days, start=1):
        delivery_record(
            order=order, actor=actor, delivered_on=day, units=Decimal(1), notes=f"{note} {number}" if numbered else note
        )


def _invoice(
    order: Order,
    actor: User,
    number: str,
    days: tuple[datetime.date, ...],
    note: str,
    *,
    issued_on: datetime.date | None = None,
    vat_number: str = "",
) -> Invoice:
    """An invoice of one unit a day for ``days``, issued the day after the last unless said otherwise."""
    return invoice_submit(
        order=order,
        actor=actor,
        number=number,
        issued_on=issued_on or days[-1] + datetime.timedelta(days=1),
        lines=_lines(order, days, note=note),
        vat_number=vat_number,
    )


def _available(allocation: Allocation) -> Decimal:
    return ledger.balance(ledger.allocation_account(allocation, AccountKind.AVAILABLE))


def _refresh_planner_statistics() -> None:
    """PostgreSQL plans queries from table statistics, which the directory just built has not got yet when
    it was all written in one transaction (a first run, and every test): without them the joins below
    are planned as nested scans of tables thought empty and take minutes. ANALYZE is what any bulk load
    does next; it is allowed inside a transaction and sees the transaction's own rows. Only the project's
    own tables: a bare ANALYZE also takes the system catalogs shared by every database in the cluster and
    holds them to the end of the transaction, so a second test database's ANALYZE waited on the first."""
    if connection.vendor == "postgresql":
        tables = connection.introspection.django_table_names(only_existing=True, include_views=False)
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE " + ", ".join(quote(table) for table in sorted(tables)))


def _family_asks(person: PersonSupported, offer: Offer, question: str) -> Enquiry:
    """An enquiry by the person's consent holder, sharing the person's first name and age."""
    holder = _holder(person)
    return enquiry_send(
        enquirer=holder,
        membership=_membership(holder, Role.FAMILY_MEMBER),
        offer=offer,
        person=person,
        share=("first_name", "age"),
        question=question,
    )


# --- Conversations --------------------------------------------------------------------------------


def _tom_mother_asks_about_counselling(ctx: DemoContext, tom: PersonSupported) -> None:
    """Answered: the charity replied twice, and the nurse went on to order the sessions."""
    enquiry = _family_asks(
        tom,
        _counselling_offer(),
        "Tom has found school hard since his dad left. Do you have an after-school time free, and can "
        "his school nurse order the sessions from his budget?",
    )
    charity = _staff(ctx, COUNSELLING_CHARITY)
    message_post(
        enquiry=enquiry,
        sender=charity,
        body="Yes: we have Mondays at 4pm at our centre with one of our counsellors. Ten sessions is usual to "
        "begin with, and his school nurse can order them here.",
    )
    message_post(
        enquiry=enquiry,
        sender=charity,
        body="The first session is a chance for Tom to meet his counsellor. You are welcome to come with him.",
    )


def _lead_professional_asks_about_parents(lead_professional: User) -> None:
    """Waiting for the charity's reply."""
    enquiry_send(
        enquirer=lead_professional,
        membership=_membership(lead_professional, Role.LEAD_PROFESSIONAL),
        offer=_parent_counselling_offer(),
        question="Several parents of the children I support have asked about counselling for themselves. Do "
        "you take referrals from the school nursing team, and is there a waiting list?",
    )


def _a_mother_asks_home_start(ctx: DemoContext, a: PersonSupported) -> None:
    """Closed by A's mother once she had her answer."""
    enquiry = _family_asks(
        a,
        _home_start_offer(),
        "Can I bring A and her baby brother? A is 3 and uses a walking frame since her hip operation.",
    )
    message_post(
        enquiry=enquiry,
        sender=_staff(ctx, "home-start-coventry"),
        body="Of course. The hall is step-free and we keep a quiet corner for little ones who tire quickly.",
    )
    enquiry_close(enquiry=enquiry, actor=enquiry.enquirer, reason="Thank you: we will come on Thursday.")


def _a_mother_asks_chloe(a: PersonSupported) -> None:
    """Answered: Chloe can join the rota; the order follows."""
    enquiry = _family_asks(
        a,
        _chloe_offer(),
        "Could you do seven hours on A's helpers' rota in November? We employ our helpers through a payroll service.",
    )
    message_post(
        enquiry=enquiry,
        sender=_chloe_offer().personal_assistant.user,
        body="Yes, I can do Tuesday, Thursday and Saturday mornings that fortnight. Being employed by you is fine.",
    )


# --- Tom's orders ---------------------------------------------------------------------------------


def _tom_counselling(ctx: DemoContext, tom: PersonSupported) -> None:
    """Accepted and delivered: ten sessions from his plan line, ordered by his lead professional. Of the
    charity's invoices, one is approved (settled in the ledger), one approved and then reduced by a credit
    note, one queried by his mother and one waiting for approval since it was issued a fortnight ago."""
    nurse = tom.lead_professional
    charity = _staff(ctx, COUNSELLING_CHARITY)
    order = _order_from_line(
        actor=nurse,
        person=tom,
        offer=_counselling_offer(),
        line=_line(tom, "Counselling"),
        description=TOM_COUNSELLING,
        terms=Terms("10", TOM_SESSIONS[0], datetime.date(YEAR, 12, 18), "Mondays, 4pm to 5pm"),
    )
    order_accept(order=order, actor=charity)
    _deliver(order, charity, TOM_SESSIONS, "Session", numbered=True)
    session = "Counselling session"
    invoice_approve(invoice=_invoice(order, charity, "ODC-2026-0412", TOM_SESSIONS[:4], session), actor=nurse)
    credited = _invoice(order, charity, "ODC-2026-0431", TOM_SESSIONS[4:7], session)
    invoice_approve(invoice=credited, actor=nurse)
    credit_note_issue(
        invoice=credited,
        actor=charity,
        number="ODC-CN-0007",
        amount=Decimal("22.50"),
        reason="The session on 12 October ended after half an hour because Tom was unwell: half the fee back",
    )
    queried = _invoice(order, charity, "ODC-2026-0458", TOM_SESSIONS[7:9], session)
    invoice_query(
        invoice=queried,
        actor=_holder(tom),
        reason="Tom's session on 26 October was moved to the Tuesday because of half term: is that the one here?",
    )
    issued = timezone.localdate() - datetime.timedelta(days=WAITING_INVOICE_AGE_DAYS)
    waiting = _invoice(order, charity, "ODC-2026-0467", TOM_SESSIONS[9:], session, issued_on=issued)
    # The service stamps submission "now"; the charity sent it the day it was issued, a fortnight ago.
    sent = timezone.now() - datetime.timedelta(days=WAITING_INVOICE_AGE_DAYS)
    Invoice.objects.filter(pk=waiting.pk).update(submitted_at=sent, status_changed_at=sent)


def _tom_tuition(ctx: DemoContext, tom: PersonSupported) -> None:
    """Completed: maths tuition from the directory tutor at the £20.00 an hour the plan agreed, two evenings
    a week from April until the review stopped it. The tutor accepted, recorded each session and sent two
    invoices, which his lead professional approved.

    The review (demo.builders.brokerage) stopped the tuition line before orders are built here, and a
    stopped line cannot be ordered from; its £600.00 still committed is what the sessions used. So the
    order takes that money over as ordering from the line does (released from the line, committed under
    the order), and is placed by his mother: his lead professional's delegated authority is already taken
    up by his plan, and new money beyond it needs the manager."""
    mother, nurse = _holder(tom), tom.lead_professional
    tutor = _staff(ctx, "godiva-tuition")
    offer = _offer("One-to-one maths tuition for secondary school", organisation="godiva-tuition")
    line = _line(tom, "Tuition")
    allocation = _budget_money(line)
    line_reference = f"plan-line-{line.public_id}"
    held = ledger.committed_under(allocation=allocation, reference=line_reference)
    if held > 0:
        ledger.release(
            allocation=allocation,
            amount=held,
            key=f"{line_reference}-to-demo-tuition-order",
            reference=line_reference,
            description=f"Passed to the order: {TOM_TUITION}",
            actor=nurse,
            outcome=line.outcome,
            category=line.category,
        )
    order = order_place(
        actor=mother,
        person=tom,
        offer=offer,
        allocation=allocation,
        description=TOM_TUITION,
        units=Decimal(len(TOM_TUITION_DAYS)),
        unit="hour",
        rate=TUITION_RATE,
        vat_status=_price(offer).vat_status,
        schedule="Tuesdays and Thursdays, 5pm to 6pm",
        starts_on=TOM_TUITION_DAYS[0],
        ends_on=TOM_TUITION_DAYS[-1],
    )
    order_accept(order=order, actor=tutor)
    _deliver(order, tutor, TOM_TUITION_DAYS, "Maths: reading word problems")
    half = len(TOM_TUITION_DAYS) // 2
    for number, days in (("GT-1041", TOM_TUITION_DAYS[:half]), ("GT-1078", TOM_TUITION_DAYS[half:])):
        invoice_approve(invoice=_invoice(order, tutor, number, days, "One hour of maths tuition"), actor=nurse)
    order_complete(order=order, actor=mother)


def _tom_residential(tom: PersonSupported) -> None:
    """Waiting for approval: his mother asks to pay the football residential (fees and hotel) on the
    supplier's invoice, a new supplier on no framework; his lead professional decides. Paid from his own
    money if enough is left there, else from the locality fund's allocation."""
    allocations = sorted(
        tom.budgets.get().allocations.select_related("stream"), key=lambda allocation: allocation.locality_fund_id or 0
    )
    allocation = next(
        (allocation for allocation in allocations if _available(allocation) >= RESIDENTIAL_COST), allocations[0]
    )
    one_off_purchase_request(
        actor=_holder(tom),
        person=tom,
        allocation=allocation,
        kind=OneOffPurchase.Kind.SUPPLIER_INVOICE,
        supplier_name="Peak Football Residentials",
        supplier_invoice_number="PFR-0042",
        description=RESIDENTIAL,
        amount=RESIDENTIAL_COST,
    )


def _tom_more_counselling(tom: PersonSupported) -> None:
    """Waiting for the charity: the six sessions added at the review, ordered by his mother."""
    _order_from_line(
        actor=_holder(tom),
        person=tom,
        offer=_counselling_offer(),
        line=_line(tom, "Counselling, 6 more sessions"),
        description=TOM_MORE_COUNSELLING,
        terms=Terms("6", datetime.date(YEAR + 1, 1, 4), datetime.date(YEAR + 1, 2, 12), "Mondays, 4pm to 5pm"),
    )


def _tom_taxi(ctx: DemoContext, tom: PersonSupported) -> None:
    """A change accepted: the taxi firm could start only a week later, his mother agreed; the September
    trips are invoiced with VAT and approved."""
    mother = _holder(tom)
    cars = _staff(ctx, "earlsdon-cars")
    order = _order_from_line(
        actor=mother,
        person=tom,
        offer=_taxi_offer(),
        line=_line(tom, "Taxi to counselling"),
        description=TOM_TAXI,
        terms=Terms("10", TOM_SESSIONS[0], datetime.date(YEAR, 12, 18), "Mondays: school to the centre and home"),
    )
    change = order_change_propose(
        order=order,
        actor=cars,
        units=order.units,
        rate=order.rate,
        starts_on=TOM_SESSIONS[1],
        ends_on=order.ends_on,
        reason="Our wheelchair-accessible car is on a school contract until 11 September: the first trip would "
        "be on 14 September",
    )
    order = order_change_accept(change=change, actor=mother)
    trips = TOM_SESSIONS[1:5]
    _deliver(order, cars, trips, "Return trip")
    invoice = _invoice(
        order, cars, "EC-26-1187", trips, "Return trip, school to counselling and home", vat_number=DEMO_VAT_NUMBER
    )
    invoice_approve(invoice=invoice, actor=mother)


def _tom_more_taxi(ctx: DemoContext, tom: PersonSupported) -> None:
    """A change proposed: the taxi firm's fares rise in January; his mother has to decide."""
    order = _order_from_line(
        actor=_holder(tom),
        person=tom,
        offer=_taxi_offer(),
        line=_line(tom, "Taxi, 6 more trips"),
        description=TOM_MORE_TAXI,
        terms=Terms("6", datetime.date(YEAR + 1, 1, 4), datetime.date(YEAR + 1, 2, 12), "Mondays"),
    )
    order_change_propose(
        order=order,
        actor=_staff(ctx, "earlsdon-cars"),
        units=order.units,
        rate=Decimal("13.00"),
        starts_on=order.starts_on,
        ends_on=order.ends_on,
        reason="Our fares rise to £13.00 a trip plus VAT from January",
    )


def _tom_holiday_tuition(ctx: DemoContext, tom: PersonSupported) -> None:
    """Declined: his mother asked a directory tutor for holiday maths sessions; they were fully booked."""
    offer = _offer("One-to-one maths tuition for secondary school", organisation="godiva-tuition")
    price = _price(offer)
    allocation = tom.budgets.get().allocations.get(locality_fund__isnull=True)
    order = order_place(
        actor=_holder(tom),
        person=tom,
        offer=offer,
        allocation=allocation,
        description=TOM_HOLIDAY_TUITION,
        units=Decimal(6),
        unit=price.unit,
        rate=price.amount,
        vat_status=price.vat_status,
        schedule="Three mornings a week, 10am to 11am",
        starts_on=datetime.date(YEAR, 12, 21),
        ends_on=datetime.date(YEAR + 1, 1, 1),
    )
    order_decline(
        order=order,
        actor=_staff(ctx, "godiva-tuition"),
        reason="Our tutors are fully booked over Christmas; we can offer evening sessions from January",
    )


# --- A's and Jonathan's personal assistants ----------------------------------------------------------


def _a_rota(a: PersonSupported) -> None:
    """Completed: Chloe, employed by A's mother, worked the rota's last seven hours. Her timesheet went to
    the family's payroll; no invoice was raised (DOMAIN.md, paying personal assistants)."""
    mother = _holder(a)
    offer = _chloe_offer()
    chloe = offer.personal_assistant.user
    order = _order_from_line(
        actor=mother,
        person=a,
        offer=offer,
        line=_line(a, "Church helpers on a rota"),
        description=A_ROTA,
        terms=Terms("7", datetime.date(YEAR, 11, 9), datetime.date(YEAR, 11, 21), "Tuesday, Thursday and Saturday"),
        pa_employment=PAEmployment.EMPLOYED_BY_FAMILY,
    )
    order_accept(order=order, actor=chloe)
    timesheet_submit(
        order=order,
        actor=chloe,
        period_start=datetime.date(YEAR, 11, 9),
        period_end=datetime.date(YEAR, 11, 15),
        entries=[
            TimesheetEntry(datetime.date(YEAR, 11, 10), Decimal("2.5"), "Morning routine and physio exercises"),
            TimesheetEntry(datetime.date(YEAR, 11, 12), Decimal("2.5"), "Morning routine and a walk to the park"),
            TimesheetEntry(datetime.date(YEAR, 11, 14), Decimal(2), "Looked after A while her mother rested"),
        ],
    )
    order_complete(order=order, actor=mother)


def _jonathan_full_time(jonathan: PersonSupported) -> None:
    """Accepted: a self-employed PA ordered by his broker; the PA's first week's timesheet became an
    invoice, which the broker approved."""
    broker = _acting_broker(jonathan)
    offer = _assistant_offer(works=EmploymentPreference.SELF_EMPLOYED)
    assistant = offer.personal_assistant.user
    order = _order_from_line(
        actor=broker,
        person=jonathan,
        offer=offer,
        line=_line(jonathan, "Full-time personal assistant"),
        description=JONATHAN_FULL_TIME,
        terms=Terms("1125", datetime.date(YEAR, 9, 7), datetime.date(YEAR + 1, 3, 31), "Weekdays, 8.30am to 4pm"),
        pa_employment=PAEmployment.SELF_EMPLOYED,
    )
    order_accept(order=order, actor=assistant)
    week = tuple(datetime.date(YEAR, 11, 9) + datetime.timedelta(days=day) for day in range(5))
    timesheet_submit(
        order=order,
        actor=assistant,
        period_start=week[0],
        period_end=week[-1],
        entries=[TimesheetEntry(day, Decimal("7.5"), "College and travel") for day in week],
        invoice_number="SH-2026-031",
    )
    invoice_approve(invoice=Invoice.objects.get(order=order), actor=broker)


def _jonathan_part_time(jonathan: PersonSupported) -> None:
    """Cancelled before the PA answered: his college days changed and the PA could not do the new ones."""
    broker = _acting_broker(jonathan)
    offer = _assistant_offer(works=EmploymentPreference.EMPLOYED_BY_FAMILY)
    order = _order_from_line(
        actor=broker,
        person=jonathan,
        offer=offer,
        line=_line(jonathan, "Part-time personal assistant 1"),
        description=JONATHAN_PART_TIME,
        terms=Terms("300", datetime.date(YEAR, 11, 16), datetime.date(YEAR + 1, 3, 31), "Evenings and Saturdays"),
        pa_employment=PAEmployment.EMPLOYED_BY_FAMILY,
    )
    order_cancel(
        order=order,
        actor=broker,
        reason="Jonathan's college days changed and the assistant cannot do the new ones; we are interviewing again",
    )
