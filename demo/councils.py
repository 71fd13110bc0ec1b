"""The demo councils and the organisations around each: an NHS body, a broker and local providers.

Councils carry their real ONS codes. NHS bodies are the trusts that serve each area. Providers and
brokers are invented but named the way such organisations are in England. Telephone numbers come from
Ofcom's ranges reserved for drama, so none of them rings a real line.
"""

import random
from dataclasses import dataclass
from enum import StrEnum

from django.utils.text import slugify

from accounts.roles import OrganisationKind
from demo.names import SURNAMES


class ProviderCategory(StrEnum):
    """What a demo provider mainly offers; the offers builder will use it to choose their services."""

    FAMILY_SUPPORT = "family_support"
    SHORT_BREAKS = "short_breaks"
    TUITION = "tuition"
    TRANSPORT = "transport"
    PA_AGENCY = "pa_agency"
    COUNSELLING = "counselling"
    ACTIVITIES = "activities"
    THERAPY = "therapy"


@dataclass(frozen=True)
class DemoOrganisation:
    slug: str
    name: str
    kind: OrganisationKind
    category: ProviderCategory | None = None

    @property
    def email_domain(self) -> str:
        return f"{self.slug}.demo"


@dataclass(frozen=True)
class DemoCouncil:
    slug: str
    name: str
    ons_code: str
    phone_prefix: str  # an Ofcom drama range; three digits complete the number
    places: tuple[str, ...]  # towns and neighbourhoods, for generated provider names
    nhs_body: DemoOrganisation
    broker: DemoOrganisation
    providers: tuple[DemoOrganisation, ...]

    @property
    def organisation(self) -> DemoOrganisation:
        return DemoOrganisation(slug=self.slug, name=self.name, kind=OrganisationKind.COUNCIL)

    @property
    def email_domain(self) -> str:
        return f"{self.slug}.demo"

    @property
    def partners(self) -> tuple[DemoOrganisation, ...]:
        """Every named organisation registered with this council."""
        return (self.nhs_body, self.broker, *self.providers)

    def phone_number(self, index: int) -> str:
        return f"{self.phone_prefix}{index % 1000:03d}"


def _nhs(name: str) -> DemoOrganisation:
    return DemoOrganisation(slug=slugify(name), name=name, kind=OrganisationKind.NHS)


def _broker(name: str) -> DemoOrganisation:
    return DemoOrganisation(slug=slugify(name), name=name, kind=OrganisationKind.BROKER)


def _provider(name: str, category: ProviderCategory) -> DemoOrganisation:
    return DemoOrganisation(slug=slugify(name), name=name, kind=OrganisationKind.PROVIDER, category=category)


_NO_AREA = "01632 960"  # Ofcom drama numbers with no real area
_TYNESIDE = "0191 498 0"
_LONDON = "020 7946 0"

C = ProviderCategory

COVENTRY = DemoCouncil(
    slug="coventry",
    name="Coventry City Council",
    ons_code="E08000026",
    phone_prefix=_NO_AREA,
    places=("Earlsdon", "Foleshill", "Tile Hill", "Canley", "Wyken", "Radford", "Binley", "Willenhall", "Holbrooks"),
    nhs_body=_nhs("Coventry and Warwickshire Partnership NHS Trust"),
    broker=_broker("Coventry Independent Support Brokerage"),
    providers=(
        _provider("Home-Start Coventry", C.FAMILY_SUPPORT),
        _provider("Spires Short Breaks", C.SHORT_BREAKS),
        _provider("Godiva Tuition", C.TUITION),
        _provider("Earlsdon Cars", C.TRANSPORT),
        _provider("Midlands Personal Assistants", C.PA_AGENCY),
        _provider("Open Door Counselling Coventry", C.COUNSELLING),
    ),
)

GLOUCESTERSHIRE = DemoCouncil(
    slug="gloucestershire",
    name="Gloucestershire County Council",
    ons_code="E10000013",
    phone_prefix=_NO_AREA,
    places=("Cheltenham", "Stroud", "Tewkesbury", "Cirencester", "Gloucester", "Dursley", "Cinderford", "Lydney"),
    nhs_body=_nhs("Gloucestershire Health and Care NHS Foundation Trust"),
    broker=_broker("Gloucestershire Support Planning CIC"),
    providers=(
        _provider("Home-Start Cheltenham", C.FAMILY_SUPPORT),
        _provider("Cotswold Short Breaks", C.SHORT_BREAKS),
        _provider("Severn Vale Tutors", C.TUITION),
        _provider("Cheltenham Station Taxis", C.TRANSPORT),
        _provider("Gloucestershire Personal Assistants", C.PA_AGENCY),
        _provider("Forest of Dean Counselling Service", C.COUNSELLING),
    ),
)

NEWCASTLE = DemoCouncil(
    slug="newcastle",
    name="Newcastle City Council",
    ons_code="E08000021",
    phone_prefix=_TYNESIDE,
    places=("Byker", "Heaton", "Jesmond", "Walker", "Benwell", "Fenham", "Gosforth", "Kenton", "Elswick"),
    nhs_body=_nhs("The Newcastle upon Tyne Hospitals NHS Foundation Trust"),
    broker=_broker("Tyneside Independent Brokerage"),
    providers=(
        _provider("Home-Start Newcastle", C.FAMILY_SUPPORT),
        _provider("Tyne Short Breaks", C.SHORT_BREAKS),
        _provider("Jesmond Tuition", C.TUITION),
        _provider("Byker Private Hire", C.TRANSPORT),
        _provider("Tyneside Personal Assistants", C.PA_AGENCY),
        _provider("Ouseburn Counselling", C.COUNSELLING),
    ),
)

