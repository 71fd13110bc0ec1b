"""CSV imports: a provider's or personal assistant's own offers, or a council's whole directory.

Every row is checked first, then every row is written, all in one transaction. A problem found while
checking or while writing is reported with its line and column, and then nothing is saved: a directory
half imported would be harder to put right than one not imported at all.

Imported offers are drafts (new offers) or working versions (changes to existing ones), written
through ``offer_create`` and ``offer_edit``: nothing is published until it has been checked, and a
published offer keeps showing its checked version meanwhile. A row that matches its offer exactly is
left alone, so re-importing an export changes nothing.
"""

import csv
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.events import audit_record
from accounts.models import Organisation, User
from accounts.roles import OrganisationKind
from accounts.services import organisation_create, organisation_update
from providers import csv_format
from providers.csv_format import OFFER_COLUMNS, PROFILE_FIELDS, PROVIDER_COLUMNS
from providers.exceptions import ImportFailed, ProvidersError
from providers.models import Offer, OfferQuerySet, PersonalAssistantProfile, ProviderProfile
from providers.services.import_rows import (
    OfferRowReader,
    Places,
    RowProblems,
    Vocabulary,
    offer_content_key,
    profile_value,
)
from providers.services.offers import OfferContent, offer_content_of, offer_create, offer_edit
from providers.services.profiles import profile_update


@dataclass
class ImportResult:
    rows: int = 0
    offers_created: int = 0
    offers_changed: int = 0
    offers_unchanged: int = 0
    providers_created: int = 0
    providers_changed: int = 0
    dry_run: bool = False

    @property
    def summary(self) -> str:
        parts = [
            f"{self.offers_created} new offer{'s' if self.offers_created != 1 else ''}",
            f"{self.offers_changed} changed",
            f"{self.offers_unchanged} unchanged",
        ]
        if self.providers_created or self.providers_changed:
            parts.append(f"{self.providers_created} new provider{'s' if self.providers_created != 1 else ''}")
            parts.append(
                f"{self.providers_changed} provider profile{'s' if self.providers_changed != 1 else ''} changed"
            )
        return f"{self.rows} row{'s' if self.rows != 1 else ''}: " + ", ".join(parts)


@dataclass
class _Row:
    line: int
    cells: dict[str, str]


@dataclass
class _OfferRow:
    line: int
    offer_id: UUID | None
    content: OfferContent


Progress = Callable[[int], None] | None


# --- A provider's own offers ----------------------------------------------------------------------------


@transaction.atomic
def offers_import(
    *,
    actor: User | None,
    lines: Iterable[str],
    organisation: Organisation | None = None,
    personal_assistant: PersonalAssistantProfile | None = None,
    dry_run: bool = False,
    progress: Progress = None,
) -> ImportResult:
    """Create or change the offers of ``organisation`` or ``personal_assistant`` from a CSV file.

    Raises ImportFailed listing (line, message); nothing is saved then, nor with ``dry_run``.
    """
    if (organisation is None) == (personal_assistant is None):
        raise ValueError("Import the offers of one organisation or one personal assistant")
    owner = {"organisation": organisation} if organisation else {"personal_assistant": personal_assistant}
    council = organisation.council if organisation else personal_assistant.council  # type: ignore[union-attr]
    scope = Offer.objects.filter(**owner)
    header, rows = _read(lines, with_provider=False)
    problems = RowProblems()
    reader = OfferRowReader(header=header, vocabulary=Vocabulary(council), places=Places(), problems=problems)
    offer_rows = [_offer_row(reader, row) for row in rows]
    offers = _offers_by_id(scope, [row for row in offer_rows if row is not None], problems)
    problems.raise_if_any()

    result = ImportResult(rows=len(rows), dry_run=dry_run)
    for offer_row in offer_rows:
        _offer_write(actor, offer_row, offers.get(offer_row.offer_id), owner, result, problems)  # type: ignore[union-attr,arg-type]
        if progress:
            progress(1)
    problems.raise_if_any()
    target = organisation or personal_assistant
    audit_record(
        actor=actor,
        action="offers.imported",
        target=target,  # type: ignore[arg-type]
        council=council,
        summary=f"Imported offers from a CSV file: {result.summary}",
        data={"created": result.offers_created, "changed": result.offers_changed},
    )
    if dry_run:
        transaction.set_rollback(True)
    return result


# --- A council's directory ------------------------------------------------------------------------------


@dataclass
class _ProviderRow:
    """What one row says about its provider."""

    line: int
    key: str  # the organisation's public id, or "new:" + the normalised name
    name: str
    organisation: Organisation | None
    values: dict[str, object]  # profile field → value, for the cells that are filled in
    by_id: bool = False  # named by provider_id, so a different name is a new name


