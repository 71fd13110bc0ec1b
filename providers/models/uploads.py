import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone


def private_storage():  # type: ignore[no-untyped-def]
    from django.core.files.storage import storages

    return storages["private"]


def _upload_path(instance: "Upload", filename: str) -> str:
    # Generated names only: the uploader's file name never reaches the file system.
    return f"uploads/{instance.public_id.hex[:2]}/{instance.public_id.hex}{instance.extension}"


class Upload(models.Model):
    """A checked file (logo, photo, document). Served only through a view that checks permission."""

    class Purpose(models.TextChoices):
        LOGO = "logo", "Organisation logo"
        PHOTO = "photo", "Photo"
        DOCUMENT = "document", "Document"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    purpose = models.CharField(max_length=20, choices=Purpose.choices)
    file = models.FileField(upload_to=_upload_path, storage=private_storage)
    extension = models.CharField(max_length=10)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    original_name = models.CharField(max_length=200, help_text="Shown to people, never used as a path")
    owner_organisation = models.ForeignKey(
        "accounts.Organisation", null=True, blank=True, on_delete=models.CASCADE, related_name="uploads"
    )
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="uploads"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", blank=True
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.original_name