NORTHUMBERLAND = DemoCouncil(
    slug="northumberland",
    name="Northumberland County Council",
    ons_code="E06000057",
    phone_prefix=_TYNESIDE,
    places=("Hexham", "Morpeth", "Alnwick", "Blyth", "Cramlington", "Ashington", "Ponteland", "Prudhoe"),
    nhs_body=_nhs("Northumbria Healthcare NHS Foundation Trust"),
    broker=_broker("Northumberland Support Planners"),
    providers=(
        _provider("Home-Start Northumberland", C.FAMILY_SUPPORT),
        _provider("Kielder Adventure Short Breaks", C.SHORT_BREAKS),
        _provider("Tynedale Tutors", C.TUITION),
        _provider("Hexham Taxis", C.TRANSPORT),
        _provider("Northumberland Care Assistants", C.PA_AGENCY),
        _provider("Coquetdale Counselling", C.COUNSELLING),
    ),
)

REDBRIDGE = DemoCouncil(
    slug="redbridge",
    name="London Borough of Redbridge",
    ons_code="E09000026",
    phone_prefix=_LONDON,
    places=("Ilford", "Woodford", "Wanstead", "Barkingside", "Seven Kings", "Goodmayes", "Hainault", "Gants Hill"),
    nhs_body=_nhs("North East London NHS Foundation Trust"),
    broker=_broker("Redbridge Independent Support"),
    providers=(
        _provider("Home-Start Redbridge", C.FAMILY_SUPPORT),
        _provider("Ilford Short Breaks Club", C.SHORT_BREAKS),
        _provider("Wanstead Tuition Centre", C.TUITION),
        _provider("Gants Hill Cars", C.TRANSPORT),
        _provider("Redbridge Personal Assistants Network", C.PA_AGENCY),
        _provider("Woodford Counselling Centre", C.COUNSELLING),
    ),
)

DEVON = DemoCouncil(
    slug="devon",
    name="Devon County Council",
    ons_code="E10000008",
    phone_prefix=_NO_AREA,
    places=("Exeter", "Barnstaple", "Tiverton", "Newton Abbot", "Exmouth", "Okehampton", "Bideford", "Honiton"),
    nhs_body=_nhs("Royal Devon University Healthcare NHS Foundation Trust"),
    broker=_broker("Devon Support Brokerage CIC"),
    providers=(
        _provider("Home-Start Exeter and East Devon", C.FAMILY_SUPPORT),
        _provider("Dartmoor Short Breaks", C.SHORT_BREAKS),
        _provider("Exe Valley Tutors", C.TUITION),
        _provider("Barnstaple Taxis", C.TRANSPORT),
        _provider("Devon Personal Assistants", C.PA_AGENCY),
        _provider("Tamar Counselling", C.COUNSELLING),
    ),
)

DERBYSHIRE = DemoCouncil(
    slug="derbyshire",
    name="Derbyshire County Council",
    ons_code="E10000007",
    phone_prefix=_NO_AREA,
    places=("Chesterfield", "Matlock", "Buxton", "Belper", "Ilkeston", "Glossop", "Ripley", "Swadlincote"),
    nhs_body=_nhs("Derbyshire Community Health Services NHS Foundation Trust"),
    broker=_broker("Derbyshire Independent Support Planning"),
    providers=(
        _provider("Home-Start Derbyshire Dales", C.FAMILY_SUPPORT),
        _provider("Peak District Short Breaks", C.SHORT_BREAKS),
        _provider("Chesterfield Tuition", C.TUITION),
        _provider("Matlock Cabs", C.TRANSPORT),
        _provider("Derbyshire Personal Assistants", C.PA_AGENCY),
        _provider("High Peak Counselling", C.COUNSELLING),
    ),
)

DEMO_COUNCILS: tuple[DemoCouncil, ...] = (
    COVENTRY,
    GLOUCESTERSHIRE,
    NEWCASTLE,
    NORTHUMBERLAND,
    REDBRIDGE,
    DEVON,
    DERBYSHIRE,
)

# Extra providers for --scale: a place or a surname makes each name local and plausible.
_GENERATED_PROVIDER_PATTERNS: tuple[tuple[str, ProviderCategory], ...] = (
    ("{place} Short Breaks Club", C.SHORT_BREAKS),
    ("{place} Family Support", C.FAMILY_SUPPORT),
    ("{surname} Tuition", C.TUITION),
    ("{place} Private Hire", C.TRANSPORT),
    ("{place} Personal Assistants", C.PA_AGENCY),
    ("{place} Counselling Service", C.COUNSELLING),
    ("{place} Youth Football Club", C.ACTIVITIES),
    ("{surname} Speech and Language Therapy", C.THERAPY),
    ("{place} Breakfast Club", C.ACTIVITIES),
    ("{place} Music School", C.ACTIVITIES),
    ("{surname} Play Therapy", C.THERAPY),
    ("{place} Swimming Academy", C.ACTIVITIES),
)


def generated_provider(council: DemoCouncil, number: int) -> DemoOrganisation:
    """The ``number``-th extra provider registered with ``council``, the same at every scale.

    Names can repeat at large scales, as they do in life; the number in the slug keeps slugs unique.
    """
    pattern, category = _GENERATED_PROVIDER_PATTERNS[number % len(_GENERATED_PROVIDER_PATTERNS)]
    chooser = random.Random(f"{council.slug}/provider/{number}")
    name = pattern.format(place=chooser.choice(council.places), surname=chooser.choice(SURNAMES))
    return DemoOrganisation(
        slug=slugify(f"{name} {council.slug} {number}"), name=name, kind=OrganisationKind.PROVIDER, category=category
    )
