"""Consent decides what a broker reaches, on every page of the whole journey (issue #13's acceptance):
a limited grant, a revoked one, an expired one, and another broker with no grant at all.

Claire holds consent for Tom, whose plan is live and has a line for a Saturday club; Marcus is a broker
registered with Tom's council; Bob is another broker of the same council whom Claire never chose. The
pages are the person's record, the lead professional's one page, the plan, the package builder and
ordering from a line of the plan; and the caseload, which must not list Tom once access ends.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.roles import OrganisationKind, Role
from accounts.tests.factories import CouncilFactory, OrganisationFactory, user_with_role
from brokerage import ledger
from brokerage.models import AccessGrant, ConsentHolder, PersonSupported, PlanLine, PlanStatus, SupportPlan
from brokerage.selectors.config import financial_year_current
from brokerage.services.consent import access_grant, access_revoke
from brokerage.services.people import Contact, person_create
from brokerage.services.plans import allocation_add, budget_create, plan_create, plan_line_add, plan_outcome_add
from brokerage.tests.factories import FundingStreamFactory
from providers.models import ProfileStatus
from providers.tests.factories import ProviderProfileFactory, published_offer, term

pytestmark = pytest.mark.django_db


@dataclass
class Case:
    person: PersonSupported
    plan: SupportPlan
    line: PlanLine
    claire: User
    marcus: User
    bob: User

    def pages(self) -> list[str]:
        return [
            reverse("brokerage:person", args=[self.person.public_id]),
            f"/children/{self.person.public_id}/",
            reverse("brokerage:plan", args=[self.plan.public_id]),
            f"/budgets/plans/{self.plan.public_id}/package/",
            self.order_url,
        ]

    @property
    def order_url(self) -> str:
        return f"/orders/plan-lines/{self.line.public_id}/order/"

    def grant(self, scope: str, **terms) -> AccessGrant:  # type: ignore[no-untyped-def]
        return access_grant(
            person=self.person, grantee=self.marcus, consent_from=self.claire, recorded_by=self.claire, scope=scope,
            **terms,
        )  # fmt: skip


@pytest.fixture
def case() -> Case:
    council = CouncilFactory(name="Coventry City Council")
    year = financial_year_current()
    stream = FundingStreamFactory(council=council, financial_year=year, name="Short breaks")
    ledger.stream_fund(stream=stream, amount=Decimal("10000.00"), key="fund")
    lead = user_with_role(Role.LEAD_PROFESSIONAL, council, first_name="Gemma")
    claire = user_with_role(Role.FAMILY_MEMBER, council, first_name="Claire", last_name="Walsh")
    brokers = OrganisationFactory(kind=OrganisationKind.BROKER, council=council)
    person = person_create(
        actor=lead,
        council=council,
        first_name="Tom",
        last_name="Walsh",
        date_of_birth=datetime.date(2014, 5, 14),
        holder=Contact(claire.email, "Claire", "Walsh"),
        relationship=ConsentHolder.Relationship.PARENT,
    )
    budget = budget_create(
        person=person,
        actor=lead,
        financial_year=year,
        starts_on=datetime.date(year, 4, 1),
        ends_on=datetime.date(year + 1, 3, 31),
    )
    allocation_add(budget=budget, actor=lead, stream=stream, held_as="council_managed", amount=Decimal("3000.00"))
    plan = plan_create(budget=budget, actor=lead)
    outcome = plan_outcome_add(
        plan=plan, actor=lead, domain="social_participation", description="Tom sees friends", baseline_score=3
    )
    club = ProviderProfileFactory(status=ProfileStatus.PUBLISHED)
    offer = published_offer(
        organisation=club.organisation,
        name="Saturday club",
        cost_options=[{"amount": Decimal("20.00"), "unit": "session"}],
    )
    line, _check = plan_line_add(
        plan=plan,
        actor=lead,
        outcome=outcome,
        offer=offer,
        category=term("short-breaks"),
        description="Saturday club",
        stream=stream,
        quantity=Decimal("1"),
        unit="session",
        unit_cost=Decimal("20.00"),
        frequency="weekly",
        periods=30,
    )
    # How the plan came to be approved is casework's own test; here it is simply live.
    SupportPlan.objects.filter(pk=plan.pk).update(status=PlanStatus.ACTIVE)
    return Case(
        person=person,
        plan=plan,
        line=line,
        claire=claire,
        marcus=user_with_role(Role.BROKER, brokers, first_name="Marcus", last_name="Reid"),
        bob=user_with_role(Role.BROKER, brokers, first_name="Bob", last_name="Other"),
    )


def _caseload(client, user: User) -> str:  # type: ignore[no-untyped-def]
    client.force_login(user)
    response = client.get(reverse("brokerage:caseload"))
    assert response.status_code == 200
    return response.content.decode()


def test_a_read_only_grant_sees_the_record_and_plan_but_cannot_order(client, access, case):
    case.grant("read")

    for url in case.pages()[:-1]:
        access.ok(case.marcus, url)
    access.not_found(case.marcus, case.order_url)
    access.not_found(case.marcus, case.order_url, method="post")
    client.force_login(case.marcus)
    assert (
        "Order this support" not in client.get(reverse("brokerage:plan", args=[case.plan.public_id])).content.decode()
    )
    assert "Buy Saturday club" not in client.get(f"/children/{case.person.public_id}/").content.decode()


def test_an_act_grant_orders_only_up_to_the_spending_limit_the_family_gave(client, access, case):
    case.grant("act", spending_limit=Decimal("100.00"))
    access.ok(case.marcus, case.order_url)
    client.force_login(case.marcus)
    form = client.get(case.order_url).context["form"]
    start, end = datetime.date.today(), datetime.date.today() + datetime.timedelta(days=60)

    response = client.post(
        case.order_url,
        {
            "description": "Saturday club",
            "units": "6",  # £120.00: above the £100.00 Claire allowed
            "unit": "session",
            "rate": "20.00",
            "vat_status": "not_registered",
            "starts_on": start.strftime("%d/%m/%Y"),
            "ends_on": end.strftime("%d/%m/%Y"),
            "funding": form.fields["funding"].choices[0][0],
        },
    )

    assert response.status_code == 200, "the form comes back instead of the order page"
    assert "may order up to £100.00 for Tom" in response.content.decode()


def test_an_expired_grant_answers_404_on_every_page_and_leaves_the_caseload(client, access, case):
    grant = case.grant("act", spending_limit=Decimal("500.00"))
    AccessGrant.objects.filter(pk=grant.pk).update(until=timezone.localdate() - datetime.timedelta(days=1))

    for url in case.pages():
        access.not_found(case.marcus, url)
    assert "Tom Walsh" not in _caseload(client, case.marcus)


def test_a_revoked_grant_answers_404_on_every_page_at_once(client, access, case):
    grant = case.grant("act", spending_limit=Decimal("500.00"))
    for url in case.pages():
        access.ok(case.marcus, url)
    assert "Tom Walsh" in _caseload(client, case.marcus)

    access_revoke(grant=grant, actor=case.claire, reason="We have the support we need")

    for url in case.pages():
        access.not_found(case.marcus, url)
    access.not_found(case.marcus, case.order_url, method="post")
    assert "Tom Walsh" not in _caseload(client, case.marcus)


def test_another_broker_of_the_same_council_gets_404_on_every_page(client, access, case):
    case.grant("act", spending_limit=Decimal("500.00"))

    for url in case.pages():
        access.not_found(case.bob, url)
    access.not_found(case.bob, case.order_url, method="post")
    assert "Tom Walsh" not in _caseload(client, case.bob)
