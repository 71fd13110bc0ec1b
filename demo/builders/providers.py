"""The directory: the demo gazetteer, provider and personal assistant profiles, and offers in every state.

Every council gets its named providers (made by the accounts builder) and a few dozen more local
organisations, plus personal assistants on its register. Profiles and offers go through the real
services: offers are created, sent for checking and approved (by the site staff sign-in, until quality
assurance has its own demo), then some are suspended, withdrawn or changed again, so that every state
an offer can be in is on show.

Safe to run again: a provider or personal assistant that already has a profile is left as it is, with
its offers. Names and prices are chosen from fixed lists by ``random.Random(key)``, so every machine
builds the same directory and a larger ``--scale`` adds providers after the existing ones.
"""

import csv
import random
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import time
from decimal import Decimal
from pathlib import Path

from django.db import transaction
from django.utils.text import slugify

from accounts.models import Membership, Organisation, User
from accounts.roles import OrganisationKind, Role
from demo.bulk import demo_uuid, ensure_rows, unique_field_lookup, validate_without_queries
from demo.context import DemoContext
from demo.councils import DEMO_COUNCILS, DemoCouncil
from demo.directory_catalogue import (
    ASSISTANT_OFFERS,
    CATEGORY_OFFERS,
    EXPERIENCE,
    PROVIDER_NAME_PATTERNS,
    SCENARIO_OFFERS,
    STREETS,
    VENUE_PATTERNS,
    OfferTemplate,
    provider_description,
)
from demo.logins import DEMO_LOGINS
from demo.names import SURNAMES, british_name
from providers import changes
from providers.models import Offer, OfferStatus, PersonalAssistantProfile, ProviderProfile, TaxonomyTerm
from providers.postcodes import Place, locate
from providers.services.gazetteer import postcodes_import
from providers.services.offers import (
    OfferContent,
    offer_approve,
    offer_create,
    offer_edit,
    offer_set_status,
    offer_submit,
)
from providers.services.profiles import profile_approve, profile_set_status, profile_submit

GAZETTEER = Path(__file__).resolve().parent.parent / "data" / "gazetteer.csv"

DIRECTORY_PROVIDERS_PER_COUNCIL = 22  # for each step of --scale, besides the named providers
DIRECTORY_ASSISTANTS_PER_COUNCIL = 15  # for each step of --scale, besides the accounts builder's
NATIONAL_LIVING_WAGE = Decimal("12.71")  # an hour, for workers aged 21 and over, from April 2026

# Each council's best-known name, for provider names such as "Coventry Short Breaks Trust".
COUNCIL_TOWNS = {
    "coventry": "Coventry",
    "gloucestershire": "Gloucestershire",
    "newcastle": "Newcastle",
    "northumberland": "Northumberland",
    "redbridge": "Redbridge",
    "devon": "Devon",
    "derbyshire": "Derbyshire",
}

_SITE_STAFF = next(login.email for login in DEMO_LOGINS if login.is_site_staff)
_PA_LOGIN = "pa@coventry.demo"


def build(ctx: DemoContext) -> None:
    districts = _gazetteer_load(ctx)
    directory = _Directory(ctx, districts)
    for council in DEMO_COUNCILS:
        _ensure_directory_providers(ctx, council)
        _ensure_directory_assistants(ctx, council)
    offers_before = Offer.objects.count()
    with _listings_changed_in_one_batch():
        directory.provider_profiles()
        directory.assistant_profiles()
    ctx.tally.record("Offers", created=directory.offers_created, existing=offers_before)


@contextmanager
def _listings_changed_in_one_batch() -> Iterator[None]:
    """Tell the listeners about every changed listing once, when demo_data commits.

    Each service call announces its own change, and search indexes each announcement on its own after
    the commit: over a thousand small indexing runs for one demo build. Here the announcements are
    gathered and passed on together, still only after the commit, so nothing is indexed that rolls back.
    """
    listeners = list(changes.listing_listeners)
    changed: set[int] = set()
    changes.listing_listeners[:] = [changed.update]
    try:
        yield
    finally:
        changes.listing_listeners[:] = listeners

    def announce() -> None:
        for listener in listeners:
            listener(sorted(changed))

    # Registered after every gathering callback, so it runs after they have all been called.
    transaction.on_commit(announce, robust=True)


# --- The gazetteer -----------------------------------------------------------------------------------------


