from decimal import Decimal

import factory

from accounts.roles import OrganisationKind
from accounts.tests.factories import CouncilFactory, OrganisationFactory, UserFactory
from providers.models import PersonalAssistantProfile, Postcode, ProviderProfile, TaxonomyTerm
from providers.services.offers import OfferContent, offer_approve, offer_create, offer_submit


class PostcodeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Postcode
        django_get_or_create = ("postcode",)

    postcode = "CV1 2GT"
    kind = factory.LazyAttribute(lambda o: Postcode.Kind.UNIT if " " in o.postcode else Postcode.Kind.DISTRICT)
    district = factory.LazyAttribute(lambda o: o.postcode.split(" ")[0])
    latitude = Decimal("52.408100")
    longitude = Decimal("-1.510500")
    council_code = "E08000026"
    council_name = "Coventry"


class ProviderProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProviderProfile

    organisation = factory.SubFactory(OrganisationFactory, kind=OrganisationKind.PROVIDER)
    legal_name = factory.LazyAttribute(lambda o: o.organisation.name)
    description = "We run clubs and short breaks for disabled children."


class PersonalAssistantProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PersonalAssistantProfile

    user = factory.SubFactory(UserFactory)
    council = factory.SubFactory(CouncilFactory)
    display_name = factory.LazyAttribute(lambda o: f"{o.user.first_name} {o.user.last_name[:1]}.")
    home_postcode = "CV3 5AB"
    home_district = "CV3"
    areas = factory.LazyFunction(lambda: ["CV1", "CV2", "CV3"])
    description = "I support children with autism at home and out and about."


def term(code: str) -> TaxonomyTerm:
    return TaxonomyTerm.objects.get(code=code)


def offer_content(**overrides) -> OfferContent:  # type: ignore[no-untyped-def]
    values = {
        "name": "Saturday club",
        "description": "A Saturday club for disabled children aged 8 to 16.",
        "categories": [term("short-breaks")],
        "needs": [term("autism")],
        "minimum_age": 8,
        "maximum_age": 16,
        "attending_types": ["in_home"],
        "cost_options": [{"amount": Decimal("18.50"), "unit": "hour"}],
        "schedules": [{"weekday": "SA", "opens_at": "10:00", "closes_at": "15:00"}],
        "service_areas": [{"postcode_district": "CV1", "name": "CV1"}],
    }
    values.update(overrides)
    return OfferContent(**values)


def published_offer(*, organisation=None, personal_assistant=None, actor=None, **content):  # type: ignore[no-untyped-def]
    """An offer taken through create → submit → approve, as the product does it."""
    if organisation is None and personal_assistant is None:
        organisation = ProviderProfileFactory().organisation
    actor = actor or UserFactory()
    offer = offer_create(
        actor=actor, content=offer_content(**content), organisation=organisation, personal_assistant=personal_assistant
    )
    offer_submit(offer=offer, actor=actor)
    return offer_approve(offer=offer, actor=UserFactory(), reason="Checked")