@dataclass
class _Provider:
    """A provider named in the file, with its profile values gathered from all its rows."""

    key: str
    name: str
    first_line: int
    organisation: Organisation | None
    values: dict[str, object] = field(default_factory=dict)
    value_lines: dict[str, int] = field(default_factory=dict)
    rename_to: str = ""


@transaction.atomic
def council_directory_import(
    *,
    actor: User | None,
    council: Organisation,
    lines: Iterable[str],
    dry_run: bool = False,
    progress: Progress = None,
) -> ImportResult:
    """Register or match providers with ``council``, create or change their profiles and offers.

    Providers are matched by ``provider_id``, else by name among the providers registered with the
    council; a name that matches none registers a new provider. Raises ImportFailed as offers_import.
    """
    header, rows = _read(lines, with_provider=True)
    problems = RowProblems()
    known = _CouncilProviders(council)
    reader = OfferRowReader(header=header, vocabulary=Vocabulary(council), places=Places(), problems=problems)
    providers: dict[str, _Provider] = {}
    offer_rows: list[tuple[_OfferRow, str]] = []
    for row in rows:
        provider_row = _provider_row(reader, row, known)
        if provider_row is None:
            continue
        _provider_gather(providers, provider_row, problems)
        if _has_offer(row):
            offer_row = _offer_row(reader, row)
            if offer_row is not None:
                offer_rows.append((offer_row, provider_row.key))
    scope = Offer.objects.filter(organisation__council=council, organisation__kind=OrganisationKind.PROVIDER)
    offers = _offers_by_id(scope, [offer_row for offer_row, _key in offer_rows], problems)
    _offers_belong_to_their_providers(offer_rows, offers, providers, problems)
    problems.raise_if_any()

    result = ImportResult(rows=len(rows), dry_run=dry_run)
    organisations = {
        key: _provider_write(actor, council, provider, result, problems) for key, provider in providers.items()
    }
    for offer_row, key in offer_rows:
        organisation = organisations[key]
        if organisation is not None:
            owner = {"organisation": organisation}
            _offer_write(actor, offer_row, offers.get(offer_row.offer_id), owner, result, problems)  # type: ignore[arg-type]
        if progress:
            progress(1)
    problems.raise_if_any()
    audit_record(
        actor=actor,
        action="directory.imported",
        target=council,
        council=council,
        summary=f"Imported the directory from a CSV file: {result.summary}",
        data={"providers_created": result.providers_created, "offers_created": result.offers_created},
    )
    if dry_run:
        transaction.set_rollback(True)
    return result


# --- Reading the file -----------------------------------------------------------------------------------


def _read(lines: Iterable[str], *, with_provider: bool) -> tuple[list[str], list[_Row]]:
    """The header and the non-blank rows. Line numbers are spreadsheet row numbers: the header is 1."""
    reader = csv.reader(lines)
    first = next(reader, None)
    if first is None:
        raise ImportFailed([(1, "The file is empty")])
    header = [cell.strip().lower().lstrip("\ufeff") for cell in first]
    _header_check(header, with_provider=with_provider)
    rows = []
    for line, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        values = {
            name: csv_format.cell_from_spreadsheet(cells[index].strip()) if index < len(cells) else ""
            for index, name in enumerate(header)
            if name
        }
        rows.append(_Row(line=line, cells=values))
    if not rows:
        raise ImportFailed([(2, "The file has a header but no rows")])
    return header, rows


def _header_check(header: list[str], *, with_provider: bool) -> None:
    problems: list[tuple[int, str]] = []
    seen: set[str] = set()
    for name in header:
        if not name:
            continue
        if name in seen:
            problems.append((1, f"{name}: this column appears twice"))
        seen.add(name)
        if not with_provider and name.startswith("provider_"):
            problems.append((1, f"{name}: provider columns are for a council's directory import; remove them"))
        elif not csv_format.is_known_column(name, with_provider=with_provider):
            problems.append((1, f"{name}: this is not a column we know. Check its spelling in the list of columns"))
    required = [column for column in OFFER_COLUMNS if column.required]
    if with_provider:
        required += [column for column in PROVIDER_COLUMNS if column.required]
    for column in required:
        if column.name not in seen:
            problems.append((1, f"{column.name}: the file needs this column"))
    if problems:
        raise ImportFailed(problems)


