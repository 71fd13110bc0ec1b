"""People and offers for the shortlist tests.

Alice is a family member in Coventry; Bob is a broker whose organisation registered with Coventry; Lena is
a lead professional at an NHS body in Coventry; Charlie is a family member with nothing shared with him.
"""

from accounts.models import Membership, Organisation, User
from accounts.roles import OrganisationKind, Role
from accounts.tests.factories import CouncilFactory, MembershipFactory, OrganisationFactory, UserFactory
from providers.models import Offer, OfferStatus, ProfileStatus
from providers.services.offers import offer_set_status
from providers.tests.factories import ProviderProfileFactory, published_offer


def council(name: str = "Coventry City Council") -> Organisation:
    return CouncilFactory(name=name)


def member(role: str, organisation: Organisation, **user_fields: str) -> User:
    user = UserFactory(**user_fields)
    MembershipFactory(user=user, organisation=organisation, role=role)
    return user


def family_member(of_council: Organisation, **user_fields: str) -> User:
    return member(Role.FAMILY_MEMBER, of_council, **user_fields)


def broker(of_council: Organisation, **user_fields: str) -> User:
    organisation = OrganisationFactory(kind=OrganisationKind.BROKER, council=of_council)
    return member(Role.BROKER, organisation, **user_fields)


def nhs_lead_professional(of_council: Organisation, **user_fields: str) -> User:
    organisation = OrganisationFactory(kind=OrganisationKind.NHS, council=of_council)
    return member(Role.LEAD_PROFESSIONAL, organisation, **user_fields)


def membership_of(user: User) -> Membership:
    return Membership.objects.get(user=user)


def offer(name: str = "Saturday club", **content: object) -> Offer:
    """A published offer of a published provider: one anyone can see and shortlist."""
    profile = ProviderProfileFactory(status=ProfileStatus.PUBLISHED, trading_name=f"{name} Ltd")
    return published_offer(organisation=profile.organisation, name=name, **content)


def withdrawn(an_offer: Offer) -> Offer:
    return offer_set_status(offer=an_offer, new_status=OfferStatus.WITHDRAWN, actor=None, reason="Closed")
