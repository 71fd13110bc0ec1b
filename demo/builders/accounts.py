"""Councils, their NHS bodies, brokers and providers, the people who work in them, and families.

Each council has the same shape: staff in every council role, an NHS body with practitioners and a
manager, a broker organisation, six named providers with two staff each, personal assistants, families
and young people. ``--scale`` adds families, young people, personal assistants and extra providers;
the named organisations and staff stay as they are.
"""

from dataclasses import dataclass

from accounts.models import Membership, Organisation, User
from accounts.roles import OrganisationKind, Role
from demo.bulk import demo_uuid, ensure_rows, unique_field_lookup
from demo.context import DemoContext
from demo.councils import DEMO_COUNCILS, DemoCouncil, DemoOrganisation, generated_provider
from demo.logins import DEMO_LOGINS
from demo.mfa import demo_authenticator_apps_ensure
from demo.names import PersonName, british_name

FAMILIES_PER_COUNCIL = 8
YOUNG_PEOPLE_PER_COUNCIL = 2
PERSONAL_ASSISTANTS_PER_COUNCIL = 3
EXTRA_PROVIDERS_PER_COUNCIL = 4  # for each step of --scale above 1
STAFF_PER_PROVIDER = 2

# How many people hold each role in the named organisations, whatever the scale.
COUNCIL_STAFF: tuple[tuple[Role, int], ...] = (
    (Role.LEAD_PROFESSIONAL, 2),  # social workers
    (Role.BUDGET_HOLDING_MANAGER, 1),
    (Role.COMMISSIONER, 1),
    (Role.QA_OFFICER, 1),
    (Role.FINANCE_OFFICER, 1),
    (Role.COUNCIL_ADMIN, 1),
)
NHS_STAFF: tuple[tuple[Role, int], ...] = (
    (Role.LEAD_PROFESSIONAL, 2),  # a health visitor and a school nurse
    (Role.BUDGET_HOLDING_MANAGER, 1),
)
BROKER_STAFF: tuple[tuple[Role, int], ...] = ((Role.BROKER, 2),)

# The word after the name in a generated email address, e.g. claire.walsh.family3@coventry.demo.
_EMAIL_TAGS: dict[Role, str] = {
    Role.FAMILY_MEMBER: "family",
    Role.YOUNG_PERSON: "youngperson",
    Role.LEAD_PROFESSIONAL: "lead",
    Role.BUDGET_HOLDING_MANAGER: "manager",
    Role.BROKER: "broker",
    Role.PROVIDER_STAFF: "staff",
    Role.PERSONAL_ASSISTANT: "pa",
    Role.COMMISSIONER: "commissioning",
    Role.QA_OFFICER: "qa",
    Role.FINANCE_OFFICER: "finance",
    Role.COUNCIL_ADMIN: "admin",
}


@dataclass(frozen=True)
class PlannedPerson:
    email: str
    name: PersonName
    organisation_slug: str | None
    role: Role | None
    is_site_staff: bool = False


def build(ctx: DemoContext) -> None:
    # Councils first: every other organisation registers with one.
    councils = [PlannedOrganisation(council.organisation, council, 0) for council in DEMO_COUNCILS]
    _ensure_organisations(ctx, councils, label="Councils")
    _ensure_organisations(ctx, _planned_partners(ctx.scale), label="NHS bodies, brokers and providers")
    people = _planned_people(ctx.scale)
    _ensure_users(ctx, people)
    _restore_demo_passwords(ctx)
    _ensure_memberships(ctx, [person for person in people if person.role is not None])
    demo_authenticator_apps_ensure()


# --- Organisations ----------------------------------------------------------------------------


@dataclass(frozen=True)
class PlannedOrganisation:
    organisation: DemoOrganisation
    area: DemoCouncil  # the council area it is in: the council itself, or the one it registers with
    phone_index: int


def _providers(council: DemoCouncil, scale: int) -> list[DemoOrganisation]:
    extra = EXTRA_PROVIDERS_PER_COUNCIL * (scale - 1)
    return [*council.providers, *(generated_provider(council, number) for number in range(1, extra + 1))]


def _planned_partners(scale: int) -> list[PlannedOrganisation]:
    planned: list[PlannedOrganisation] = []
    for council in DEMO_COUNCILS:
        partners = [council.nhs_body, council.broker, *_providers(council, scale)]
        planned += [PlannedOrganisation(org, council, index) for index, org in enumerate(partners, start=1)]
    return planned


def _ensure_organisations(ctx: DemoContext, planned: list[PlannedOrganisation], *, label: str) -> None:
    rows = [_organisation_row(ctx, plan) for plan in planned]
    ctx.organisations.update(
        ensure_rows(
            ctx,
            label=label,
            model=Organisation,
            planned=rows,
            natural_key=lambda row: row.slug,
            find_existing=unique_field_lookup(Organisation, "slug"),
        )
    )
    for plan in planned:
        if plan.organisation.category is not None:
            ctx.provider_categories[plan.organisation.slug] = plan.organisation.category


