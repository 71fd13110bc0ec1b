"""The enquiry pages: asking a provider about an offer, your messages, a conversation (reply, attach a
file, report a message, close it), the provider's list of enquiries waiting, and the council officers'
list of reported messages.

Every page works without JavaScript. Who may see what is decided in ``marketplace.enquiry_selectors``;
a conversation the user may not see answers 404.
"""

from datetime import datetime
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.exports import csv_filename, csv_response
from accounts.form_errors import add_service_errors
from accounts.models import User
from accounts.permissions import role_required
from accounts.roles import Role
from brokerage.selectors.people import people_for_user
from marketplace import enquiry_selectors as selectors
from marketplace.enquiry_selectors import ENQUIRER_ROLES, REPORT_ROLES, THREAD_ROLES
from marketplace.forms_enquiries import EnquiryForm, MessageForm, ReportForm, ReportResolveForm
from marketplace.models import Enquiry, EnquiryStatus, Message, ThreadSide
from marketplace.services import enquiries as services
from providers.permissions import ProviderContext, provider_required
from providers.selectors.public import public_offer_get

TEMPLATES = "marketplace/enquiries/"

# --- Asking a provider ---------------------------------------------------------------------------------


@role_required(*ENQUIRER_ROLES)
@require_http_methods(["GET", "POST"])
def enquiry_start(request: HttpRequest, offer_public_id: UUID) -> HttpResponse:
    offer = public_offer_get(public_id=offer_public_id)
    membership = request.acting  # type: ignore[attr-defined]
    is_young_person = membership.role == Role.YOUNG_PERSON
    people = [] if is_young_person else list(people_for_user(user=request.user, council=request.council))  # type: ignore[attr-defined]
    form = EnquiryForm(request.POST or None, people=people)
    if request.method == "POST" and form.is_valid():
        try:
            enquiry = services.enquiry_send(
                enquirer=request.user,
                membership=membership,
                offer=offer,
                question=form.cleaned_data["question"],
                person=form.chosen_person(),
                share=form.chosen_share(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, f"Your enquiry has been sent to {offer.provider_name}. We will email you when they reply."
            )
            return redirect("marketplace:enquiry", enquiry.public_id)
    return render(
        request,
        TEMPLATES + "start.html",
        {"offer": offer, "version": offer.live_version, "form": form, "is_young_person": is_young_person},
    )


# --- Your messages -------------------------------------------------------------------------------------


@role_required(*THREAD_ROLES)
@require_GET
def enquiry_list(request: HttpRequest) -> HttpResponse:
    threads = list(selectors.enquiry_threads_for(request.user))
    staff_of = {m.organisation_id for m in request.memberships if m.role == Role.PROVIDER_STAFF}  # type: ignore[attr-defined]
    is_provider = request.acting.role in selectors.PROVIDER_ROLES  # type: ignore[attr-defined]
    return render(
        request,
        TEMPLATES + "list.html",
        {
            "threads": [_thread_row(thread, request.user, staff_of) for thread in threads],
            "unread_total": sum(thread.unread_count for thread in threads),
            "is_provider": is_provider,
        },
    )


@role_required(*THREAD_ROLES)
@require_GET
def enquiry_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    enquiry = selectors.enquiry_get_for(user=request.user, public_id=public_id)
    response = _thread_page(request, enquiry, MessageForm())
    # After the page is drawn, so that this visit still shows which messages were new.
    services.enquiry_mark_read(enquiry=enquiry, user=request.user)
    return response


@role_required(*THREAD_ROLES)
@require_POST
def enquiry_reply(request: HttpRequest, public_id: UUID) -> HttpResponse:
    enquiry = selectors.enquiry_get_for(user=request.user, public_id=public_id)
    form = MessageForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.message_post(
                enquiry=enquiry,
                sender=request.user,
                body=form.cleaned_data["body"],
                attachment=form.cleaned_data["attachment"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Your message has been sent")
            return redirect("marketplace:enquiry", enquiry.public_id)
    return _thread_page(request, enquiry, form)


@role_required(*THREAD_ROLES)
@require_POST
def enquiry_close(request: HttpRequest, public_id: UUID) -> HttpResponse:
    enquiry = selectors.enquiry_get_for(user=request.user, public_id=public_id)
    try:
        services.enquiry_close(enquiry=enquiry, actor=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, "The conversation is closed")
    return redirect("marketplace:enquiry", enquiry.public_id)


@role_required(*THREAD_ROLES)
@require_GET
def enquiry_attachment(request: HttpRequest, public_id: UUID, upload_public_id: UUID) -> FileResponse:
    enquiry = selectors.enquiry_get_for(user=request.user, public_id=public_id)
    return _file_response(selectors.enquiry_attachment_get(enquiry=enquiry, upload_public_id=upload_public_id))


def _file_response(message: Message) -> FileResponse:
    upload = message.attachment
    return FileResponse(
        upload.file.open("rb"), content_type=upload.content_type, as_attachment=True, filename=upload.original_name
    )


@role_required(*THREAD_ROLES)
@require_http_methods(["GET", "POST"])
def message_report(request: HttpRequest, public_id: UUID, message_public_id: UUID) -> HttpResponse:
    enquiry = selectors.enquiry_get_for(user=request.user, public_id=public_id)
    message = selectors.enquiry_message_get(enquiry=enquiry, message_public_id=message_public_id)
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.message_report(message=message, reporter=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Thank you. The council's officers will look into the message you reported.")
            return redirect("marketplace:enquiry", enquiry.public_id)
    return render(
        request,
        TEMPLATES + "report.html",
        {"enquiry": enquiry, "thread": [_message_row(message, enquiry, request.user, mark_new=False)], "form": form},
    )


# --- The provider's enquiries --------------------------------------------------------------------------


@provider_required
@require_GET
def provider_enquiries(request: HttpRequest) -> HttpResponse:
    provider: ProviderContext = request.provider  # type: ignore[attr-defined]
    return render(
        request,
        TEMPLATES + "provider.html",
        {
            "waiting": selectors.enquiries_waiting_for_provider(provider),
            "others": selectors.enquiries_of_provider(provider).exclude(status=EnquiryStatus.OPEN),
            "overdue_after_days": selectors.OVERDUE_AFTER_DAYS,
        },
    )


_PROVIDER_CSV_HEADER = [
    "Reference",
    "Offer",
    "Received",
    "Status",
    "Waiting since",
    "Days waiting",
    "First name shared",
    "Age shared",
    "Needs shared",
    "Postcode area shared",
    "Last message",
]


@provider_required
@require_GET
def provider_enquiries_export(request: HttpRequest) -> HttpResponse:
    provider: ProviderContext = request.provider  # type: ignore[attr-defined]
    now = timezone.now()
    rows = [_provider_csv_row(enquiry, now) for enquiry in selectors.enquiries_of_provider(provider)]
    owner = provider.personal_assistant.display_name if provider.personal_assistant else provider.organisation.name
    filename = f"{slugify(owner) or 'provider'}-enquiries-{timezone.localdate().isoformat()}.csv"
    return csv_response(filename, _PROVIDER_CSV_HEADER, rows)


def _provider_csv_row(enquiry: Enquiry, now: datetime) -> list[object]:
    waiting = enquiry.status == EnquiryStatus.OPEN
    return [
        str(enquiry.public_id),
        str(enquiry.offer),
        timezone.localtime(enquiry.created_at).strftime("%Y-%m-%d %H:%M"),
        enquiry.get_status_display(),
        timezone.localtime(enquiry.status_changed_at).strftime("%Y-%m-%d %H:%M") if waiting else "",
        (now - enquiry.status_changed_at).days if waiting else "",
        enquiry.shared_first_name,
        enquiry.shared_age if enquiry.shared_age is not None else "",
        enquiry.shared_needs,
        enquiry.shared_area,
        timezone.localtime(enquiry.last_message_at).strftime("%Y-%m-%d %H:%M"),
    ]


# --- Reported messages, for the council's officers -----------------------------------------------------


@role_required(*REPORT_ROLES)
@require_GET
def report_list(request: HttpRequest) -> HttpResponse:
    council = request.council  # type: ignore[attr-defined]
    return render(
        request,
        TEMPLATES + "reports.html",
        {
            "reports": selectors.reports_for_council(council),
            "resolved": selectors.reports_for_council(council, resolved=True)[:20],
        },
    )


@role_required(*REPORT_ROLES)
@require_GET
def report_export(request: HttpRequest) -> HttpResponse:
    council = request.council  # type: ignore[attr-defined]
    reports = [*selectors.reports_for_council(council), *selectors.reports_for_council(council, resolved=True)]
    header = ["Reference", "Reported", "Offer", "Message from", "Reported by", "Reason", "Dealt with", "What was done"]
    rows = [
        [
            str(report.public_id),
            timezone.localtime(report.created_at).strftime("%Y-%m-%d %H:%M"),
            str(report.message.enquiry.offer),
            str(report.message.sender),
            str(report.reporter),
            report.reason,
            timezone.localtime(report.resolved_at).strftime("%Y-%m-%d %H:%M") if report.resolved_at else "",
            report.resolution,
        ]
        for report in reports
    ]
    return csv_response(csv_filename(council, "reported-messages"), header, rows)


@role_required(*REPORT_ROLES)
@require_http_methods(["GET", "POST"])
def report_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    report = selectors.report_get_for(council=request.council, public_id=public_id)  # type: ignore[attr-defined]
    form = ReportResolveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.message_report_resolve(
                report=report, officer=request.user, resolution=form.cleaned_data["resolution"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The report is recorded as dealt with")
            return redirect("marketplace:enquiry-reports")
    enquiry = report.message.enquiry
    return render(
        request,
        TEMPLATES + "report_detail.html",
        {
            "report": report,
            "enquiry": enquiry,
            "thread": [
                _message_row(message, enquiry, request.user, mark_new=False)
                for message in selectors.enquiry_messages(enquiry)
            ],
            "form": form,
        },
    )


@role_required(*REPORT_ROLES)
@require_GET
def report_attachment(request: HttpRequest, public_id: UUID, upload_public_id: UUID) -> FileResponse:
    """A file in the conversation of a report, for the officers looking into it."""
    report = selectors.report_get_for(council=request.council, public_id=public_id)  # type: ignore[attr-defined]
    message = selectors.enquiry_attachment_get(enquiry=report.message.enquiry, upload_public_id=upload_public_id)
    return _file_response(message)


# --- What the templates show ---------------------------------------------------------------------------


def _thread_page(request: HttpRequest, enquiry: Enquiry, form: MessageForm) -> HttpResponse:
    side = selectors.enquiry_side_of(enquiry=enquiry, user=request.user)
    read_at = selectors.enquiry_read_at(enquiry=enquiry, user=request.user)
    thread = [_message_row(message, enquiry, request.user, read_at) for message in selectors.enquiry_messages(enquiry)]
    return render(
        request,
        TEMPLATES + "thread.html",
        {
            "enquiry": enquiry,
            "thread": thread,
            "side": side,
            "is_provider": side == ThreadSide.PROVIDER,
            "is_reader_only": side is None,
            "can_write": side is not None and enquiry.status != EnquiryStatus.CLOSED,
            "with_name": _other_side_name(enquiry, side),
            "form": form,
        },
    )


def _other_side_name(enquiry: Enquiry, side: str | None) -> str:
    if side == ThreadSide.PROVIDER:
        return enquirer_label(enquiry)
    return enquiry.offer.provider_name


def enquirer_label(enquiry: Enquiry) -> str:
    """How the provider sees the enquirer, never with an email address: a family member or young person
    by first name and role only (a young person may be the enquirer); a broker or lead professional by
    name, role and organisation, as professionals."""
    membership = enquiry.enquirer_membership
    role = membership.get_role_display().split(" (")[0].lower()
    if membership.role in (Role.BROKER, Role.LEAD_PROFESSIONAL):
        return (
            f"{enquiry.enquirer.get_full_name() or enquiry.enquirer.first_name}, {role}, {membership.organisation.name}"
        )
    return f"{enquiry.enquirer.first_name or 'The enquirer'}, {role}"


def _message_row(
    message: Message, enquiry: Enquiry, viewer: User, read_at: datetime | None = None, *, mark_new: bool = True
) -> dict[str, object]:
    if message.side == ThreadSide.PROVIDER:
        sender = f"{message.sender.first_name}, {enquiry.offer.provider_name}"
    else:
        sender = enquirer_label(enquiry)
    return {
        "message": message,
        "sender": "You" if message.sender_id == viewer.pk else sender,
        "is_own": message.sender_id == viewer.pk,
        "is_new": mark_new and message.sender_id != viewer.pk and (read_at is None or message.created_at > read_at),
    }


def _thread_row(thread: Enquiry, user: User, staff_of: set[int]) -> dict[str, object]:
    answers_it = (
        thread.provider_personal_assistant_id is not None and thread.provider_personal_assistant.user_id == user.pk
    ) or thread.provider_organisation_id in staff_of
    return {
        "enquiry": thread,
        "with_name": enquirer_label(thread) if answers_it else thread.offer.provider_name,
        "unread_count": thread.unread_count,
    }
