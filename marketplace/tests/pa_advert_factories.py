"""Test data for PA recruitment: a family with a child, a broker they gave access to, PAs, and adverts."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from accounts.models import Organisation, User
from accounts.roles import OrganisationKind, Role
from accounts.tests.factories import CouncilFactory, OrganisationFactory, user_with_role
from brokerage.models import ConsentHolder, PersonSupported
from brokerage.services.consent import access_grant
from brokerage.tests.factories import PersonSupportedFactory
from marketplace.models import PAAdvert
from marketplace.services import pa_adverts as services
from providers.models import Offer, PersonalAssistantProfile
from providers.models.profiles import ProfileStatus
from providers.tests.factories import PersonalAssistantProfileFactory
from search.tests.factories import pa_listing


@dataclass
class Family:
    council: Organisation
    person: PersonSupported
    parent: User
    broker: User


def family(council: Organisation | None = None, postcode: str = "CV3 5AB") -> Family:
    council = council or CouncilFactory(ons_code="E08000026")
    parent = user_with_role(Role.FAMILY_MEMBER, council, first_name="Claire", last_name="Walsh")
    person = PersonSupportedFactory(council=council, postcode=postcode)
    ConsentHolder.objects.create(
        person=person, user=parent, relationship=ConsentHolder.Relationship.PARENT, started_at=timezone.now()
    )
    brokers = OrganisationFactory(kind=OrganisationKind.BROKER, council=council)
    broker = user_with_role(Role.BROKER, brokers, first_name="Marcus", last_name="Broker")
    access_grant(person=person, grantee=broker, consent_from=parent, recorded_by=parent, scope="read")
    return Family(council=council, person=person, parent=parent, broker=broker)


def pa(
    *, areas: list[str] | None = None, council: Organisation | None = None, name: str = "Chloe"
) -> PersonalAssistantProfile:
    council = council or CouncilFactory()
    user = user_with_role(Role.PERSONAL_ASSISTANT, council, first_name=name, last_name="Pa")
    profile = PersonalAssistantProfileFactory(user=user, council=council, areas=areas or ["CV1", "CV2", "CV3"])
    profile.status = ProfileStatus.PUBLISHED
    profile.save(update_fields=["status"])
    return profile


def pa_offer(profile: PersonalAssistantProfile) -> Offer:
    return pa_listing(pa=profile, name=f"{profile.display_name} – PA support")


def advert_values(**overrides: object) -> dict:
    start = timezone.localdate() + timedelta(days=30)
    values = {
        "title": "PA for a 12-year-old boy after school",
        "hours_per_week": Decimal("6"),
        "days_and_times": "Tuesday and Thursday, 4pm to 7pm",
        "postcode_district": "CV3",
        "tasks": "Take Tom to football and help with homework",
        "skills_wanted": "Experience with autism; a driving licence",
        "hourly_pay": Decimal("13.50"),
        "start_date": start,
        "closing_date": timezone.localdate() + timedelta(days=21),
        "about_family": "",
    }
    values.update(overrides)
    return values


def advert(case: Family, **overrides: object) -> PAAdvert:
    return services.pa_advert_create(person=case.person, actor=case.parent, **advert_values(**overrides))


def open_advert(case: Family, *, to: list[PersonalAssistantProfile], **overrides: object) -> PAAdvert:
    made = advert(case, **overrides)
    services.pa_advert_send(advert=made, actor=case.parent, pas=to, publish_to_area=False)
    made.refresh_from_db()
    return made


def some_day() -> date:
    return timezone.localdate() + timedelta(days=10)
