"""People, budgets and offers for the order and invoice tests.

Tom (12) has a budget in Coventry; his mother Alice holds consent; Lena, a school nurse, is his lead
professional. Sunrise Tutors is a provider with one member of staff, Pat. Charlie is a family member
with no child on this budget; Bob is a broker Alice has not given access to.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from accounts.models import Organisation, User
from accounts.roles import OrganisationKind, Role
from accounts.tests.factories import CouncilFactory, MembershipFactory, OrganisationFactory, UserFactory
from brokerage import ledger
from brokerage.models import AccessGrant, Allocation, ConsentHolder, HeldAs, PersonSupported
from brokerage.tests.factories import AllocationFactory, BudgetFactory, PersonSupportedFactory
from marketplace.models import BlockContract
from providers.models import Offer, OfferStatus, OfferVersion, PersonalAssistantProfile, ProviderProfile
from providers.models.profiles import EmploymentPreference
from providers.tests.factories import PersonalAssistantProfileFactory

ORDER_START = datetime.date(2026, 4, 6)
ORDER_END = datetime.date(2026, 10, 30)
A_DAY_DELIVERED = datetime.date(2026, 5, 5)


def member(role: str, organisation: Organisation, **user_fields: str) -> User:
    user = UserFactory(**user_fields)
    MembershipFactory(user=user, organisation=organisation, role=role)
    return user


def quick_offer(*, organisation: Organisation | None = None, personal_assistant=None, name: str = "Tuition") -> Offer:  # type: ignore[no-untyped-def]
    """A published offer without the checking workflow: orders only need it to be published."""
    offer = Offer.objects.create(
        organisation=organisation, personal_assistant=personal_assistant, status=OfferStatus.PUBLISHED
    )
    version = OfferVersion.objects.create(offer=offer, number=1, state="approved", name=name, description=name)
    offer.live_version = version
    offer.save(update_fields=["live_version"])
    return offer


@dataclass
class Provider:
    organisation: Organisation
    staff: User
    offer: Offer


def provider(name: str = "Sunrise Tutors") -> Provider:
    organisation = OrganisationFactory(kind=OrganisationKind.PROVIDER, name=name)
    ProviderProfile.objects.create(organisation=organisation, legal_name=name)
    staff = member(Role.PROVIDER_STAFF, organisation)
    return Provider(organisation, staff, quick_offer(organisation=organisation, name=f"{name} tuition"))


@dataclass
class Family:
    council: Organisation
    person: PersonSupported
    parent: User
    lead_professional: User
    allocation: Allocation


def family(*, available: str = "3000.00", held_as: str = HeldAs.COUNCIL_MANAGED, council=None) -> Family:  # type: ignore[no-untyped-def]
    council = council or CouncilFactory(name="Coventry City Council")
    parent = member(Role.FAMILY_MEMBER, council, first_name="Alice")
    lead = member(Role.LEAD_PROFESSIONAL, council, first_name="Lena")
    person = PersonSupportedFactory(council=council, lead_professional=lead)
    ConsentHolder.objects.create(person=person, user=parent, relationship=ConsentHolder.Relationship.PARENT)
    # As when a practitioner records someone: the family's consent gives the lead professional access.
    AccessGrant.objects.create(
        person=person, grantee=lead, scope=AccessGrant.Scope.ACT, consent_from=parent, recorded_by=lead
    )
    budget = BudgetFactory(person=person)
    allocation = AllocationFactory(budget=budget, held_as=held_as)
    fund(allocation, Decimal(available))
    return Family(council, person, parent, lead, allocation)


def fund(allocation: Allocation, amount: Decimal) -> None:
    if amount <= 0:
        return
    ledger.stream_fund(stream=allocation.stream, amount=amount, key=f"fund-{allocation.pk}-{amount}")
    ledger.allocate(allocation=allocation, amount=amount, key=f"allocate-{allocation.pk}-{amount}")


def broker_for(tom: Family, *, limit: str | None = None, scope: str = AccessGrant.Scope.ACT) -> User:
    organisation = OrganisationFactory(kind=OrganisationKind.BROKER, council=tom.council)
    broker = member(Role.BROKER, organisation, first_name="Bob")
    if limit is not None or scope == AccessGrant.Scope.READ:
        AccessGrant.objects.create(
            person=tom.person,
            grantee=broker,
            scope=scope,
            spending_limit=Decimal(limit) if limit else None,
            consent_from=tom.parent,
            recorded_by=tom.parent,
        )
    return broker


def personal_assistant(
    council: Organisation, *, preference: str = EmploymentPreference.EITHER
) -> tuple[PersonalAssistantProfile, Offer]:
    profile = PersonalAssistantProfileFactory(council=council, employment_preference=preference)
    MembershipFactory(user=profile.user, organisation=council, role=Role.PERSONAL_ASSISTANT)
    return profile, quick_offer(personal_assistant=profile, name="Support at home")


def block_contract(tom: Family, seller: Provider, *, units: str = "20", rate: str = "20.00") -> BlockContract:
    return BlockContract.objects.create(
        council=tom.council,
        reference=f"BC-{seller.organisation.pk}",
        provider_organisation=seller.organisation,
        offer=seller.offer,
        units_purchased=Decimal(units),
        unit="hour",
        rate=Decimal(rate),
        starts_on=datetime.date(2026, 4, 1),
        ends_on=datetime.date(2027, 3, 31),
    )


def place(
    tom: Family, seller: Provider | None, *, actor: User | None = None, units: str = "10", rate: str = "20.00", **more
):  # type: ignore[no-untyped-def]
    """An order of ``units`` hours at ``rate`` from Tom's budget, placed by his mother unless said otherwise."""
    from marketplace.services.orders import order_place

    values = {
        "allocation": tom.allocation,
        "starts_on": ORDER_START,
        "ends_on": ORDER_END,
        "description": "Maths tuition",
        **more,
    }
    if values.get("block_contract") is not None:
        values.pop("allocation")
    offer = values.pop("offer", None) or seller.offer
    return order_place(
        actor=actor or tom.parent,
        person=tom.person,
        offer=offer,
        units=Decimal(units),
        unit="hour",
        rate=Decimal(rate),
        **values,
    )


def accepted(tom: Family, seller: Provider, **more):  # type: ignore[no-untyped-def]
    from marketplace.services.orders import order_accept

    return order_accept(order=place(tom, seller, **more), actor=seller.staff)


def balances(allocation: Allocation) -> dict[str, Decimal]:
    """The allocation's available, committed and payable balances."""
    return {
        kind: ledger.balance(ledger.allocation_account(allocation, kind))
        for kind in ("available", "committed", "provider_payable")
    }
