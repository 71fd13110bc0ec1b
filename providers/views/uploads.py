"""Uploading a logo, photo or documents, and serving stored files only to those allowed them."""

from uuid import UUID

from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from providers import forms
from providers.exceptions import UploadRejected
from providers.models import Upload
from providers.permissions import ProviderContext, provider_context_for, provider_required
from providers.selectors.own import own_documents, upload_for_viewer
from providers.services.uploads import DOCUMENT_RULE, IMAGE_RULE, MEGABYTE, profile_picture_set, upload_store

TEMPLATES = "providers/self_service/"
IMAGE_HINT = f"A PNG or JPEG image, smaller than {IMAGE_RULE.max_bytes // MEGABYTE}MB"
DOCUMENT_HINT = f"A PDF, smaller than {DOCUMENT_RULE.max_bytes // MEGABYTE}MB"


@provider_required
@require_http_methods(["GET", "POST"])
def profile_picture(request: HttpRequest) -> HttpResponse:
    """A logo for an organisation, a photo for a personal assistant."""
    provider: ProviderContext = request.provider  # type: ignore[attr-defined]
    profile = provider.profile
    if profile is None:
        messages.info(request, "Write your profile first, then add your logo")
        return redirect("providers:profile-edit")
    noun = "photo" if provider.is_personal_assistant else "logo"
    form = forms.UploadForm(*_posted(request), label=f"Upload a {noun}", hint=IMAGE_HINT, accept=".png,.jpg,.jpeg")
    if request.method == "POST" and form.is_valid():
        try:
            profile_picture_set(profile=profile, actor=request.user, file=form.cleaned_data["file"])
        except UploadRejected as error:
            form.add_error("file", str(error))
        else:
            messages.success(request, f"Your {noun} has been saved")
            return redirect("providers:profile-edit")
    current = profile.photo if provider.is_personal_assistant else profile.logo
    return render(
        request,
        TEMPLATES + "profile_picture.html",
        {"form": form, "errors": forms.error_summary(form), "noun": noun, "current": current},
    )


@provider_required
@require_http_methods(["GET", "POST"])
def documents(request: HttpRequest) -> HttpResponse:
    """Documents the council's checkers may ask for, such as insurance certificates. Never public."""
    provider: ProviderContext = request.provider  # type: ignore[attr-defined]
    form = forms.UploadForm(*_posted(request), label="Upload a document", hint=DOCUMENT_HINT, accept=".pdf")
    if request.method == "POST" and form.is_valid():
        owner = (
            {"owner_user": provider.personal_assistant.user}
            if provider.is_personal_assistant
            else {"owner_organisation": provider.organisation}
        )
        try:
            upload = upload_store(
                actor=request.user, purpose=Upload.Purpose.DOCUMENT, file=form.cleaned_data["file"], **owner
            )
        except UploadRejected as error:
            form.add_error("file", str(error))
        else:
            messages.success(request, f"{upload.original_name} has been uploaded")
            return redirect("providers:documents")
    return render(
        request,
        TEMPLATES + "documents.html",
        {"form": form, "errors": forms.error_summary(form), "documents": own_documents(provider)},
    )


def _posted(request: HttpRequest) -> tuple:
    # An empty submission must still be checked, so that it says "Select a file".
    return (request.POST, request.FILES) if request.method == "POST" else (None, None)


@require_GET
def upload_serve(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """A stored file, for its owner; a published profile's logo or photo, for anyone. Others get 404.

    Not ``provider_required``: visitors must see the pictures on published profiles.
    """
    provider = provider_context_for(request) if request.user.is_authenticated else None
    upload = upload_for_viewer(public_id=public_id, provider=provider)
    is_document = upload.purpose == Upload.Purpose.DOCUMENT
    response = FileResponse(
        upload.file.open("rb"),
        content_type=upload.content_type,
        as_attachment=is_document,
        filename=upload.original_name if is_document else None,
    )
    response["X-Content-Type-Options"] = "nosniff"
    # Even if a browser were fooled into rendering the file as a page, it could run nothing.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store" if is_document else "private, max-age=300"
    return response
