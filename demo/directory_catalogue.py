"""What the demo directory is made of: provider names, offers and their prices, venues and streets.

Prices are what such support cost in England in 2026: personal assistants at or above the National
Living Wage (£12.71 an hour from April 2026), tuition £20 to £45 an hour, counselling £40 to £60 a
session, short breaks £15 to £30 an hour, taxis £8 to £20 a trip, overnight short breaks £80 to £150 a
night. Support by registered charities, therapists and care agencies is exempt from VAT; taxi firms and
tutors that are VAT-registered charge it on top.
"""

from dataclasses import dataclass
from decimal import Decimal

D = Decimal
WEEKDAYS = ("MO", "TU", "WE", "TH", "FR")


@dataclass(frozen=True)
class OfferTemplate:
    name: str  # may use {place}
    description: str
    categories: tuple[str, ...]
    needs: tuple[str, ...]
    ages: tuple[int, int]
    attending_types: tuple[str, ...]
    unit: str
    price_range: tuple[Decimal, Decimal]
    vat_status: str = "exempt"
    price_note: str = ""
    schedule: tuple[tuple[str, tuple[int, int], tuple[int, int], str], ...] = ()
    accessibility: str = ""


def _weekdays(opens: tuple[int, int], closes: tuple[int, int], note: str = "") -> tuple:
    return tuple((day, opens, closes, note) for day in WEEKDAYS)


_AUTISM_LD = ("autism", "learning-disability")
_ALL_NEEDS = ("autism", "adhd", "learning-disability", "physical-disability", "sensory-impairment")

