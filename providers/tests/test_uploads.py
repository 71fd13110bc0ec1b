"""Uploads: the bytes must be what the name says and within the size limit; files are stored under
generated names and served only to those allowed them, never sniffed as something else."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from accounts.roles import Role
from accounts.tests.factories import MembershipFactory, user_with_role
from providers.exceptions import UploadRejected
from providers.models import PersonalAssistantProfile, ProfileStatus, Upload
from providers.services.profiles import profile_approve, profile_submit
from providers.services.uploads import profile_picture_set, upload_store
from providers.tests.factories import PersonalAssistantProfileFactory, ProviderProfileFactory

pytestmark = pytest.mark.django_db

MB = 1024 * 1024


@pytest.fixture(autouse=True)
def media_in_a_temporary_folder(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def alice():
    """Alice works for Bright Steps."""
    profile = ProviderProfileFactory()
    return user_with_role(Role.PROVIDER_STAFF, organisation=profile.organisation)


@pytest.fixture
def bob():
    """Bob works for another provider."""
    profile = ProviderProfileFactory()
    return user_with_role(Role.PROVIDER_STAFF, organisation=profile.organisation)


@pytest.fixture
def sam():
    profile = PersonalAssistantProfileFactory()
    MembershipFactory(user=profile.user, organisation=profile.council, role=Role.PERSONAL_ASSISTANT)
    return profile.user


def image_bytes(image_format: str = "PNG", size: tuple[int, int] = (20, 10)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (29, 112, 184)).save(buffer, image_format)
    return buffer.getvalue()


def pdf_bytes() -> bytes:
    return b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def organisation_of(user):  # type: ignore[no-untyped-def]
    return user.memberships.get().organisation


def test_a_real_png_logo_is_stored_under_a_generated_name(client, alice):
    client.force_login(alice)

    response = client.post(
        "/providers/profile/picture/", {"file": SimpleUploadedFile("our logo.png", image_bytes(), "image/png")}
    )

    assert response.status_code == 302
    upload = Upload.objects.get()
    assert (upload.purpose, upload.content_type, upload.extension) == ("logo", "image/png", ".png")
    assert upload.original_name == "our logo.png"
    assert upload.file.name == f"uploads/{upload.public_id.hex[:2]}/{upload.public_id.hex}.png"
    assert upload.owner_organisation == organisation_of(alice)
    assert organisation_of(alice).provider_profile.logo == upload


def test_a_jpeg_photo_is_stored_as_a_jpeg_whatever_the_browser_claimed(client, sam):
    client.force_login(sam)

    client.post(
        "/providers/profile/picture/",
        {"file": SimpleUploadedFile("me.jpeg", image_bytes("JPEG"), "application/octet-stream")},
    )

    upload = Upload.objects.get()
    assert (upload.purpose, upload.content_type, upload.extension) == ("photo", "image/jpeg", ".jpg")
    assert upload.owner_user == sam
    assert PersonalAssistantProfile.objects.get(user=sam).photo == upload


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("logo.png", b"this is plain text, not a picture", "this one is not what its name says"),
        ("logo.png", image_bytes("JPEG"), "this one is not what its name says"),
        ("logo.png", image_bytes()[:60], "this one is not what its name says"),
        ("logo.gif", image_bytes("GIF"), "The file must be a PNG or JPEG image"),
        ("logo.svg", b"<svg xmlns='http://www.w3.org/2000/svg'></svg>", "The file must be a PNG or JPEG image"),
        ("logo", image_bytes(), "The file must be a PNG or JPEG image"),
        ("logo.png", b"\x89PNG" + b"0" * (2 * MB), "The file must be smaller than 2MB"),
        ("logo.png", b"", "The selected file is empty"),
    ],
)
def test_a_logo_that_is_not_a_small_png_or_jpeg_is_refused_with_a_form_error(client, alice, name, content, message):
    client.force_login(alice)

    response = client.post("/providers/profile/picture/", {"file": SimpleUploadedFile(name, content, "image/png")})

    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: " in html
    assert 'href="#id_file"' in html
    assert message in html
    assert not Upload.objects.exists()
    assert organisation_of(alice).provider_profile.logo is None


def test_no_file_selected_is_explained(client, alice):
    client.force_login(alice)

    response = client.post("/providers/profile/picture/", {})

    assert "Select a file" in response.content.decode()


def test_a_pdf_document_is_accepted_and_listed(client, alice):
    client.force_login(alice)

    client.post("/providers/documents/", {"file": SimpleUploadedFile("insurance.pdf", pdf_bytes(), "application/pdf")})

    upload = Upload.objects.get()
    assert (upload.purpose, upload.content_type) == ("document", "application/pdf")
    html = client.get("/providers/documents/").content.decode()
    assert "insurance.pdf" in html
    assert f'href="/providers/uploads/{upload.public_id}/"' in html


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("insurance.pdf", b"<html>not a pdf</html>", "this one is not what its name says"),
        ("insurance.docx", pdf_bytes(), "The file must be a PDF"),
        ("insurance.pdf", b"%PDF-" + b"0" * (5 * MB), "The file must be smaller than 5MB"),
    ],
)
def test_a_document_that_is_not_a_small_pdf_is_refused(client, alice, name, content, message):
    client.force_login(alice)

    response = client.post("/providers/documents/", {"file": SimpleUploadedFile(name, content, "application/pdf")})

    assert message in response.content.decode()
    assert not Upload.objects.exists()


def test_the_uploader_s_file_name_never_becomes_a_path(alice):
    upload = upload_store(
        actor=alice,
        purpose=Upload.Purpose.DOCUMENT,
        file=SimpleUploadedFile("../../etc/evil\x00.pdf", pdf_bytes()),
        owner_organisation=organisation_of(alice),
    )

    assert upload.original_name == "evil.pdf"
    assert ".." not in upload.file.name
    assert upload.file.name.startswith("uploads/")


def test_an_upload_needs_exactly_one_owner(alice):
    with pytest.raises(ValueError, match="one organisation or one person"):
        upload_store(actor=alice, purpose=Upload.Purpose.DOCUMENT, file=SimpleUploadedFile("a.pdf", pdf_bytes()))


def test_the_service_refuses_a_fake_image_even_without_the_form(alice):
    with pytest.raises(UploadRejected):
        profile_picture_set(
            profile=organisation_of(alice).provider_profile,
            actor=alice,
            file=SimpleUploadedFile("logo.png", b"GIF89a not really"),
        )


# --- Serving ----------------------------------------------------------------------------------------


def _document_of(user):  # type: ignore[no-untyped-def]
    return upload_store(
        actor=user,
        purpose=Upload.Purpose.DOCUMENT,
        file=SimpleUploadedFile("insurance.pdf", pdf_bytes()),
        owner_organisation=organisation_of(user),
    )


def _logo_of(user):  # type: ignore[no-untyped-def]
    return profile_picture_set(
        profile=organisation_of(user).provider_profile, actor=user, file=SimpleUploadedFile("logo.png", image_bytes())
    )


def test_the_owner_downloads_a_document_as_an_attachment_that_is_never_sniffed(client, alice):
    document = _document_of(alice)
    client.force_login(alice)

    response = client.get(f"/providers/uploads/{document.public_id}/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="insurance.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == pdf_bytes()


def test_another_provider_and_visitors_get_404_for_a_document(access, alice, bob):
    document = _document_of(alice)
    url = f"/providers/uploads/{document.public_id}/"

    access.not_found(bob, url)
    access.not_found(None, url)
    access.not_found(user_with_role(Role.FAMILY_MEMBER), url)


def test_a_draft_profile_s_logo_is_only_for_its_owner(access, alice, bob):
    logo = _logo_of(alice)
    url = f"/providers/uploads/{logo.public_id}/"

    access.ok(alice, url)
    access.not_found(bob, url)
    access.not_found(None, url)


def test_a_published_profile_s_logo_is_for_everyone(client, alice):
    logo = _logo_of(alice)
    profile = organisation_of(alice).provider_profile
    profile_submit(profile=profile, actor=alice)
    profile_approve(profile=profile, actor=user_with_role(Role.QA_OFFICER))
    profile.refresh_from_db()
    assert profile.status == ProfileStatus.PUBLISHED

    response = client.get(f"/providers/uploads/{logo.public_id}/")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert not response["Content-Disposition"].startswith("attachment")


def test_a_personal_assistant_s_photo_is_theirs_alone_until_published(access, sam, bob):
    photo = profile_picture_set(profile=sam.pa_profile, actor=sam, file=SimpleUploadedFile("me.png", image_bytes()))
    url = f"/providers/uploads/{photo.public_id}/"

    access.ok(sam, url)
    access.not_found(bob, url)


def test_an_unknown_file_answers_404(access, alice):
    access.not_found(alice, "/providers/uploads/00000000-0000-0000-0000-000000000000/")


def test_uploads_are_stored_outside_the_public_media_folder(settings):
    from pathlib import Path

    from providers.models import Upload

    storage = Upload._meta.get_field("file").storage
    private_root = Path(storage.location).resolve()

    assert not private_root.is_relative_to(Path(settings.MEDIA_ROOT).resolve())
