"""Council administration: a council administrator looks after the organisations registered with
their council, the people in them and their roles.

Every page acts within ``request.council`` (set by ``role_required``); records are reached only
through council-scoped selectors, so another council's organisation or user answers 404.
"""

from collections.abc import Callable
from datetime import datetime
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts import selectors, services
from accounts.exports import csv_filename, csv_response, query_string_without_page
from accounts.filters import CouncilUserFilter, OrganisationFilter
from accounts.form_errors import add_service_errors
from accounts.manage_forms import (
    InviteForm,
    OrganisationCreateForm,
    OrganisationUpdateForm,
    ReasonForm,
    RoleInOrganisationForm,
)
from accounts.models import Membership
from accounts.permissions import role_required
from accounts.roles import Role

PAGE_SIZE = 25
admin_required = role_required(Role.COUNCIL_ADMIN)


# --- Organisations --------------------------------------------------------------------------------


@admin_required
def organisation_list(request: HttpRequest) -> HttpResponse:
    organisations = selectors.organisations_for_council(council=request.council, filters=request.GET)
    return render(
        request,
        "accounts/manage/organisation_list.html",
        {
            "filter_form": OrganisationFilter(request.GET).form,
            "page_obj": Paginator(organisations, PAGE_SIZE).get_page(request.GET.get("page")),
            "query_string": query_string_without_page(request),
        },
    )


@admin_required
def organisation_csv(request: HttpRequest) -> HttpResponse:
    organisations = selectors.organisations_for_council(council=request.council, filters=request.GET)
    rows = (
        [
            o.name,
            o.get_kind_display(),
            "Open" if o.is_active else "Closed",
            o.member_count,
            o.email,
            o.phone,
            _date(o.created_at),
        ]
        for o in organisations
    )
    header = ["Name", "Kind", "Status", "Active members", "Email", "Phone", "Registered on"]
    return csv_response(csv_filename(request.council, "organisations"), header, rows)