def _offer_row(reader: OfferRowReader, row: _Row) -> _OfferRow | None:
    cells = reader.start(row.line, row.cells)
    offer_id = cells.parse("offer_id", _optional_uuid, None)
    content = reader.content(cells)
    return _OfferRow(line=row.line, offer_id=offer_id, content=content) if cells.ok else None


def _optional_uuid(raw: str) -> UUID | None:
    if not raw:
        return None
    try:
        return UUID(raw)
    except ValueError:
        raise ValueError(f"“{raw}” is not an offer id: copy it from an export, or leave it empty") from None


def _offers_by_id(scope: OfferQuerySet, offer_rows: list[_OfferRow], problems: RowProblems) -> dict[UUID, Offer]:
    """The offers the file changes, found only among the importer's own: any other id is unknown to them."""
    first_line: dict[UUID, int] = {}
    for offer_row in offer_rows:
        if offer_row.offer_id is None:
            continue
        if offer_row.offer_id in first_line:
            message = f"this offer is also on line {first_line[offer_row.offer_id]}: change it on one row only"
            problems.add(offer_row.line, "offer_id", message)
        first_line.setdefault(offer_row.offer_id, offer_row.line)
    offers = scope.filter(public_id__in=list(first_line)).select_related(
        "organisation", "working_version", "live_version"
    )
    found = {offer.public_id: offer for offer in offers}
    for offer_id, line in first_line.items():
        if offer_id not in found:
            problems.add(line, "offer_id", "none of your offers has this id. Leave it empty to add a new offer")
    return found


def _offer_write(
    actor: User | None,
    offer_row: _OfferRow,
    offer: Offer | None,
    owner: dict[str, object],
    result: ImportResult,
    problems: RowProblems,
) -> None:
    try:
        # A savepoint per row, so that a refusal here still lets the other rows report theirs.
        with transaction.atomic():
            if offer is None:
                offer_create(actor=actor, content=offer_row.content, **owner)  # type: ignore[arg-type]
                result.offers_created += 1
            elif _is_unchanged(offer, offer_row.content):
                result.offers_unchanged += 1
            else:
                offer_edit(offer=offer, actor=actor, content=offer_row.content)  # type: ignore[arg-type]
                result.offers_changed += 1
    except (ProvidersError, ValidationError) as error:
        problems.add(offer_row.line, "", _error_text(error))


def _is_unchanged(offer: Offer, content: OfferContent) -> bool:
    current = offer.working_version or offer.live_version
    return current is not None and offer_content_key(offer_content_of(current)) == offer_content_key(content)


def _error_text(error: Exception) -> str:
    if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        return "; ".join(f"{name}: {' '.join(messages)}" for name, messages in error.message_dict.items())
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error)


# --- Providers in a council's file ----------------------------------------------------------------------


class _CouncilProviders:
    """The provider organisations registered with the council, by id and by name."""

    def __init__(self, council: Organisation) -> None:
        organisations = Organisation.objects.filter(council=council, kind=OrganisationKind.PROVIDER).select_related(
            "provider_profile"
        )
        self.by_id = {organisation.public_id: organisation for organisation in organisations}
        self.by_name: dict[str, list[Organisation]] = {}
        for organisation in organisations:
            self.by_name.setdefault(_name_key(organisation.name), []).append(organisation)


def _name_key(name: str) -> str:
    return " ".join(name.split()).casefold()


def _provider_row(reader: OfferRowReader, row: _Row, known: _CouncilProviders) -> _ProviderRow | None:
    cells = reader.start(row.line, row.cells)
    name = " ".join(row.cells.get("provider_name", "").split())
    if not name:
        cells.fail("provider_name", "enter the provider's name")
    elif len(name) > Organisation._meta.get_field("name").max_length:
        cells.fail("provider_name", "the name is too long (200 characters at most)")
    provider_id = cells.parse("provider_id", _optional_provider_id, None)
    organisation = _provider_match(cells, known, provider_id, name) if name else None
    values = {}
    for column, field_name in PROFILE_FIELDS.items():
        raw = row.cells.get(column, "")
        if raw:
            values[field_name] = cells.parse(column, lambda text, f=field_name: profile_value(f, text), "")
    if not cells.ok:
        return None
    key = str(organisation.public_id) if organisation else f"new:{_name_key(name)}"
    return _ProviderRow(
        line=row.line, key=key, name=name, organisation=organisation, values=values, by_id=provider_id is not None
    )


def _optional_provider_id(raw: str) -> UUID | None:
    if not raw:
        return None
    try:
        return UUID(raw)
    except ValueError:
        raise ValueError(f"“{raw}” is not a provider id: copy it from an export, or leave it empty") from None


