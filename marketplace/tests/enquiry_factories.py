"""People, offers and enquiries for the enquiry tests.

In Coventry: Fiona is a family member who holds consent for Tom (11, autism, CV3); Bea is a broker Fiona
gave access to Tom's records; Queenie is the council's quality-assurance officer. Priya works for the
provider of the Saturday club; Oscar works for another provider. Carl is a family member with nothing to
do with Tom.
"""

from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from accounts.models import Membership, Organisation, User
from accounts.roles import OrganisationKind, Role
from accounts.tests.factories import OrganisationFactory
from brokerage.models import AccessGrant, ConsentHolder, PersonSupported
from brokerage.tests.factories import PersonSupportedFactory
from marketplace.models import Enquiry, Message
from marketplace.services import enquiries as services
from marketplace.tests import shortlist_factories as make
from providers.models import Offer
from providers.tests.factories import term

council = make.council
member = make.member
offer = make.offer


def provider_staff(an_offer: Offer, **user_fields: str) -> User:
    return member(Role.PROVIDER_STAFF, an_offer.organisation, **user_fields)


def broker(of_council: Organisation, **user_fields: str) -> User:
    return make.broker(of_council, **user_fields)


def person(
    of_council: Organisation, *, holder: User, born: date = date(2014, 5, 14), **fields: object
) -> PersonSupported:
    """A person supported, with ``holder`` holding consent for them as a parent."""
    fields.setdefault("postcode", "CV3 5AB")
    someone = PersonSupportedFactory(council=of_council, date_of_birth=born, **fields)
    someone.needs.add(term("autism"))
    ConsentHolder.objects.create(person=someone, user=holder, relationship=ConsentHolder.Relationship.PARENT)
    return someone


def grant(someone: PersonSupported, grantee: User) -> AccessGrant:
    holder = someone.consent_holders.get(ended_at__isnull=True).user
    return AccessGrant.objects.create(
        person=someone, grantee=grantee, consent_from=holder, recorded_by=holder, scope=AccessGrant.Scope.ACT
    )


def revoke(access: AccessGrant) -> None:
    AccessGrant.objects.filter(pk=access.pk).update(revoked_at=timezone.now())


def membership_of(user: User, role: str | None = None) -> Membership:
    memberships = Membership.objects.filter(user=user)
    return memberships.get(role=role) if role else memberships.get()


def send(
    enquirer: User,
    an_offer: Offer,
    *,
    about: PersonSupported | None = None,
    share: tuple[str, ...] = (),
    question: str = "Do you have a place on Saturdays?",
    role: str | None = None,
) -> Enquiry:
    return services.enquiry_send(
        enquirer=enquirer,
        membership=membership_of(enquirer, role),
        offer=an_offer,
        question=question,
        person=about,
        share=share,
    )


def reply(enquiry: Enquiry, sender: User, body: str = "Yes, we have a place.") -> Message:
    return services.message_post(enquiry=enquiry, sender=sender, body=body)


@dataclass
class Cast:
    coventry: Organisation
    club: Offer
    priya: User
    oscar: User
    fiona: User
    tom: PersonSupported
    bea: User
    carl: User
    queenie: User


def cast() -> Cast:
    coventry = council("Coventry City Council")
    club = offer("Saturday club")
    fiona = make.family_member(coventry, first_name="Fiona", last_name="Walsh")
    tom = person(coventry, holder=fiona, first_name="Tom", last_name="Walsh")
    bea = broker(coventry, first_name="Bea", last_name="Bright")
    grant(tom, bea)
    other_provider = OrganisationFactory(kind=OrganisationKind.PROVIDER, council=coventry)
    oscar = member(Role.PROVIDER_STAFF, other_provider, first_name="Oscar")
    return Cast(
        coventry=coventry,
        club=club,
        priya=provider_staff(club, first_name="Priya", last_name="Patel"),
        oscar=oscar,
        fiona=fiona,
        tom=tom,
        bea=bea,
        carl=make.family_member(coventry, first_name="Carl"),
        queenie=member(Role.QA_OFFICER, coventry, first_name="Queenie"),
    )


def young_person(
    of_council: Organisation, *, parent: User, born: date, **user_fields: str
) -> tuple[User, PersonSupported]:
    """A young person with their own account, linked to their record; ``parent`` holds consent."""
    user = member(Role.YOUNG_PERSON, of_council, **user_fields)
    record = person(of_council, holder=parent, born=born, first_name=user.first_name, young_person_user=user)
    return user, record
