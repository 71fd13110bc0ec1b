"""The shortlist pages: your shortlist (saved, or in your session before you sign in), adding and removing
offers, notes, comparing up to four offers, sharing with a broker or lead professional, and the
shortlists shared with you.

Every page works without JavaScript; with htmx, the "Add to shortlist" button swaps in place.
"""

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.exports import csv_response
from marketplace.services import shortlists as services
from marketplace.shortlist_forms import (
    ShortlistCompareForm,
    ShortlistNoteForm,
    ShortlistOfferForm,
    ShortlistShareForm,
)
from marketplace.shortlist_selectors import (
    ShortlistedOffer,
    ShortlistEntry,
    shortlist_entries,
    shortlist_item_get,
    shortlist_offer_get,
    shortlist_offer_name,
    shortlist_public_ids,
    shortlist_public_ids_forget,
    shortlist_share_candidates,
    shortlist_share_of_owner_get,
    shortlist_shared_entries,
    shortlist_shared_with_get,
    shortlist_shares_of,
    shortlist_shares_with,
    shortlisted_offers,
)

# --- Your shortlist -----------------------------------------------------------------------------------


@require_GET
def shortlist_detail(request: HttpRequest) -> HttpResponse:
    return _shortlist_page(request, _own_offers(request))


@require_GET
def shortlist_compare(request: HttpRequest) -> HttpResponse:
    offers = _own_offers(request)
    form = ShortlistCompareForm(request.GET, offers=offers)
    if not form.is_valid():
        return _shortlist_page(request, offers, compare_form=form)
    return _compare_page(request, offers, form, back_url=reverse("marketplace:shortlist"))


@require_GET
def shortlist_export(request: HttpRequest) -> HttpResponse:
    filename = f"shortlist-{timezone.localdate().isoformat()}.csv"
    return _csv(request, _own_offers(request), filename=filename, with_notes=True)


def _own_offers(request: HttpRequest) -> list[ShortlistedOffer]:
    entries = shortlist_entries(user=request.user, session=request.session)
    return shortlisted_offers(entries, today=timezone.localdate())


def _shortlist_page(
    request: HttpRequest, offers: list[ShortlistedOffer], compare_form: ShortlistCompareForm | None = None
) -> HttpResponse:
    signed_in = request.user.is_authenticated
    return render(
        request,
        "marketplace/shortlists/shortlist.html",
        {
            "offers": offers,
            "available_count": sum(1 for offer in offers if offer.available),
            "compare_form": compare_form or ShortlistCompareForm(offers=offers),
            "shares": shortlist_shares_of(request.user) if signed_in else [],
            "shared_with_me": shortlist_shares_with(request.user) if signed_in else [],
        },
    )


# --- Adding, removing and noting ----------------------------------------------------------------------


@require_POST
def shortlist_add(request: HttpRequest) -> HttpResponse:
    form = _offer_form(request)
    offer = shortlist_offer_get(public_id=form.cleaned_data["offer"])
    try:
        if request.user.is_authenticated:
            services.shortlist_offer_add(owner=request.user, offer=offer)
        else:
            services.session_shortlist_offer_add(session=request.session, offer=offer)
    except ValidationError as error:
        return _toggled(request, form, error.messages[0], level=messages.ERROR)
    return _toggled(request, form, f"{offer} is on your shortlist")


@require_POST
def shortlist_remove(request: HttpRequest) -> HttpResponse:
    form = _offer_form(request)
    public_id = form.cleaned_data["offer"]
    if request.user.is_authenticated:
        services.shortlist_offer_remove(owner=request.user, offer_public_id=public_id)
    else:
        services.session_shortlist_offer_remove(session=request.session, offer_public_id=public_id)
    return _toggled(request, form, "The offer is no longer on your shortlist")


def _offer_form(request: HttpRequest) -> ShortlistOfferForm:
    form = ShortlistOfferForm(request.POST)
    if not form.is_valid():
        raise Http404("No offer was chosen")
    return form