def _provider_match(cells, known: _CouncilProviders, provider_id: UUID | None, name: str) -> Organisation | None:  # type: ignore[no-untyped-def]
    if provider_id is not None:
        organisation = known.by_id.get(provider_id)
        if organisation is None:
            cells.fail("provider_id", "no provider registered with your council has this id")
        return _open(cells, organisation)
    matches = known.by_name.get(_name_key(name), [])
    if len(matches) > 1:
        cells.fail(
            "provider_name",
            f"{len(matches)} providers registered with your council are called {name}: "
            "add their provider_id (from an export) to say which",
        )
        return None
    return _open(cells, matches[0]) if matches else None


def _open(cells, organisation: Organisation | None) -> Organisation | None:  # type: ignore[no-untyped-def]
    if organisation is not None and not organisation.is_active:
        cells.fail("provider_name", f"{organisation.name} is closed: reopen it before importing for it")
    return organisation


def _provider_gather(providers: dict[str, _Provider], row: _ProviderRow, problems: RowProblems) -> None:
    """Collect a provider's profile from its rows; two rows may not disagree about a value."""
    provider = providers.setdefault(
        row.key, _Provider(key=row.key, name=row.name, first_line=row.line, organisation=row.organisation)
    )
    if _name_key(row.name) != _name_key(provider.name):
        problems.add(row.line, "provider_name", f"this differs from line {provider.first_line} for the same provider")
    # Matching by name ignores case and spacing; only a row naming the provider by id can rename it.
    if row.by_id and row.organisation is not None and row.name != row.organisation.name:
        provider.rename_to = row.name
    for field_name, value in row.values.items():
        if field_name not in provider.values:
            provider.values[field_name] = value
            provider.value_lines[field_name] = row.line
        elif provider.values[field_name] != value:
            column = next(column for column, name in PROFILE_FIELDS.items() if name == field_name)
            line = provider.value_lines[field_name]
            problems.add(row.line, column, f"this differs from line {line} for the same provider")


def _has_offer(row: _Row) -> bool:
    """Whether a council's row carries an offer, or only its provider."""
    return any(value for name, value in row.cells.items() if not name.startswith("provider_") and name != "status")


def _offers_belong_to_their_providers(
    offer_rows: list[tuple[_OfferRow, str]],
    offers: dict[UUID, Offer],
    providers: dict[str, _Provider],
    problems: RowProblems,
) -> None:
    for offer_row, key in offer_rows:
        offer = offers.get(offer_row.offer_id) if offer_row.offer_id else None
        if offer is not None and str(offer.organisation.public_id) != key:
            name = providers[key].name
            problems.add(
                offer_row.line, "offer_id", f"this is not an offer of {name}: it belongs to {offer.organisation}"
            )


def _provider_write(
    actor: User | None, council: Organisation, provider: _Provider, result: ImportResult, problems: RowProblems
) -> Organisation | None:
    try:
        with transaction.atomic():
            organisation = provider.organisation or _organisation_register(actor, council, provider)
            if provider.rename_to:
                organisation = organisation_update(
                    actor=actor,  # type: ignore[arg-type]
                    council=council,
                    organisation=organisation,
                    name=provider.rename_to,
                    email=organisation.email,
                    phone=organisation.phone,
                    is_active=organisation.is_active,
                    reason="Renamed in a directory import",
                )
            _profile_write(actor, organisation, provider, result)
            return organisation
    except (ProvidersError, ValidationError) as error:
        problems.add(provider.first_line, "provider_name", _error_text(error))
        return None


def _organisation_register(actor: User | None, council: Organisation, provider: _Provider) -> Organisation:
    organisation = organisation_create(
        actor=actor,  # type: ignore[arg-type]
        council=council,
        kind=OrganisationKind.PROVIDER,
        name=provider.name,
        email=str(provider.values.get("email", "")),
        phone=str(provider.values.get("phone", "")),
    )
    return organisation


def _profile_write(actor: User | None, organisation: Organisation, provider: _Provider, result: ImportResult) -> None:
    """A new profile is a draft; changes to an existing one go through ``profile_update``, which holds
    them for checking when the profile is published. An empty cell leaves a value as it is."""
    profile = ProviderProfile.objects.filter(organisation=organisation).first()
    if profile is None:
        values = {"legal_name": provider.name, **provider.values}
        profile = ProviderProfile(organisation=organisation, **values)
        profile.full_clean()
        profile.save()
        result.providers_created += 1
        return
    changes = {name: value for name, value in provider.values.items() if getattr(profile, name) != value}
    if changes:
        profile_update(profile=profile, actor=actor, changes=changes)  # type: ignore[arg-type]
        result.providers_changed += 1
