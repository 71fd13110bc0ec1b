"""CSV exports in the directory layout (``providers.csv_format``), ready to edit and import again.

Each offer is written as the version its provider works on: the change being edited or checked if
there is one, else the published version. A personal assistant's home postcode is never written:
no export reads it.
"""

from collections.abc import Iterator
from datetime import date
from decimal import Decimal

from django.db.models import QuerySet

from accounts.models import Organisation
from accounts.roles import OrganisationKind
from providers import csv_format
from providers.csv_format import COST_FIELDS, PROFILE_FIELDS, PROVIDER_COLUMNS, VENUE_FIELDS, ScheduleEntry
from providers.models import Offer, OfferVersion, PersonalAssistantProfile
from providers.selectors.directory import council_personal_assistants, council_provider_organisations

_VERSION_PARTS = ("categories", "needs", "cost_options", "schedules", "service_areas", "locations")


def provider_offers_export(
    *, organisation: Organisation | None = None, personal_assistant: PersonalAssistantProfile | None = None
) -> tuple[list[str], list[list[str]]]:
    """The header and rows of a provider's or personal assistant's own offers."""
    owner = {"organisation": organisation} if organisation else {"personal_assistant": personal_assistant}
    offers = _with_versions(Offer.objects.filter(**owner))
    return _table(offers, with_provider=False)


def council_directory_export(*, council: Organisation) -> tuple[list[str], list[list[str]]]:
    """The providers registered with ``council`` and their offers, in the layout the council import reads.

    A provider without offers gets one row of its own, so that every profile is in the file.
    """
    offers = _with_versions(
        Offer.objects.filter(organisation__council=council, organisation__kind=OrganisationKind.PROVIDER)
        .select_related("organisation__provider_profile")
        .order_by("organisation__name", "organisation_id", "created_at", "pk")
    )
    header, rows = _table(offers, with_provider=True)
    with_offers = {offer.organisation_id for offer in offers}
    alone = (
        Organisation.objects.filter(council=council, kind=OrganisationKind.PROVIDER)
        .exclude(pk__in=with_offers)
        .select_related("provider_profile")
        .order_by("name", "pk")
    )
    rows += [_provider_cells(organisation) + [""] * (len(header) - len(PROVIDER_COLUMNS)) for organisation in alone]
    return header, rows


def council_directory_list(*, council: Organisation) -> tuple[list[str], Iterator[list[str]]]:
    """One line per provider organisation and personal assistant registered with ``council``."""
    header = ["Name", "Kind", "Profile", "Published offers", "All offers", "Areas", "Email", "Phone"]
    return header, ([csv_format.cell_for_spreadsheet(cell) for cell in line] for line in _directory_lines(council))


def _directory_lines(council: Organisation) -> Iterator[list[str]]:
    for organisation in council_provider_organisations(council):
        profile = getattr(organisation, "provider_profile", None)
        yield [
            profile.display_name if profile else organisation.name,
            "Provider organisation",
            profile.get_status_display() if profile else "No profile yet",
            str(organisation.published_offers),
            str(organisation.all_offers),
            "",
            (profile.email if profile else "") or organisation.email,
            (profile.phone if profile else "") or organisation.phone,
        ]
    for assistant in council_personal_assistants(council):
        # Only what the public page shows: never the home postcode, nor the assistant's own email.
        yield [
            assistant.display_name,
            "Personal assistant",
            assistant.get_status_display(),
            str(assistant.published_offers),
            str(assistant.all_offers),
            csv_format.join_list(sorted(assistant.areas)),
            "",
            "",
        ]


# --- Rows -------------------------------------------------------------------------------------------------


def _with_versions(offers: QuerySet[Offer]) -> list[Offer]:
    prefetches = [f"{which}__{part}" for which in ("working_version", "live_version") for part in _VERSION_PARTS]
    return list(offers.select_related("working_version", "live_version").prefetch_related(*prefetches))


def _table(offers: list[Offer], *, with_provider: bool) -> tuple[list[str], list[list[str]]]:
    versions = [(offer, version) for offer in offers if (version := offer.working_version or offer.live_version)]
    # As many price and venue groups as the busiest offer needs, and at least one of each to fill in.
    cost_groups = max([len(version.cost_options.all()) for _offer, version in versions] + [1])
    venue_groups = max([len(version.locations.all()) for _offer, version in versions] + [1])
    header = csv_format.offer_header(cost_groups=cost_groups, venue_groups=venue_groups, with_provider=with_provider)
    rows = []
    for offer, version in versions:
        cells = _provider_cells(offer.organisation) if with_provider else []
        cells += _offer_cells(offer, version, cost_groups=cost_groups, venue_groups=venue_groups)
        rows.append(cells)
    return header, rows


def _offer_cells(offer: Offer, version: OfferVersion, *, cost_groups: int, venue_groups: int) -> list[str]:
    values = {
        "offer_id": str(offer.public_id),
        "status": offer.status,
        "name": version.name,
        "description": version.description,
        "categories": csv_format.join_list([term.code for term in version.categories.all()]),
        "needs": csv_format.join_list([term.code for term in version.needs.all()]),
        "minimum_age": str(version.minimum_age),
        "maximum_age": str(version.maximum_age),
        "attending_types": csv_format.join_list(version.attending_types),
        "schedule": csv_format.schedule_cell(
            [
                ScheduleEntry(s.weekday, s.opens_at, s.closes_at, s.description)
                for s in sorted(version.schedules.all(), key=_schedule_order)
            ]
        ),
        "service_areas": csv_format.join_list(
            [area.council_code or area.postcode_district for area in version.service_areas.all()]
        ),
        "languages": csv_format.join_list(version.languages),
        "accessibility": version.accessibility,
        "capacity_places": _text(version.capacity_places),
        "capacity_hours": _text(version.capacity_hours),
        "capacity_note": version.capacity_note,
        "url": version.url,
        "email": version.email,
    }
    cells = [values[column.name] for column in csv_format.OFFER_COLUMNS]
    costs = list(version.cost_options.all())
    for number in range(cost_groups):
        option = costs[number] if number < len(costs) else None
        cells += [_text(getattr(option, f.name)) if option else "" for f in COST_FIELDS]
    venues = list(version.locations.all())
    for number in range(venue_groups):
        venue = venues[number] if number < len(venues) else None
        cells += [_text(getattr(venue, f.name)) if venue else "" for f in VENUE_FIELDS]
    return [csv_format.cell_for_spreadsheet(cell) for cell in cells]


def _provider_cells(organisation: Organisation) -> list[str]:
    profile = getattr(organisation, "provider_profile", None)
    values = {"provider_id": str(organisation.public_id), "provider_name": organisation.name}
    for column, field_name in PROFILE_FIELDS.items():
        value = getattr(profile, field_name) if profile else ""
        values[column] = csv_format.join_list(value) if isinstance(value, list) else _text(value)
    return [csv_format.cell_for_spreadsheet(values[column.name]) for column in PROVIDER_COLUMNS]


def _schedule_order(schedule) -> tuple[int, object]:  # type: ignore[no-untyped-def]
    return (csv_format.WEEKDAY_CODES.index(schedule.weekday), schedule.opens_at)


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:f}"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)
