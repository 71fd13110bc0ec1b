"""The subject-access archive: everything held about a person supported and their family, in one zip.

``index.html`` reads offline (its styles are inline, nothing is fetched), with a table per kind of
record; each kind is also in ``csv/`` and ``json/`` for anyone who wants to work with the figures, and
files the family uploaded (receipts, message attachments) are in ``files/``. Encrypted values (bank
details, DBS certificate numbers) appear masked: the archive is handed over by email or on paper, and
the full numbers are never needed to answer a request.

The archive is built into a temporary file (never the public media folder) and streamed to the council
administrator; each export is audited.
"""

import csv
import io
import json
import tempfile
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import IO, Any
from uuid import UUID

from django.db import models
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify

from accounts.crypto import mask
from accounts.events import audit_record
from accounts.fields import EncryptedTextField
from accounts.models import Organisation, User
from brokerage.models import PersonSupported
from marketplace.dataprotection.records import RecordSet, subject_records
from providers.models import Upload

HIDDEN_FIELDS = frozenset({"password", "search_vector"})
# The index shows the first rows of each kind; the CSV and JSON files have them all.
INDEX_ROWS = 200


@dataclass
class Section:
    label: str
    slug: str
    columns: list[str]
    rows: list[list[str]]

    @property
    def shown_rows(self) -> list[list[str]]:
        return self.rows[:INDEX_ROWS]


def subject_access_archive(*, actor: User, council: Organisation, person: PersonSupported) -> IO[bytes]:
    """Build the archive for ``person`` into a temporary file, rewound, and audit the export."""
    sections, uploads = _sections(person)
    archive = tempfile.SpooledTemporaryFile(max_size=20 * 1024 * 1024)  # noqa: SIM115 - returned to the caller
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zipped:
        for section in sections:
            zipped.writestr(f"csv/{section.slug}.csv", _csv(section))
            zipped.writestr(f"json/{section.slug}.json", _json(section))
        files = _write_uploads(zipped, uploads)
        zipped.writestr(
            "index.html",
            render_to_string(
                "marketplace/dataprotection/archive_index.html",
                {"person": person, "council": council, "sections": sections, "files": files, "made_at": timezone.now()},
            ),
        )
    archive.seek(0)
    audit_record(
        actor=actor,
        action="dataprotection.subject_access_export",
        target=person,
        council=council,
        summary=f"Subject access archive downloaded for {person}",
        data={"record_types": len(sections), "records": sum(len(s.rows) for s in sections), "files": len(files)},
    )
    return archive


def archive_filename(person: PersonSupported) -> str:
    return f"subject-access-{slugify(str(person)) or 'person'}-{timezone.localdate():%Y-%m-%d}.zip"


def _sections(person: PersonSupported) -> tuple[list[Section], list[Upload]]:
    sections, uploads = [], []
    for record_set in subject_records(person):
        section, found = _section(record_set)
        sections.append(section)
        uploads.extend(found)
    return sections, list({upload.pk: upload for upload in uploads}.values())


def _section(record_set: RecordSet) -> tuple[Section, list[Upload]]:
    fields = [f for f in record_set.model._meta.concrete_fields if f.name not in HIDDEN_FIELDS]
    related = [f.name for f in fields if f.is_relation]
    rows, uploads = [], []
    for record in record_set.queryset.select_related(*related):
        rows.append([_value(record, field) for field in fields])
        uploads.extend(
            getattr(record, field.name)
            for field in fields
            if field.is_relation and field.related_model is Upload and getattr(record, field.attname)
        )
        if isinstance(record, Upload):
            uploads.append(record)
    columns = [str(field.verbose_name).capitalize() for field in fields]
    return Section(label=record_set.label, slug=record_set.slug, columns=columns, rows=rows), uploads


def _value(record: models.Model, field: models.Field) -> str:
    if isinstance(field, EncryptedTextField):
        raw = getattr(record, field.attname) or ""
        return mask(raw) if raw else ""
    if field.is_relation:
        related = getattr(record, field.name) if getattr(record, field.attname) is not None else None
        return "" if related is None else str(related)
    if field.choices:
        return str(getattr(record, f"get_{field.name}_display")())
    return _plain(getattr(record, field.attname))


def _plain(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if timezone.is_aware(value) else str(value)
    if isinstance(value, date | Decimal | UUID):
        return str(value)
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, dict | list):
        return json.dumps(value, default=str, ensure_ascii=False)
    if isinstance(value, models.fields.files.FieldFile):
        return value.name or ""
    return str(value)


def _csv(section: Section) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(section.columns)
    # A cell starting with = + - @ would run as a formula in a spreadsheet: prefix it with a quote.
    writer.writerows([[_safe_cell(cell) for cell in row] for row in section.rows])
    return buffer.getvalue()


def _safe_cell(cell: str) -> str:
    return f"'{cell}" if cell[:1] in ("=", "+", "-", "@") else cell


def _json(section: Section) -> str:
    records = [dict(zip(section.columns, row, strict=True)) for row in section.rows]
    return json.dumps({"record_type": section.label, "records": records}, indent=2, ensure_ascii=False)


def _write_uploads(zipped: zipfile.ZipFile, uploads: list[Upload]) -> list[dict[str, str]]:
    written = []
    for upload in uploads:
        name = f"files/{upload.public_id.hex}{upload.extension}"
        try:
            with upload.file.open("rb") as source:
                zipped.writestr(name, source.read())
        except (FileNotFoundError, OSError):
            written.append({"name": upload.original_name, "path": "", "note": "The file is missing from storage"})
            continue
        written.append({"name": upload.original_name, "path": name, "note": upload.get_purpose_display()})
    return written