def _toggled(
    request: HttpRequest, form: ShortlistOfferForm, message: str, level: int = messages.SUCCESS
) -> HttpResponse:
    """With htmx, the new button and a status message; without, back to the page the button was on."""
    shortlist_public_ids_forget(request)
    next_url = _safe_next(request, form.cleaned_data.get("next") or "")
    if request.headers.get("HX-Request") == "true":
        return render(
            request,
            "marketplace/shortlists/toggle_response.html",
            {
                "offer_public_id": str(form.cleaned_data["offer"]),
                "offer_name": shortlist_offer_name(public_id=form.cleaned_data["offer"]),
                "shortlist_next": next_url,
                "shortlist_status": message,
                "shortlist_count": len(shortlist_public_ids(request)),
            },
        )
    messages.add_message(request, level, message)
    return redirect(next_url)


def _safe_next(request: HttpRequest, next_url: str) -> str:
    if next_url and url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return next_url
    return reverse("marketplace:shortlist")


@require_http_methods(["GET", "POST"])
def shortlist_note(request: HttpRequest, offer_public_id: UUID) -> HttpResponse:
    entry = _own_entry(request, offer_public_id)
    form = ShortlistNoteForm(request.POST or None, initial={"note": entry.note})
    if request.method == "POST" and form.is_valid():
        note = form.cleaned_data["note"]
        try:
            _note_save(request, offer_public_id, note)
        except ValidationError as error:
            form.add_error("note", error.messages[0])
        else:
            messages.success(request, "Your note is saved" if note.strip() else "Your note is removed")
            return redirect(reverse("marketplace:shortlist") + f"#offer-{offer_public_id}")
    [offer] = shortlisted_offers([entry], today=timezone.localdate())
    return render(request, "marketplace/shortlists/note.html", {"form": form, "offer": offer})


def _own_entry(request: HttpRequest, offer_public_id: UUID) -> ShortlistEntry:
    for entry in shortlist_entries(user=request.user, session=request.session):
        if entry.offer_public_id == str(offer_public_id):
            return entry
    raise Http404("This offer is not on your shortlist")


def _note_save(request: HttpRequest, offer_public_id: UUID, note: str) -> None:
    if request.user.is_authenticated:
        item = shortlist_item_get(owner=request.user, offer_public_id=offer_public_id)
        services.shortlist_note_set(item=item, note=note)
    else:
        services.session_shortlist_note_set(session=request.session, offer_public_id=offer_public_id, note=note)


# --- Sharing ------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def shortlist_share(request: HttpRequest) -> HttpResponse:
    candidates = list(shortlist_share_candidates(request.user))
    form = ShortlistShareForm(request.POST or None, candidates=candidates)
    if request.method == "POST" and form.is_valid():
        try:
            share = services.shortlist_share(owner=request.user, recipient_membership=form.recipient_membership())
        except ValidationError as error:
            form.add_error("recipient", error.message_dict.get("recipient", error.messages)[0])
        else:
            messages.success(request, f"Your shortlist is shared with {share.recipient}. We have told them by email.")
            return redirect("marketplace:shortlist")
    has_offers = any(offer.available for offer in _own_offers(request))
    return render(
        request,
        "marketplace/shortlists/share.html",
        {"form": form, "candidates": candidates, "has_offers": has_offers},
    )


@login_required
@require_POST
def shortlist_share_stop(request: HttpRequest, share_public_id: UUID) -> HttpResponse:
    share = shortlist_share_of_owner_get(public_id=share_public_id, owner=request.user)
    services.shortlist_share_stop(share=share, actor=request.user)
    messages.success(request, f"You no longer share your shortlist with {share.recipient}")
    return redirect("marketplace:shortlist")


# --- Shortlists shared with you -----------------------------------------------------------------------