CATEGORY_OFFERS: dict[str, list[OfferTemplate]] = {
    "family_support": [
        OfferTemplate(
            "Home visiting for families with a disabled child",
            "A trained volunteer visits you at home once a week for two or three hours, to listen, help with "
            "appointments and forms, and give you a break.",
            ("family-support",),
            _ALL_NEEDS,
            (0, 11),
            ("in_home",),
            "hour",
            (D("15"), D("22")),
            price_note="Per visit hour; the first visit is free",
            schedule=_weekdays((9, 30), (15, 0)),
        ),
        OfferTemplate(
            "Family group conference",
            "An independent coordinator helps your wider family and friends meet and make a plan for your child, "
            "with your social worker or lead professional.",
            ("family-group-conferencing",),
            (),
            (0, 18),
            ("in_home", "venue"),
            "item",
            (D("650"), D("950")),
            price_note="The whole conference, including preparation",
        ),
        OfferTemplate(
            "Parent carer coffee mornings in {place}",
            "Meet other parents of disabled children, with a support worker on hand. Children under 5 welcome.",
            ("family-support",),
            _ALL_NEEDS,
            (0, 5),
            ("venue",),
            "session",
            (D("2"), D("4")),
            schedule=(("WE", (10, 0), (12, 0), "Term time"),),
        ),
    ],
    "short_breaks": [
        OfferTemplate(
            "Saturday club in {place}",
            "Games, cooking, crafts and trips for disabled children, with one member of staff for every two "
            "children and one-to-one support where needed.",
            ("short-breaks", "leisure-and-activities"),
            _ALL_NEEDS,
            (8, 17),
            ("venue",),
            "hour",
            (D("15"), D("30")),
            schedule=(("SA", (10, 0), (15, 0), ""),),
            accessibility="Changing Places toilet and a quiet room",
        ),
        OfferTemplate(
            "Overnight short breaks",
            "Overnight stays in a registered children's home with its own garden and sensory room.",
            ("residential-short-breaks",),
            ("learning-disability", "complex-health-needs", "autism"),
            (8, 18),
            ("venue",),
            "night",
            (D("80"), D("150")),
            schedule=(("FR", (17, 0), (10, 0), "Friday to Saturday"), ("SA", (17, 0), (10, 0), "")),
        ),
        OfferTemplate(
            "Respite at home",
            "A support worker comes to your home so that you can rest, spend time with your other children or go out.",
            ("respite-at-home",),
            _ALL_NEEDS,
            (0, 18),
            ("in_home",),
            "hour",
            (D("16"), D("30")),
            schedule=_weekdays((16, 0), (21, 0)),
        ),
        OfferTemplate(
            "Holiday activity scheme in {place}",
            "Days out, sports and arts in the school holidays, with personal care and medication given by "
            "trained staff.",
            ("childcare-and-play-schemes", "short-breaks"),
            _ALL_NEEDS,
            (5, 16),
            ("venue",),
            "day",
            (D("85"), D("140")),
            schedule=_weekdays((9, 0), (16, 0), "School holidays"),
        ),
    ],
    "tuition": [
        OfferTemplate(
            "One-to-one maths and English tuition",
            "A qualified teacher with special educational needs experience, at your home or online, following "
            "your child's EHC plan.",
            ("tuition",),
            ("autism", "adhd", "learning-disability", "speech-language-communication"),
            (5, 18),
            ("in_home", "online"),
            "hour",
            (D("20"), D("45")),
            vat_status="not_registered",
            schedule=_weekdays((15, 30), (19, 0)),
        ),
        OfferTemplate(
            "Music lessons",
            "Piano, guitar and drums lessons adapted for each learner, using visual notation where it helps.",
            ("tuition", "leisure-and-activities"),
            _ALL_NEEDS,
            (6, 25),
            ("venue", "in_home"),
            "hour",
            (D("22"), D("38")),
            vat_status="not_registered",
            schedule=(("TU", (16, 0), (19, 0), ""), ("SA", (9, 0), (13, 0), "")),
        ),
    ],
    "transport": [
        OfferTemplate(
            "Wheelchair-accessible taxi to school and activities",
            "Drivers with enhanced DBS checks and disability awareness training; the same driver each week "
            "where we can.",
            ("transport",),
            ("physical-disability", "autism", "learning-disability"),
            (0, 25),
            ("in_home",),
            "item",
            (D("8"), D("20")),
            vat_status="plus_vat",
            price_note="One trip within the city",
            schedule=_weekdays((7, 0), (19, 0)),
        ),
        OfferTemplate(
            "Travel training",
            "A trainer helps a young person learn to travel on their own by bus and train, one route at a time.",
            ("transport",),
            ("learning-disability", "autism"),
            (14, 25),
            ("in_home",),
            "hour",
            (D("18"), D("28")),
            vat_status="not_registered",
            schedule=_weekdays((8, 0), (17, 0)),
        ),
    ],
    "pa_agency": [
        OfferTemplate(
            "Personal assistants through our agency",
            "We recruit, train and supervise personal assistants, and cover holidays and sickness, so you do not "
            "become an employer.",
            ("pa-support",),
            _ALL_NEEDS + ("complex-health-needs",),
            (0, 25),
            ("in_home",),
            "hour",
            (D("19"), D("26")),
            schedule=_weekdays((7, 0), (22, 0)),
        ),
        OfferTemplate(
            "Sleep-in nights",
            "A support worker sleeps at your home and helps if needed in the night.",
            ("pa-support", "respite-at-home"),
            ("complex-health-needs", "learning-disability"),
            (0, 25),
            ("in_home",),
            "night",
            (D("80"), D("150")),
        ),
        OfferTemplate(
            "Support on holiday",
            "A personal assistant comes on holiday with you, in the UK or abroad.",
            ("holidays-with-support",),
            _ALL_NEEDS,
            (5, 25),
            ("in_home",),
            "day",
            (D("150"), D("220")),
        ),
    ],
    "counselling": [
        OfferTemplate(
            "Counselling for children and young people",
            "Weekly sessions of 50 minutes with a registered counsellor, for worries, low mood, anger or loss.",
            ("counselling",),
            ("mental-health", "autism", "adhd"),
            (11, 25),
            ("venue", "online"),
            "session",
            (D("40"), D("60")),
            schedule=_weekdays((9, 0), (19, 0)),
        ),
        OfferTemplate(
            "Play therapy",
            "A play therapist helps younger children work through difficult feelings through play.",
            ("counselling-and-therapies",),
            ("mental-health", "behaviour-that-challenges"),
            (4, 12),
            ("venue",),
            "session",
            (D("45"), D("60")),
            schedule=_weekdays((9, 0), (17, 0)),
        ),
        OfferTemplate(
            "Counselling for parent carers",
            "Time for yourself with a counsellor who understands caring for a disabled child.",
            ("counselling", "family-support"),
            (),
            (18, 120),
            ("venue", "online"),
            "session",
            (D("40"), D("55")),
            schedule=_weekdays((10, 0), (20, 0)),
        ),
    ],
    "activities": [
        OfferTemplate(
            "Inclusive swimming lessons in {place}",
            "Small groups in a warm pool, with a hoist and a teacher in the water.",
            ("leisure-and-activities",),
            _ALL_NEEDS,
            (4, 18),
            ("venue",),
            "session",
            (D("8"), D("14")),
            vat_status="exempt",
            schedule=(("SU", (9, 0), (11, 0), ""),),
            accessibility="Pool hoist and accessible changing rooms",
        ),
        OfferTemplate(
            "Disability football sessions",
            "Weekly football for all abilities, including frame football and powerchair football.",
            ("leisure-and-activities",),
            _ALL_NEEDS,
            (6, 25),
            ("venue",),
            "session",
            (D("4"), D("8")),
            schedule=(("TH", (17, 30), (19, 0), ""),),
        ),
        OfferTemplate(
            "Gym membership with a trainer",
            "A month of gym use with a trainer who plans sessions around your needs.",
            ("leisure-and-activities",),
            ("physical-disability", "learning-disability", "mental-health"),
            (14, 25),
            ("venue",),
            "week",
            (D("8"), D("15")),
            vat_status="included",
        ),
    ],
    "therapy": [
        OfferTemplate(
            "Speech and language therapy",
            "Assessment and therapy by an HCPC-registered therapist, at home, at school or online.",
            ("speech-and-language-therapy",),
            ("speech-language-communication", "autism", "learning-disability"),
            (0, 19),
            ("in_home", "online"),
            "session",
            (D("60"), D("95")),
            schedule=_weekdays((9, 0), (17, 0)),
        ),
        OfferTemplate(
            "Occupational therapy assessment",
            "A full assessment of sensory needs and daily living, with a written report and equipment advice.",
            ("occupational-therapy",),
            ("sensory-impairment", "autism", "physical-disability"),
            (0, 19),
            ("in_home",),
            "item",
            (D("350"), D("550")),
        ),
        OfferTemplate(
            "Physiotherapy at home",
            "Exercises, stretches and advice on posture and equipment from a children's physiotherapist.",
            ("physiotherapy",),
            ("physical-disability", "complex-health-needs"),
            (0, 19),
            ("in_home",),
            "session",
            (D("55"), D("85")),
            schedule=_weekdays((9, 0), (17, 0)),
        ),
    ],
    "equipment": [
        OfferTemplate(
            "Sensory equipment and adapted toys",
            "Weighted blankets, ear defenders, fidget kits and adapted switches, delivered to your door.",
            ("equipment-and-adaptations",),
            ("autism", "sensory-impairment", "adhd"),
            (0, 25),
            ("in_home",),
            "item",
            (D("25"), D("300")),
            vat_status="included",
        ),
    ],
    "childcare": [
        OfferTemplate(
            "After-school club in {place}",
            "Homework, games and tea after school, with staff trained in personal care and medication.",
            ("childcare-and-play-schemes",),
            _ALL_NEEDS,
            (4, 14),
            ("venue",),
            "session",
            (D("12"), D("20")),
            schedule=_weekdays((15, 15), (18, 0), "Term time"),
        ),
        OfferTemplate(
            "Holiday play scheme in {place}",
            "Play, trips and activities in the school holidays, with one-to-one support where needed.",
            ("childcare-and-play-schemes",),
            _ALL_NEEDS,
            (4, 14),
            ("venue",),
            "day",
            (D("30"), D("45")),
            schedule=_weekdays((8, 0), (18, 0), "School holidays"),
        ),
    ],
}