@admin_required
def organisation_create(request: HttpRequest) -> HttpResponse:
    form = OrganisationCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            organisation = services.organisation_create(
                actor=request.user, council=request.council, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{organisation.name} is now registered with {request.council}")
            return redirect("accounts:manage-organisation", public_id=organisation.public_id)
    return render(request, "accounts/manage/organisation_create.html", {"form": form})


@admin_required
def organisation_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    organisation = selectors.organisation_get_for_council(council=request.council, public_id=public_id)
    return render(
        request,
        "accounts/manage/organisation_detail.html",
        {
            "organisation": organisation,
            "memberships": selectors.organisation_memberships(organisation=organisation),
            "history": selectors.audit_events_for_organisation(council=request.council, organisation=organisation),
        },
    )


@admin_required
def organisation_edit(request: HttpRequest, public_id: UUID) -> HttpResponse:
    organisation = selectors.organisation_get_for_council(council=request.council, public_id=public_id)
    form = OrganisationUpdateForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            services.organisation_update(
                actor=request.user, council=request.council, organisation=organisation, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Your changes to {form.cleaned_data['name']} have been saved")
            return redirect("accounts:manage-organisation", public_id=organisation.public_id)
    return render(request, "accounts/manage/organisation_edit.html", {"form": form, "organisation": organisation})


# --- Users ----------------------------------------------------------------------------------------


@admin_required
def user_list(request: HttpRequest) -> HttpResponse:
    users = selectors.users_for_council(council=request.council, filters=request.GET)
    filter_form = CouncilUserFilter(
        request.GET, council_organisations=selectors.council_organisations(request.council)
    ).form
    return render(
        request,
        "accounts/manage/user_list.html",
        {
            "filter_form": filter_form,
            "page_obj": Paginator(users, PAGE_SIZE).get_page(request.GET.get("page")),
            "query_string": query_string_without_page(request),
        },
    )


@admin_required
def user_csv(request: HttpRequest) -> HttpResponse:
    users = selectors.users_for_council(council=request.council, filters=request.GET)
    rows = (
        [
            user.get_full_name(),
            user.email,
            "; ".join(_membership_label(m) for m in user.council_memberships),
            "Invited, no password yet" if services.user_invitation_is_pending(user) else "Has signed up",
            _date(user.last_login),
        ]
        for user in users
    )
    header = ["Name", "Email", "Roles in your council", "Account", "Last signed in"]
    return csv_response(csv_filename(request.council, "users"), header, rows)


@admin_required
def user_invite(request: HttpRequest) -> HttpResponse:
    organisations = selectors.council_organisations(request.council).active()
    form = InviteForm(
        request.POST or None, organisations=organisations, initial={"organisation": request.GET.get("organisation")}
    )
    if request.method == "POST" and form.is_valid():
        try:
            invitation = services.user_invite(actor=request.user, council=request.council, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            user = invitation.membership.user
            if invitation.is_new_user:
                messages.success(request, f"We have sent an invitation to {user.email}")
            else:
                messages.success(request, f"{user.email} already had an account. We have added the role to it")
            return redirect("accounts:manage-user", public_id=user.public_id)
    return render(
        request,
        "accounts/manage/user_invite.html",
        {"form": form, "invitation_valid_hours": services.INVITATION_VALID_HOURS},
    )


@admin_required
def user_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    person = selectors.user_get_for_council(council=request.council, public_id=public_id)
    return render(
        request,
        "accounts/manage/user_detail.html",
        {
            "person": person,
            "memberships": person.council_memberships,
            "invitation_pending": services.user_invitation_is_pending(person),
            "invitation_valid_hours": services.INVITATION_VALID_HOURS,
            "history": selectors.audit_events_for_user(council=request.council, user=person),
        },
    )


@admin_required
def membership_add(request: HttpRequest, public_id: UUID) -> HttpResponse:
    person = selectors.user_get_for_council(council=request.council, public_id=public_id)
    organisations = selectors.council_organisations(request.council).active()
    form = RoleInOrganisationForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        try:
            membership = services.membership_add(
                actor=request.user, council=request.council, user=person, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{person} is now {_membership_label(membership).lower()}")
            return redirect("accounts:manage-user", public_id=person.public_id)
    return render(request, "accounts/manage/membership_add.html", {"form": form, "person": person})


@admin_required
@require_POST
def user_invitation_resend(request: HttpRequest, public_id: UUID) -> HttpResponse:
    person = selectors.user_get_for_council(council=request.council, public_id=public_id)
    try:
        services.user_invitation_resend(actor=request.user, council=request.council, user=person)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"We have sent the invitation to {person.email} again")
    return redirect("accounts:manage-user", public_id=person.public_id)


# --- Ending and reactivating roles ----------------------------------------------------------------


@admin_required
def membership_end(request: HttpRequest, public_id: UUID) -> HttpResponse:
    return _membership_change(
        request,
        public_id,
        service=services.membership_end,
        template="accounts/manage/membership_end.html",
        required_message="Enter why you are ending this role",
        done="has ended",
    )


@admin_required
def membership_reactivate(request: HttpRequest, public_id: UUID) -> HttpResponse:
    return _membership_change(
        request,
        public_id,
        service=services.membership_reactivate,
        template="accounts/manage/membership_reactivate.html",
        required_message="Enter why you are reactivating this role",
        done="is active again",
    )


def _membership_change(
    request: HttpRequest,
    public_id: UUID,
    *,
    service: Callable[..., Membership],
    template: str,
    required_message: str,
    done: str,
) -> HttpResponse:
    """A confirmation page with a reason, then one membership service; both pages work alike."""
    membership = selectors.membership_get_for_council(council=request.council, public_id=public_id)
    form = ReasonForm(request.POST or None, required_message=required_message)
    if request.method == "POST" and form.is_valid():
        try:
            service(actor=request.user, council=request.council, membership=membership, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{membership.user}'s role as {_membership_label(membership).lower()} {done}")
            return redirect("accounts:manage-user", public_id=membership.user.public_id)
    return render(request, template, {"form": form, "membership": membership, "person": membership.user})


# --- Helpers --------------------------------------------------------------------------------------


def _membership_label(membership: Membership) -> str:
    label = f"{membership.get_role_display()} at {membership.organisation}"
    return label if membership.is_active else f"{label} (ended)"


def _date(moment: datetime | None) -> str:
    return timezone.localtime(moment).date().isoformat() if moment else ""