@login_required
@require_GET
def shortlists_shared(request: HttpRequest) -> HttpResponse:
    return render(request, "marketplace/shortlists/shared_list.html", {"shares": shortlist_shares_with(request.user)})


@login_required
@require_GET
def shortlist_shared_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    shortlist = shortlist_shared_with_get(public_id=public_id, user=request.user)
    offers = shortlisted_offers(shortlist_shared_entries(shortlist), today=timezone.localdate())
    return _shared_page(request, shortlist, offers)


@login_required
@require_GET
def shortlist_shared_compare(request: HttpRequest, public_id: UUID) -> HttpResponse:
    shortlist = shortlist_shared_with_get(public_id=public_id, user=request.user)
    offers = shortlisted_offers(shortlist_shared_entries(shortlist), today=timezone.localdate())
    form = ShortlistCompareForm(request.GET, offers=offers)
    if not form.is_valid():
        return _shared_page(request, shortlist, offers, compare_form=form)
    back_url = reverse("marketplace:shortlist-shared", args=[shortlist.public_id])
    return _compare_page(request, offers, form, back_url=back_url, owner=shortlist.owner)


@login_required
@require_GET
def shortlist_shared_export(request: HttpRequest, public_id: UUID) -> HttpResponse:
    shortlist = shortlist_shared_with_get(public_id=public_id, user=request.user)
    offers = shortlisted_offers(shortlist_shared_entries(shortlist), today=timezone.localdate())
    filename = f"shared-shortlist-{timezone.localdate().isoformat()}.csv"
    return _csv(request, offers, filename=filename, with_notes=False)


def _shared_page(
    request: HttpRequest,
    shortlist: object,
    offers: list[ShortlistedOffer],
    compare_form: ShortlistCompareForm | None = None,
) -> HttpResponse:
    return render(
        request,
        "marketplace/shortlists/shared_detail.html",
        {
            "shortlist": shortlist,
            "offers": offers,
            "available_count": sum(1 for offer in offers if offer.available),
            "compare_form": compare_form or ShortlistCompareForm(offers=offers),
        },
    )


# --- Comparing and exporting --------------------------------------------------------------------------


def _compare_page(
    request: HttpRequest,
    offers: list[ShortlistedOffer],
    form: ShortlistCompareForm,
    *,
    back_url: str,
    owner: object = None,
) -> HttpResponse:
    chosen = set(form.cleaned_data["offer"])
    compared = [offer for offer in offers if offer.public_id in chosen]
    return render(
        request,
        "marketplace/shortlists/compare.html",
        {"offers": compared, "back_url": back_url, "owner": owner},
    )


_CSV_HEADER = [
    "Offer",
    "Provider",
    "Provider type",
    "Prices",
    "Kind of support",
    "Ages",
    "Days and times",
    "Where",
    "Area",
    "Badges",
    "Places or hours free now",
    "Web page",
]


def _csv(request: HttpRequest, offers: list[ShortlistedOffer], *, filename: str, with_notes: bool) -> HttpResponse:
    header = [*_CSV_HEADER, "Your note"] if with_notes else _CSV_HEADER
    rows = []
    for offer in offers:
        row = _csv_row(request, offer)
        rows.append([*row, offer.note] if with_notes else row)
    return csv_response(filename, header, rows)


def _csv_row(request: HttpRequest, offer: ShortlistedOffer) -> list[str]:
    if not offer.available:
        return ["No longer available", *[""] * (len(_CSV_HEADER) - 1)]
    return [
        offer.name,
        offer.provider_name,
        "Personal assistant" if offer.is_by_personal_assistant else "Provider organisation",
        "; ".join(offer.prices),
        "; ".join(offer.categories),
        offer.ages,
        "; ".join(offer.days),
        "; ".join(offer.attending),
        "; ".join(offer.areas),
        "; ".join(badge.label for badge in offer.badges),
        offer.capacity,
        request.build_absolute_uri(offer.url),
    ]