ASSISTANT_OFFERS: list[OfferTemplate] = [
    OfferTemplate(
        "Personal assistant support at home and out and about",
        "I help with personal care, meals and getting out: to clubs, the park, the shops or appointments.",
        ("pa-support",),
        _ALL_NEEDS,
        (0, 25),
        ("in_home",),
        "hour",
        (D("12.71"), D("17.50")),
        vat_status="not_registered",
        schedule=_weekdays((15, 30), (20, 0)),
    ),
    OfferTemplate(
        "Sleep-in nights",
        "I stay overnight at your home and help if your child needs me in the night.",
        ("pa-support", "respite-at-home"),
        ("complex-health-needs", "learning-disability", "autism"),
        (0, 25),
        ("in_home",),
        "night",
        (D("80"), D("120")),
        vat_status="not_registered",
    ),
    OfferTemplate(
        "Support on holiday",
        "I come on holiday with your family or with your young person, so that everyone gets a break.",
        ("holidays-with-support", "pa-support"),
        _ALL_NEEDS,
        (5, 25),
        ("in_home",),
        "day",
        (D("120"), D("180")),
        vat_status="not_registered",
    ),
]

# The offers in Tom's story (DOMAIN.md): his tutor, his counselling charity and the taxi firm the
# council approved, all in Coventry and all published.
SCENARIO_OFFERS: dict[str, list[OfferTemplate]] = {
    "godiva-tuition": [
        OfferTemplate(
            "One-to-one maths tuition for secondary school",
            "Weekly one-to-one maths sessions with a qualified teacher, at home after school or online, building "
            "confidence for pupils who find the classroom hard.",
            ("tuition",),
            ("autism", "adhd", "mental-health"),
            (11, 18),
            ("in_home", "online"),
            "hour",
            (D("32"), D("32")),
            vat_status="not_registered",
            schedule=(("MO", (16, 0), (19, 0), ""), ("WE", (16, 0), (19, 0), "")),
        )
    ],
    "open-door-counselling-coventry": [
        OfferTemplate(
            "Counselling for young people aged 11 to 18",
            "Six to twelve weekly sessions with a BACP-registered counsellor, at our centre in the city or online, "
            "for anxiety, low mood, school worries and friendship problems.",
            ("counselling",),
            ("mental-health", "autism"),
            (11, 18),
            ("venue", "online"),
            "session",
            (D("45"), D("45")),
            schedule=_weekdays((10, 0), (19, 0)),
        ),
        OfferTemplate(
            "Counselling for parent carers",
            "Time for yourself with a counsellor who understands caring for a disabled child.",
            ("counselling", "family-support"),
            (),
            (18, 120),
            ("venue", "online"),
            "session",
            (D("42"), D("42")),
            schedule=_weekdays((10, 0), (20, 0)),
        ),
    ],
    "earlsdon-cars": [
        OfferTemplate(
            "School and activity runs in wheelchair-accessible taxis",
            "Council-approved drivers with enhanced DBS checks take children to school, clubs and appointments "
            "across Coventry.",
            ("transport",),
            ("physical-disability", "autism", "learning-disability"),
            (0, 25),
            ("in_home",),
            "item",
            (D("12"), D("12")),
            vat_status="plus_vat",
            price_note="One trip within Coventry",
            schedule=_weekdays((7, 0), (19, 0)),
        )
    ],
}