def _gazetteer_load(ctx: DemoContext) -> dict[str, list[str]]:
    """Load the demo gazetteer through the import service; the districts of each council area, by ONS code."""
    with GAZETTEER.open(encoding="utf-8", newline="") as lines:
        result = postcodes_import(lines=lines)
    ctx.tally.record("Postcodes", created=result.created + result.districts_derived, existing=result.updated)
    districts: dict[str, list[str]] = {}
    with GAZETTEER.open(encoding="utf-8", newline="") as lines:
        for row in csv.DictReader(lines):
            if " " not in row["postcode"]:
                districts.setdefault(row["council_code"], []).append(row["postcode"])
    return districts


# --- More providers and personal assistants than the accounts builder makes ---------------------------------


@dataclass(frozen=True)
class DirectoryProvider:
    slug: str
    name: str
    kind: str  # a key of CATEGORY_OFFERS


def directory_providers(council: DemoCouncil, scale: int) -> list[DirectoryProvider]:
    """The council's extra providers; the n-th has the same name at every scale, and names never repeat."""
    taken = {provider.name for provider in council.providers}
    providers = []
    for number in range(1, DIRECTORY_PROVIDERS_PER_COUNCIL * scale + 1):
        pattern, kind = PROVIDER_NAME_PATTERNS[number % len(PROVIDER_NAME_PATTERNS)]
        for attempt in range(50):
            chooser = random.Random(f"{council.slug}/directory-provider/{number}/{attempt}")
            name = pattern.format(
                town=COUNCIL_TOWNS[council.slug],
                place=chooser.choice(council.places),
                surname=chooser.choice(SURNAMES),
            )
            if name not in taken:
                break
        else:
            name = f"{name} {number}"
        taken.add(name)
        providers.append(DirectoryProvider(slug=slugify(f"{name} {council.slug}"), name=name, kind=kind))
    return providers


def _ensure_directory_providers(ctx: DemoContext, council: DemoCouncil) -> None:
    council_row = ctx.organisations[council.slug]
    planned = directory_providers(council, ctx.scale)
    rows = [
        Organisation(
            public_id=demo_uuid("organisation", provider.slug),
            kind=OrganisationKind.PROVIDER,
            name=provider.name,
            slug=provider.slug,
            council=council_row,
            email=f"hello@{provider.slug}.demo",
            phone=council.phone_number(100 + number),
        )
        for number, provider in enumerate(planned)
    ]
    ctx.organisations.update(
        ensure_rows(
            ctx,
            label="Directory providers",
            model=Organisation,
            planned=rows,
            natural_key=lambda row: row.slug,
            find_existing=unique_field_lookup(Organisation, "slug"),
        )
    )
    for provider in planned:
        ctx.provider_categories[provider.slug] = provider.kind


def _ensure_directory_assistants(ctx: DemoContext, council: DemoCouncil) -> None:
    planned = []
    for number in range(1, DIRECTORY_ASSISTANTS_PER_COUNCIL * ctx.scale + 1):
        name = british_name(f"{council.slug}/directory-assistant/{number}")
        email = f"{name.email_local_part}.assistant{number}@{council.email_domain}"
        planned.append(
            User(
                public_id=demo_uuid("user", email),
                email=email,
                first_name=name.first_name,
                last_name=name.last_name,
                password=ctx.password_hash,
            )
        )
    users = ensure_rows(
        ctx,
        label="People",
        model=User,
        planned=planned,
        natural_key=lambda row: row.email,
        find_existing=unique_field_lookup(User, "email"),
    )
    ctx.users.update(users)
    council_row = ctx.organisations[council.slug]
    memberships = [
        Membership(
            public_id=demo_uuid("membership", email, council.slug, Role.PERSONAL_ASSISTANT),
            user=user,
            organisation=council_row,
            role=Role.PERSONAL_ASSISTANT,
        )
        for email, user in users.items()
    ]
    ensure_rows(
        ctx,
        label="Memberships",
        model=Membership,
        planned=memberships,
        natural_key=lambda membership: membership.public_id,
        find_existing=unique_field_lookup(Membership, "public_id"),
    )
    for email in users:
        if email not in ctx.members[(council.slug, Role.PERSONAL_ASSISTANT)]:
            ctx.members[(council.slug, Role.PERSONAL_ASSISTANT)].append(email)


# --- Profiles and offers -------------------------------------------------------------------------------------


