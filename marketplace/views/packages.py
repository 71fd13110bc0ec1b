"""The package builder's page and "Add to package": a draft plan built from shortlists (the worker's own
and those the family shared with them) or from an offer found on the find support page.

The page lives here because it reads shortlists, which brokerage may not; the plan, its rules and its
writes are brokerage's. A plan of a person the worker may not see answers 404 and roles without
casework get 403; a worker whose grant only lets them read sees the package but cannot change it (403).
"""

from dataclasses import dataclass
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from accounts.form_errors import add_service_errors, posted
from accounts.models import User
from accounts.templatetags.money import money_text
from brokerage.forms.packages import OfferReferenceForm, PackageLineForm
from brokerage.models import SupportPlan
from brokerage.selectors import packages as package_selectors
from brokerage.services.consent import consent_holder
from brokerage.services.packages import package_line_add
from brokerage.views.packages import plan_to_change
from brokerage.views.people import casework_required
from brokerage.views.plans import plan_for_request
from marketplace.shortlist_selectors import (
    ShortlistedOffer,
    shortlist_entries,
    shortlist_offer_get,
    shortlist_shared_entries,
    shortlist_shares_with,
    shortlisted_offers,
)


@dataclass
class ShortlistToBuildFrom:
    title: str
    offers: list[ShortlistedOffer]


def _shortlists(request: HttpRequest, plan: SupportPlan) -> list[ShortlistToBuildFrom]:
    """The worker's own shortlist, then those the person's consent holder shared with them."""
    today = timezone.localdate()
    user: User = request.user  # type: ignore[assignment]
    shortlists = [
        ShortlistToBuildFrom(
            "Your shortlist", shortlisted_offers(shortlist_entries(user=user, session=request.session), today=today)
        )
    ]
    holder = consent_holder(plan.person)
    for share in shortlist_shares_with(user):
        if holder is not None and share.shortlist.owner_id == holder.user_id:
            offers = shortlisted_offers(shortlist_shared_entries(share.shortlist), today=today)
            shortlists.append(ShortlistToBuildFrom(f"Shared by {share.shortlist.owner}", offers))
    return shortlists


@casework_required
def package(request: HttpRequest, public_id: UUID) -> HttpResponse:
    plan = plan_for_request(request, public_id)
    built = package_selectors.package_for(plan)
    can_change = package_selectors.may_change_package(
        user=request.user,  # type: ignore[arg-type]
        role=request.acting.role,  # type: ignore[attr-defined]
        plan=plan,
        day=timezone.localdate(),
    )
    return render(
        request,
        "marketplace/packages/builder.html",
        {
            "plan": plan,
            "package": built,
            "sheet": built.sheet,
            "can_change": can_change,
            "can_send": can_change and package_selectors.may_send_to_family(built),
            "shortlists": _shortlists(request, plan) if can_change else [],
            "reference_form": OfferReferenceForm(),
        },
    )


@casework_required
def package_add(request: HttpRequest, public_id: UUID) -> HttpResponse:
    plan = plan_to_change(request, public_id)
    reference = OfferReferenceForm(request.GET)
    if not reference.is_valid():
        messages.error(request, "Give the reference of an offer from the find support page")
        return redirect("marketplace:package", public_id=plan.public_id)
    offer = shortlist_offer_get(public_id=reference.cleaned_data["offer"])
    form = PackageLineForm(posted(request), plan=plan, offer=offer)
    if request.method == "POST" and form.is_valid():
        try:
            line, check = package_line_add(
                plan=plan,
                actor=request.user,  # type: ignore[arg-type]
                offer=offer,
                slots=form.slots(),
                **form.line_fields(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"You have added {line.description}, {money_text(line.total)}, to the package")
            for warning in check.warnings:
                messages.warning(request, warning)
            return redirect("marketplace:package", public_id=plan.public_id)
    return render(request, "marketplace/packages/add.html", {"plan": plan, "offer": offer, "form": form})
