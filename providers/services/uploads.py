"""Checking and storing uploaded files: logos, photos and documents.

What a browser says about a file (its name and content type) is only a claim. We read the bytes:
Pillow must open an image as the format its extension names, and a document must start as a PDF
does. The file is stored under a generated name with the extension of what it really is.
"""

from dataclasses import dataclass
from pathlib import PurePath

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from PIL import Image, UnidentifiedImageError

from accounts.events import audit_record
from accounts.models import Organisation, User
from providers.exceptions import UploadRejected
from providers.models import PersonalAssistantProfile, ProviderProfile, Upload
from providers.services.profiles import profile_update

MEGABYTE = 1024 * 1024
PDF_SIGNATURE = b"%PDF-"


@dataclass(frozen=True)
class FileRule:
    description: str  # "a PNG or JPEG image", for error messages
    max_bytes: int
    extensions: dict[str, str]  # extension → the format the bytes must have


IMAGE_RULE = FileRule("a PNG or JPEG image", 2 * MEGABYTE, {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG"})
DOCUMENT_RULE = FileRule("a PDF", 5 * MEGABYTE, {".pdf": "PDF"})
RULES = {Upload.Purpose.LOGO: IMAGE_RULE, Upload.Purpose.PHOTO: IMAGE_RULE, Upload.Purpose.DOCUMENT: DOCUMENT_RULE}
CONTENT_TYPES = {"PNG": "image/png", "JPEG": "image/jpeg", "PDF": "application/pdf"}
STORED_EXTENSIONS = {"PNG": ".png", "JPEG": ".jpg", "PDF": ".pdf"}


def upload_check(*, purpose: str, file: UploadedFile) -> str:
    """The real format of the file ("PNG", "JPEG" or "PDF"); raises UploadRejected with a reason."""
    rule = RULES[purpose]
    extension = PurePath(file.name or "").suffix.lower()
    if extension not in rule.extensions:
        raise UploadRejected(f"The file must be {rule.description}")
    if file.size == 0:
        raise UploadRejected("The selected file is empty")
    if file.size > rule.max_bytes:
        raise UploadRejected(f"The file must be smaller than {rule.max_bytes // MEGABYTE}MB")
    expected = rule.extensions[extension]
    actual = _pdf_format(file) if expected == "PDF" else _image_format(file)
    if actual != expected:
        raise UploadRejected(f"The file must be {rule.description}: this one is not what its name says")
    return actual


@transaction.atomic
def upload_store(
    *,
    actor: User,
    purpose: str,
    file: UploadedFile,
    owner_organisation: Organisation | None = None,
    owner_user: User | None = None,
) -> Upload:
    """Check the file and store it under a generated name, owned by an organisation or a person."""
    if (owner_organisation is None) == (owner_user is None):
        raise ValueError("An upload belongs to one organisation or one person")
    real_format = upload_check(purpose=purpose, file=file)
    upload = Upload(
        purpose=purpose,
        extension=STORED_EXTENSIONS[real_format],
        content_type=CONTENT_TYPES[real_format],
        size=file.size,
        original_name=_display_name(file.name or ""),
        owner_organisation=owner_organisation,
        owner_user=owner_user,
        uploaded_by=actor,
    )
    file.seek(0)
    # upload_to builds the stored name from public_id; the name passed here is ignored.
    upload.file.save(upload.extension, file, save=False)
    upload.full_clean()
    upload.save()
    audit_record(
        actor=actor,
        action="upload.stored",
        target=upload,
        council=owner_organisation.council if owner_organisation else None,
        summary=f"Uploaded {upload.get_purpose_display().lower()} {upload.original_name}",
        data={"size": upload.size, "content_type": upload.content_type},
    )
    return upload


@transaction.atomic
def profile_picture_set(
    *, profile: ProviderProfile | PersonalAssistantProfile, actor: User, file: UploadedFile
) -> Upload:
    """Store a new logo (organisation) or photo (personal assistant) and put it on the profile."""
    if isinstance(profile, PersonalAssistantProfile):
        upload = upload_store(actor=actor, purpose=Upload.Purpose.PHOTO, file=file, owner_user=profile.user)
        profile_update(profile=profile, actor=actor, changes={"photo": upload})
    else:
        upload = upload_store(
            actor=actor, purpose=Upload.Purpose.LOGO, file=file, owner_organisation=profile.organisation
        )
        profile_update(profile=profile, actor=actor, changes={"logo": upload})
    return upload


def _image_format(file: UploadedFile) -> str | None:
    file.seek(0)
    try:
        # Only the parsers of the formats we accept ever see the bytes.
        with Image.open(file, formats=["PNG", "JPEG"]) as image:
            image_format = image.format
            # verify() reads the whole image and checks it is not truncated or corrupt.
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return None
    return image_format


def _pdf_format(file: UploadedFile) -> str | None:
    file.seek(0)
    return "PDF" if file.read(len(PDF_SIGNATURE)) == PDF_SIGNATURE else None


def _display_name(name: str) -> str:
    # Only the last part of the name, without control characters: shown to people, never a path.
    base = PurePath(name.replace("\\", "/")).name
    cleaned = "".join(ch for ch in base if ch.isprintable()).strip()
    return cleaned[:200] or "file"