# Names for extra providers, and the kind of offers each makes (a key of CATEGORY_OFFERS).
PROVIDER_NAME_PATTERNS: tuple[tuple[str, str], ...] = (
    ("{town} Short Breaks Trust", "short_breaks"),
    ("{surname} Tutoring", "tuition"),
    ("{place} Taxis", "transport"),
    ("{town} Young People's Counselling", "counselling"),
    ("{place} Swimming Club", "activities"),
    ("{place} Care Agency", "pa_agency"),
    ("{surname} Speech and Language Therapy", "therapy"),
    ("{place} After School Club", "childcare"),
    ("{place} Family Support", "family_support"),
    ("{place} Saturday Club", "short_breaks"),
    ("{surname} Music Tuition", "tuition"),
    ("{town} Accessible Transport", "transport"),
    ("{place} Counselling Partnership", "counselling"),
    ("{town} Disability Football Club", "activities"),
    ("{town} Home Care", "pa_agency"),
    ("{surname} Occupational Therapy", "therapy"),
    ("{place} Holiday Play Scheme", "childcare"),
    ("{town} Mobility and Sensory", "equipment"),
    ("{place} Youth Adventure Club", "short_breaks"),
    ("{place} Learning Centre", "tuition"),
    ("{surname} Cars", "transport"),
    ("{town} Play Therapy", "counselling"),
    ("{place} Riding for the Disabled", "activities"),
    ("{town} Children's Physiotherapy", "therapy"),
)

VENUE_PATTERNS: tuple[str, ...] = (
    "{place} Community Centre",
    "{place} Leisure Centre",
    "St Mary's Church Hall, {place}",
    "{place} Library",
    "{place} Youth Centre",
    "{place} Family Hub",
)

STREETS: tuple[str, ...] = (
    "High Street", "Station Road", "Church Lane", "Victoria Road", "Park Avenue", "Mill Lane",
    "London Road", "Queen Street", "The Green", "Albert Road", "School Lane", "Market Place",
)  # fmt: skip

EXPERIENCE: tuple[str, ...] = (
    "Five years as a teaching assistant in a special school, and two years as a PA.",
    "I worked in a residential short breaks home for six years before becoming a PA.",
    "I have a brother with autism and have supported families as a PA for three years.",
    "Former children's nurse; trained in PEG feeding, suction and rescue medication.",
    "Three years supporting young adults with learning disabilities to live independently.",
)

_DESCRIPTIONS = {
    "family_support": "{name} supports families with young disabled children across {place} and beyond, "
    "through home visits by trained volunteers and groups for parents.",
    "short_breaks": "{name} runs short breaks for disabled children and young people: clubs, days out and "
    "overnight stays, so that children have fun and families get a rest.",
    "tuition": "{name} offers one-to-one tuition from qualified teachers who understand special educational needs.",
    "transport": "{name} provides accessible transport with trained, DBS-checked drivers, based in {place}.",
    "pa_agency": "{name} recruits, trains and supervises personal assistants and care workers for disabled "
    "children and young people.",
    "counselling": "{name} is a counselling service for children, young people and parent carers, with "
    "registered counsellors and play therapists.",
    "activities": "{name} runs inclusive sport and leisure sessions in {place} for disabled children and young people.",
    "therapy": "{name} is an independent therapy practice for children, with HCPC-registered therapists.",
    "equipment": "{name} supplies sensory equipment, adapted toys and small aids for daily living.",
    "childcare": "{name} offers inclusive childcare in {place}, with staff trained to support disabled children.",
}


def provider_description(kind: str, name: str, place: str) -> str:
    return _DESCRIPTIONS[kind].format(name=name, place=place)