def _organisation_row(ctx: DemoContext, plan: PlannedOrganisation) -> Organisation:
    org, area = plan.organisation, plan.area
    is_council = org.kind == OrganisationKind.COUNCIL
    return Organisation(
        public_id=demo_uuid("organisation", org.slug),
        kind=org.kind,
        name=org.name,
        slug=org.slug,
        council=None if is_council else ctx.organisations[area.slug],
        ons_code=area.ons_code if is_council else "",
        email=f"enquiries@{org.email_domain}",
        phone=area.phone_number(plan.phone_index),
    )


# --- People -----------------------------------------------------------------------------------


def _planned_people(scale: int) -> list[PlannedPerson]:
    people = [
        PlannedPerson(
            email=login.email,
            name=PersonName(login.first_name, login.last_name),
            organisation_slug=login.organisation.slug if login.organisation else None,
            role=login.role,
            is_site_staff=login.is_site_staff,
        )
        for login in DEMO_LOGINS
    ]
    for council in DEMO_COUNCILS:
        people += _council_people(council, scale)
    return people


def _council_people(council: DemoCouncil, scale: int) -> list[PlannedPerson]:
    people: list[PlannedPerson] = []
    for role, count in COUNCIL_STAFF:
        people += _series(council.organisation, role, count)
    for role, count in NHS_STAFF:
        people += _series(council.nhs_body, role, count)
    for role, count in BROKER_STAFF:
        people += _series(council.broker, role, count)
    for provider in _providers(council, scale):
        people += _series(provider, Role.PROVIDER_STAFF, STAFF_PER_PROVIDER)
    people += _series(council.organisation, Role.PERSONAL_ASSISTANT, PERSONAL_ASSISTANTS_PER_COUNCIL * scale)
    people += _series(council.organisation, Role.FAMILY_MEMBER, FAMILIES_PER_COUNCIL * scale)
    people += _series(council.organisation, Role.YOUNG_PERSON, YOUNG_PEOPLE_PER_COUNCIL * scale)
    return people


def _series(organisation: DemoOrganisation, role: Role, count: int) -> list[PlannedPerson]:
    """``count`` people holding ``role`` in ``organisation``; the n-th is the same person at any scale."""
    people = []
    for number in range(1, count + 1):
        name = british_name(f"{organisation.slug}/{role}/{number}")
        email = f"{name.email_local_part}.{_EMAIL_TAGS[role]}{number}@{organisation.email_domain}"
        people.append(PlannedPerson(email=email, name=name, organisation_slug=organisation.slug, role=role))
    return people


def _ensure_users(ctx: DemoContext, people: list[PlannedPerson]) -> None:
    rows = [
        User(
            public_id=demo_uuid("user", person.email),
            email=person.email,
            first_name=person.name.first_name,
            last_name=person.name.last_name,
            password=ctx.password_hash,
            is_staff=person.is_site_staff,
            is_superuser=person.is_site_staff,
        )
        for person in people
    ]
    ctx.users.update(
        ensure_rows(
            ctx,
            label="People",
            model=User,
            planned=rows,
            natural_key=lambda row: row.email,
            find_existing=unique_field_lookup(User, "email"),
        )
    )
    for person in people:
        if person.role is not None:
            ctx.members[(person.organisation_slug, person.role)].append(person.email)


def _restore_demo_passwords(ctx: DemoContext) -> None:
    """Give the printed demo sign-ins the demo password again if someone changed it.

    Only the printed sign-ins, whose addresses are on the reserved ``.demo`` domain: every other
    account, including other demo people, keeps whatever password it has.
    """
    for login in DEMO_LOGINS:
        user = ctx.users[login.email]
        if user.password != ctx.password_hash:
            user.password = ctx.password_hash
            user.save(update_fields=["password"])
            ctx.tally.passwords_restored += 1


# --- Memberships ------------------------------------------------------------------------------

MembershipKey = tuple[str, str, str]  # (email, organisation slug, role)


def _ensure_memberships(ctx: DemoContext, people: list[PlannedPerson]) -> None:
    rows = [
        Membership(
            public_id=demo_uuid("membership", person.email, person.organisation_slug, person.role),
            user=ctx.users[person.email],
            organisation=ctx.organisations[person.organisation_slug],
            role=person.role,
        )
        for person in people
    ]
    ensure_rows(
        ctx,
        label="Memberships",
        model=Membership,
        planned=rows,
        natural_key=_membership_key,
        find_existing=_find_memberships,
    )


def _membership_key(membership: Membership) -> MembershipKey:
    return (membership.user.email, membership.organisation.slug, membership.role)


def _find_memberships(keys: list[MembershipKey]) -> dict[MembershipKey, Membership]:
    if not keys:
        return {}
    emails = {email for email, _slug, _role in keys}
    slugs = {slug for _email, slug, _role in keys}
    wanted = set(keys)
    found = Membership.objects.filter(user__email__in=emails, organisation__slug__in=slugs).select_related(
        "user", "organisation"
    )
    return {key: membership for membership in found if (key := _membership_key(membership)) in wanted}
