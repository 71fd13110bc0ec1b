"""The package builder in the demo: Marcus (broker) has built a weekly package for Grace, Tom's younger sister,
with Claire's consent (two providers and Chloe, the demo personal assistant, each at their weekly times) and
sent it to Claire, so the demo family sees a plan to agree at /my/ and /budgets/plans/<plan>/agree/.

Everything goes through the package builder's services (audit rows and the notification to Claire as real
use leaves them). Grace is found by name and birthday, so a second run creates nothing.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import User
from brokerage.models import ConsentHolder, FundingStream, HeldAs, OutcomeDomain, PersonSupported, SupportPlan
from brokerage.services.packages import SlotTimes, package_line_add
from brokerage.services.people import Contact, person_create
from brokerage.services.plan_agreement import plan_send_to_family
from brokerage.services.plans import allocation_add, budget_create, plan_create, plan_outcome_add
from demo.builders.brokerage import YEAR
from demo.context import DemoContext
from demo.councils import COVENTRY
from providers.models import Offer

FAMILY_EMAIL = "family@coventry.demo"
BROKER_EMAIL = "broker@coventry.demo"
PA_EMAIL = "pa@coventry.demo"
FIRST_NAME = "Grace"
BORN = datetime.date(2018, 6, 10)
WEEKS = 20
MONDAY, WEDNESDAY, SATURDAY = 0, 2, 5


def build(ctx: DemoContext) -> None:
    created = int(_ellie(ctx))
    ctx.tally.record("Packages sent to the family to agree", created=created, existing=1 - created)


def _ellie(ctx: DemoContext) -> bool:
    claire, marcus = ctx.users.get(FAMILY_EMAIL), ctx.users.get(BROKER_EMAIL)
    council = ctx.organisations.get(COVENTRY.slug)
    if claire is None or marcus is None or council is None:
        return False
    if PersonSupported.objects.filter(
        council=council, first_name=FIRST_NAME, last_name=claire.last_name, date_of_birth=BORN
    ).exists():
        return False
    stream = FundingStream.objects.filter(council=council, code="social-care").first()
    if stream is None:
        return False
    # Claire asked a broker, not a lead professional, to help: Marcus records Grace and, with Claire's
    # consent, may act for her (person_create gives the recording worker a grant to act).
    ellie = person_create(
        actor=marcus,
        council=council,
        first_name=FIRST_NAME,
        last_name=claire.last_name,
        date_of_birth=BORN,
        holder=Contact(claire.email, claire.first_name, claire.last_name),
        relationship=ConsentHolder.Relationship.PARENT,
        needs_notes="Autism; finds change hard. Claire would like a break on Saturdays.",
        as_lead_professional=False,
    )
    plan = _plan(ellie, marcus, stream)
    if _package(plan, marcus, stream):
        plan_send_to_family(plan=plan, actor=marcus)
    return True


def _plan(ellie: PersonSupported, marcus: User, stream: FundingStream) -> SupportPlan:
    budget = budget_create(
        person=ellie,
        actor=marcus,
        financial_year=YEAR,
        starts_on=datetime.date(YEAR, 4, 1),
        ends_on=datetime.date(YEAR + 1, 3, 31),
    )
    allocation_add(budget=budget, actor=marcus, stream=stream, held_as=HeldAs.COUNCIL_MANAGED, amount=Decimal("4000"))
    plan = plan_create(budget=budget, actor=marcus, family_own_support="Grandma collects Grace from school on Fridays.")
    for domain, description, score in (
        (OutcomeDomain.ENJOY_AND_ACHIEVE, "Grace enjoys an activity with other children each week", 2),
        (OutcomeDomain.BE_HEALTHY, "Claire has a regular break from caring", 3),
    ):
        plan_outcome_add(plan=plan, actor=marcus, domain=domain, description=description, baseline_score=score)
    return plan


def _package(plan: SupportPlan, marcus: User, stream: FundingStream) -> int:
    """Two providers' offers and Chloe's, each at a weekly time; an offer the stream may not buy is passed over."""
    activity, break_from_caring = plan.outcomes.order_by("pk")
    council = plan.budget.council
    providers = Offer.objects.published().filter(
        organisation__council=council, personal_assistant__isnull=True, live_version__cost_options__unit="session"
    )
    chloe = Offer.objects.published().filter(personal_assistant__user__email=PA_EMAIL)
    wanted = (
        (providers, activity, [SlotTimes(SATURDAY, datetime.time(10), datetime.time(12))]),
        (providers, break_from_caring, [SlotTimes(WEDNESDAY, datetime.time(16), datetime.time(18))]),
        (chloe, break_from_caring, [SlotTimes(MONDAY, datetime.time(16), datetime.time(18))]),
    )
    used: set[int] = set()
    added = 0
    for candidates, outcome, slots in wanted:
        for offer in candidates.exclude(organisation__in=used).order_by("pk").distinct()[:20]:
            if _add(plan, marcus, stream, offer, outcome, slots):
                if offer.organisation_id:
                    used.add(offer.organisation_id)
                added += 1
                break
    return added


def _add(plan: SupportPlan, marcus: User, stream: FundingStream, offer: Offer, outcome, slots: list[SlotTimes]) -> bool:  # type: ignore[no-untyped-def]
    option = offer.live_version.cost_options.filter(unit__in=("session", "hour")).order_by("pk").first()
    if option is None:
        return False
    # One session a time, or the hours the times add up to, so the timetable matches what the plan pays for.
    quantity = Decimal(len(slots)) if option.unit == "session" else Decimal(2 * len(slots))
    try:
        with transaction.atomic():
            package_line_add(
                plan=plan,
                actor=marcus,
                offer=offer,
                cost_option=option,
                stream=stream,
                outcome=outcome,
                quantity=quantity,
                weeks=WEEKS,
                slots=slots,
            )
    except ValidationError:
        return False
    return True