class _Directory:
    """Creates the profiles and offers that are missing, through the providers' services."""

    def __init__(self, ctx: DemoContext, districts: dict[str, list[str]]) -> None:
        self.ctx = ctx
        self.districts = districts
        self.approver = ctx.users[_SITE_STAFF]
        self.terms = {term.code: term for term in TaxonomyTerm.objects.filter(council__isnull=True)}
        self.places: dict[str, Place] = {}
        self.offer_number = 0
        self.offers_created = 0

    # Providers

    def provider_profiles(self) -> None:
        organisations = [
            self.ctx.organisations[slug] for council in DEMO_COUNCILS for slug in self._provider_slugs(council)
        ]
        existing = set(
            ProviderProfile.objects.filter(organisation__in=organisations).values_list("organisation_id", flat=True)
        )
        missing = [organisation for organisation in organisations if organisation.pk not in existing]
        with self.ctx.progress(total=len(missing), desc="Provider profiles and offers") as bar:
            for organisation in missing:
                self._provider(organisation)
                bar.update(1)
        self.ctx.tally.record("Provider profiles", created=len(missing), existing=len(existing))

    def _provider_slugs(self, council: DemoCouncil) -> list[str]:
        named = [provider.slug for provider in council.providers]
        generated = [
            slug
            for slug, organisation in self.ctx.organisations.items()
            if organisation.council_id == self.ctx.organisations[council.slug].pk
            and organisation.kind == OrganisationKind.PROVIDER
            and slug not in named
            and slug in self.ctx.provider_categories
        ]
        return named + sorted(generated)

    def _provider(self, organisation: Organisation) -> None:
        council = next(c for c in DEMO_COUNCILS if self.ctx.organisations[c.slug].pk == organisation.council_id)
        kind = str(self.ctx.provider_categories[organisation.slug])
        chooser = random.Random(f"profile/{organisation.slug}")
        is_named = organisation.slug in {provider.slug for provider in council.providers}
        charity = any(word in organisation.name for word in ("Home-Start", "Trust", "Counselling", "Club"))
        profile = ProviderProfile(
            public_id=demo_uuid("provider-profile", organisation.slug),
            organisation=organisation,
            legal_name=organisation.name if charity else f"{organisation.name} Ltd",
            charity_number=str(chooser.randrange(1_000_000, 1_200_000)) if charity else "",
            company_number="" if charity else f"{chooser.randrange(5_000_000, 16_000_000):08d}",
            description=provider_description(kind, organisation.name, chooser.choice(council.places)),
            website=f"https://{organisation.slug}.demo",
            email=organisation.email,
            phone=organisation.phone,
            address=f"{chooser.randrange(1, 240)} {chooser.choice(STREETS)}, {chooser.choice(council.places)}",
            postcode=self._unit_postcode(council, chooser),
            languages=["en", *chooser.sample(["pa", "ur", "pl", "bn", "gu", "so", "ro"], k=chooser.choice([0, 0, 1]))],
            accessibility=chooser.choice(
                [
                    "Step-free access to our office, and a hearing loop at reception.",
                    "Our staff use Makaton, and we can meet you at home if our office is hard to reach.",
                    "Information in easy read and other languages on request.",
                ]
            ),
        )
        validate_without_queries(profile)
        profile.save()
        actor = self._provider_actor(council, organisation)
        self._profile_state(profile, actor, number=chooser.randrange(40), always_published=is_named)
        scenario = SCENARIO_OFFERS.get(organisation.slug)
        templates = scenario or chooser.sample(
            CATEGORY_OFFERS[kind], k=min(len(CATEGORY_OFFERS[kind]), chooser.choice([1, 2, 2]))
        )
        for template in templates:
            self._offer(template, council, actor, chooser, organisation=organisation, always_published=bool(scenario))

    def _provider_actor(self, council: DemoCouncil, organisation: Organisation) -> User:
        staff = self.ctx.people(organisation.slug, Role.PROVIDER_STAFF)
        # A provider without sign-ins was added to the directory by the council, so its administrator acts.
        return staff[0] if staff else self.ctx.people(council.slug, Role.COUNCIL_ADMIN)[0]

    # Personal assistants

    def assistant_profiles(self) -> None:
        users = [
            (council, user)
            for council in DEMO_COUNCILS
            for user in self.ctx.people(council.slug, Role.PERSONAL_ASSISTANT)
        ]
        existing = set(
            PersonalAssistantProfile.objects.filter(user__in=[user for _c, user in users]).values_list(
                "user_id", flat=True
            )
        )
        missing = [(council, user) for council, user in users if user.pk not in existing]
        with self.ctx.progress(total=len(missing), desc="Personal assistants and offers") as bar:
            for council, user in missing:
                self._assistant(council, user)
                bar.update(1)
        self.ctx.tally.record("Personal assistant profiles", created=len(missing), existing=len(existing))

    def _assistant(self, council: DemoCouncil, user: User) -> None:
        chooser = random.Random(f"assistant/{user.email}")
        is_demo_login = user.email == _PA_LOGIN
        home = self._unit_postcode(council, chooser)
        home_district = home.split(" ")[0]
        nearby = chooser.sample(self._council_districts(council), k=min(3, len(self._council_districts(council))))
        days = sorted(
            chooser.sample(["MO", "TU", "WE", "TH", "FR", "SA", "SU"], k=chooser.randrange(3, 7)),
            key="MOTUWETHFRSASU".index,
        )
        profile = PersonalAssistantProfile(
            public_id=demo_uuid("pa-profile", user.email),
            user=user,
            council=self.ctx.organisations[council.slug],
            display_name=f"{user.first_name} {user.last_name[:1]}.",
            home_postcode=home,
            home_district=home_district,
            areas=sorted({home_district, *nearby}),
            available_days=days,
            available_from=time(chooser.choice([7, 8, 9, 15])),
            available_until=time(chooser.choice([17, 18, 20, 22])),
            sleep_ins=chooser.random() < 0.4,
            waking_nights=chooser.random() < 0.2,
            experience=chooser.choice(EXPERIENCE),
            drives=chooser.random() < 0.7,
            employment_preference=chooser.choice(["self_employed", "employed_by_family", "either"]),
            description=(
                f"I am {user.first_name}, a personal assistant living in {home_district}. I support disabled "
                "children and young people at home and out and about, and I fit around school and family life."
            ),
            languages=["en", *chooser.sample(["pa", "ur", "pl", "bn", "ro"], k=chooser.choice([0, 0, 0, 1]))],
        )
        profile.own_vehicle = profile.drives and chooser.random() < 0.8
        validate_without_queries(profile)
        profile.save()
        skills = chooser.sample(
            ["moving-and-handling", "personal-care", "autism-experience", "peg-feeding", "epilepsy-rescue-medication",
             "medication", "makaton", "bsl", "behaviour-support", "first-aid"],
            k=chooser.randrange(2, 6),
        )  # fmt: skip
        profile.skills.set([self.terms[code] for code in skills])
        self._profile_state(profile, user, number=chooser.randrange(40), always_published=is_demo_login)
        templates = [ASSISTANT_OFFERS[0]]
        if profile.sleep_ins or is_demo_login:
            templates.append(ASSISTANT_OFFERS[1])
        if chooser.random() < 0.2:
            templates.append(ASSISTANT_OFFERS[2])
        for template in templates:
            self._offer(
                template,
                council,
                user,
                chooser,
                personal_assistant=profile,
                always_published=is_demo_login,
                areas=profile.areas,
            )

    # Shared steps

    def _profile_state(self, profile, actor: User, *, number: int, always_published: bool) -> None:  # type: ignore[no-untyped-def]
        """Most profiles are published; a few are drafts, waiting for checks or suspended."""
        if not always_published and number in {7, 27}:
            return  # a draft
        profile_submit(profile=profile, actor=actor)
        if not always_published and number == 13:
            return  # waiting for checks
        profile_approve(profile=profile, actor=self.approver, reason="Checked: identity, insurance and references")
        if not always_published and number == 19:
            profile_set_status(
                profile=profile,
                new_status="suspended",
                actor=self.approver,
                reason="Insurance certificate expired; suspended until a new one is sent",
            )

    def _offer(
        self,
        template: OfferTemplate,
        council: DemoCouncil,
        actor: User,
        chooser: random.Random,
        *,
        organisation: Organisation | None = None,
        personal_assistant: PersonalAssistantProfile | None = None,
        always_published: bool = False,
        areas: list[str] | None = None,
    ) -> None:
        content = self._content(template, council, chooser, areas=areas)
        offer = offer_create(
            actor=actor, content=content, organisation=organisation, personal_assistant=personal_assistant
        )
        self.offers_created += 1
        self.offer_number += 1
        state = "published" if always_published else _OFFER_STATES[self.offer_number % len(_OFFER_STATES)]
        if state == "draft":
            return
        offer = offer_submit(offer=offer, actor=actor)
        if state == "pending":
            return
        offer = offer_approve(offer=offer, actor=self.approver, reason="Checked against the provider's documents")
        if state in {OfferStatus.SUSPENDED, OfferStatus.WITHDRAWN}:
            reason = _STATE_REASONS[state]
            offer_set_status(
                offer=offer, new_status=state, actor=self.approver if state == "suspended" else actor, reason=reason
            )
        elif state == "changed":
            # A price rise waiting for checks: the public keeps seeing the approved price meanwhile.
            offer_edit(offer=offer, actor=actor, content=_with_price_rise(content))
            offer_submit(offer=offer, actor=actor)

    def _content(
        self, template: OfferTemplate, council: DemoCouncil, chooser: random.Random, *, areas: list[str] | None
    ) -> OfferContent:
        place = chooser.choice(council.places)
        amount = _price(template, chooser)
        locations = []
        if "venue" in template.attending_types:
            district = chooser.choice(self._council_districts(council))
            postcode = self._venue_postcode(district, chooser)
            located = self._locate(postcode)
            locations.append(
                {
                    "name": chooser.choice(VENUE_PATTERNS).format(place=place),
                    "address": f"{chooser.randrange(1, 120)} {chooser.choice(STREETS)}, {place}",
                    "postcode": located.postcode,
                    "latitude": located.latitude,
                    "longitude": located.longitude,
                    "council_code": located.council_code,
                    "accessibility": "Step-free entrance, accessible toilet with a changing bench",
                }
            )
        service_areas = []
        if "in_home" in template.attending_types:
            districts = areas or chooser.sample(
                self._council_districts(council), k=min(3, len(self._council_districts(council)))
            )
            service_areas = [{"postcode_district": district, "name": district} for district in sorted(districts)]
        return OfferContent(
            name=template.name.format(place=place),
            description=template.description.format(place=place),
            categories=[self.terms[code] for code in template.categories],
            needs=[self.terms[code] for code in template.needs],
            minimum_age=template.ages[0],
            maximum_age=template.ages[1],
            attending_types=list(template.attending_types),
            languages=["en"],
            accessibility=template.accessibility,
            capacity_places=chooser.choice([None, 0, 1, 2, 3, 5]) if template.unit != "hour" else None,
            capacity_hours=Decimal(chooser.choice([0, 4, 6, 10, 15])) if template.unit == "hour" else None,
            cost_options=[
                {
                    "amount": amount,
                    "unit": template.unit,
                    "vat_status": template.vat_status,
                    "description": template.price_note,
                }
            ],
            schedules=[
                {"weekday": day, "opens_at": time(*opens), "closes_at": time(*closes), "description": note}
                for day, opens, closes, note in template.schedule
            ],
            service_areas=service_areas,
            locations=locations,
        )

    def _council_districts(self, council: DemoCouncil) -> list[str]:
        return self.districts[council.ons_code]

    def _unit_postcode(self, council: DemoCouncil, chooser: random.Random) -> str:
        return self._venue_postcode(chooser.choice(self._council_districts(council)), chooser)

    def _venue_postcode(self, district: str, chooser: random.Random) -> str:
        # The letters C, I, K, M, O and V are never used in the last part of a postcode.
        letters = "ABDEFGHJLNPQRSTUWXYZ"
        return f"{district} {chooser.randrange(1, 10)}{chooser.choice(letters)}{chooser.choice(letters)}"

    def _locate(self, postcode: str) -> Place:
        # Made-up unit postcodes are not in the demo gazetteer: they are placed at their district's centre.
        if postcode not in self.places:
            self.places[postcode] = locate(postcode)
        return self.places[postcode]


