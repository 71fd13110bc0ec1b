"""Commissioners' messages to providers: write, check the reach, send; the list, its CSV and each message.
Providers and personal assistants read the messages sent to them.

Writing is in two steps without JavaScript: "Check" shows how many organisations and personal assistants the
message will reach, and "Send message" sends it (the form's token makes a second send a no-op).
"""

from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from accounts.exports import csv_filename, csv_response
from accounts.form_errors import add_service_errors, posted
from accounts.permissions import role_required
from accounts.roles import PROVIDER_ROLES, Role
from marketplace import market_message_selectors as selectors
from marketplace.forms_market_messages import MarketMessageForm
from marketplace.services.market_messages import market_message_send

TEMPLATES = "marketplace/market_messages/"
commissioner_required = role_required(Role.COMMISSIONER)


@commissioner_required
@require_GET
def message_list(request: HttpRequest) -> HttpResponse:
    sent = selectors.messages_sent(request.council)  # type: ignore[attr-defined]
    return render(request, TEMPLATES + "list.html", {"sent": sent})


@commissioner_required
@require_GET
def message_export(request: HttpRequest) -> HttpResponse:
    council = request.council  # type: ignore[attr-defined]
    header = ["Sent", "Subject", "Sent to", "Organisations", "Personal assistants", "Event", "Sent by", "Page"]
    rows = (
        [
            message.sent_at.isoformat(timespec="minutes"),
            message.subject,
            message.audience,
            message.organisations,
            message.assistants,
            message.event_title,
            message.sent_by.get_full_name() if message.sent_by else "",
            request.build_absolute_uri(reverse("marketplace:market-message", args=[message.public_id])),
        ]
        for message in selectors.messages_sent(council)
    )
    return csv_response(csv_filename(council, "messages-to-providers"), header, rows)


@commissioner_required
@require_http_methods(["GET", "POST"])
def message_new(request: HttpRequest) -> HttpResponse:
    council = request.council  # type: ignore[attr-defined]
    form = MarketMessageForm(posted(request), council=council)
    step = request.POST.get("step", "")
    if request.method == "POST" and step != "change" and form.is_valid():
        if step == "send":
            try:
                message = market_message_send(
                    council=council,
                    sender=request.user,  # type: ignore[arg-type]
                    key=form.cleaned_data["token"],
                    subject=form.cleaned_data["subject"],
                    body=form.cleaned_data["body"],
                    category=form.category,
                    lot=form.lot,
                    event_page_id=form.cleaned_data["event"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, f"Your message was sent: {message.subject}")
                return redirect("marketplace:market-message", public_id=message.public_id)
        else:
            reach = form.reach(council)
            if reach.total:
                return render(request, TEMPLATES + "check.html", {"form": form, "reach": reach})
            form.add_error("audience", "No provider or personal assistant would receive this message")
    if step == "change":
        form = MarketMessageForm(initial=request.POST.dict(), council=council)
    return render(request, TEMPLATES + "new.html", {"form": form})


@commissioner_required
@require_GET
def message_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    message = selectors.message_sent_get(request.council, public_id)  # type: ignore[attr-defined]
    if message is None:
        raise Http404("No such message")
    return render(
        request, TEMPLATES + "detail.html", {"message": message, "recipients": selectors.recipients_of(message)}
    )


provider_required = role_required(*PROVIDER_ROLES)


@provider_required
@require_GET
def received_list(request: HttpRequest) -> HttpResponse:
    received = selectors.messages_received(request.acting)  # type: ignore[attr-defined]
    return render(request, TEMPLATES + "received.html", {"received": received})


@provider_required
@require_GET
def received_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    message = selectors.messages_received(request.acting).filter(public_id=public_id).first()  # type: ignore[attr-defined]
    if message is None:
        raise Http404("No such message")
    return render(request, TEMPLATES + "received_detail.html", {"message": message})