# One offer in twelve in each state besides published; "changed" is published with a change waiting.
_OFFER_STATES = (
    "published", "published", "draft", "published", "pending", "published",
    "changed", "published", "suspended", "published", "withdrawn", "published",
)  # fmt: skip
_STATE_REASONS = {
    OfferStatus.SUSPENDED: "A family raised a concern; suspended while the council looks into it",
    OfferStatus.WITHDRAWN: "We no longer run this",
}


def _price(template: OfferTemplate, chooser: random.Random) -> Decimal:
    """A price in the template's band: the lowest, or a round figure above it (50p steps, whole pounds over £100)."""
    low, high = template.price_range
    step = Decimal("0.50") if high <= 100 else Decimal("1")
    first_round = (low / step).to_integral_value(rounding="ROUND_CEILING") * step
    candidates = [low, *(first_round + step * n for n in range(int((high - first_round) / step) + 1))]
    return max(chooser.choice(candidates), NATIONAL_LIVING_WAGE if template.unit == "hour" else low).quantize(
        Decimal("0.01")
    )


def _with_price_rise(content: OfferContent) -> OfferContent:
    risen = [
        option
        | {"amount": (option["amount"] * Decimal("1.05")).quantize(Decimal("0.50")), "description": "From 1 April"}
        for option in content.cost_options
    ]
    return OfferContent(**{**content.__dict__, "cost_options": risen})
