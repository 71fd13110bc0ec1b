"""The bank-details pages, under /payments/bank-details/.

Payees: a provider's staff and a personal assistant see and change their own details ("yours/"); a
family's direct-payment account is changed by whoever holds consent, or a lead professional with access
to the child, or the council's budget-holding managers and finance officers ("family/<person>/").

Finance officers: the queue of details waiting for a call-back or approval (with its CSV download),
and each record's page, where one officer records the call-back and a second approves or rejects.

Only masked numbers are ever shown; every look at a record is in the audit history. Another council's
record or a person the user may not see answers 404; a role that may not use the page, 403.
"""

from collections.abc import Callable
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.exports import csv_filename, csv_response
from accounts.permissions import role_required
from accounts.roles import Role
from brokerage.models import PersonSupported
from brokerage.selectors.people import FAMILY_ROLES, RECORD_ROLES, is_family_of, person_get_for
from brokerage.services.people import record_view_log
from marketplace.payments import bank_accounts as services
from marketplace.payments import bank_selectors as selectors
from marketplace.payments.bank_accounts import Payee
from marketplace.payments.bank_forms import ApproveForm, BankDetailsForm, CallbackForm, RejectForm
from marketplace.payments.models import BankAccount, BankAccountStatus, PayeeKind
from marketplace.views.steps import form_step, posted
from providers.permissions import ProviderContext, provider_required

TEMPLATES = "marketplace/payments/bank/"
COUNCIL_MONEY_ROLES = (Role.BUDGET_HOLDING_MANAGER, Role.FINANCE_OFFICER)
# Who may give new details for a family: the consent holder, or council staff with access to the child.
# A broker sees the page but cannot change where the council sends the money.
FAMILY_ENTER_ROLES = (*FAMILY_ROLES, Role.LEAD_PROFESSIONAL, *COUNCIL_MONEY_ROLES)

finance_required = role_required(Role.FINANCE_OFFICER)


# --- The payee's page -------------------------------------------------------------------------------


@never_cache
@provider_required
@require_http_methods(["GET", "POST"])
def own_bank_details(request: HttpRequest) -> HttpResponse:
    provider: ProviderContext = request.provider  # type: ignore[attr-defined]
    if provider.personal_assistant is not None:
        payee = Payee(field="personal_assistant", record=provider.personal_assistant)
    else:
        payee = Payee(field="provider_organisation", record=provider.organisation)
    return _payee_page(request, payee, may_enter=True, back_url=reverse("providers:dashboard"), is_own=True)


@never_cache
@role_required(*RECORD_ROLES, *COUNCIL_MONEY_ROLES)
@require_http_methods(["GET", "POST"])
def family_bank_details(request: HttpRequest, public_id: UUID) -> HttpResponse:
    person = _person_for(request, public_id)
    role = request.acting.role  # type: ignore[attr-defined]
    is_family = role in FAMILY_ROLES and is_family_of(user=request.user, person=person)  # type: ignore[arg-type]
    if not is_family:
        record_view_log(person=person, viewer=request.user, what="direct-payment bank details")  # type: ignore[arg-type]
    may_enter = role in FAMILY_ENTER_ROLES and (is_family or role not in FAMILY_ROLES)
    if request.method == "POST" and not may_enter:
        raise PermissionDenied("Your role may not change where the council pays this family")
    payee = Payee(field="family", record=person)
    return _payee_page(request, payee, may_enter=may_enter, back_url="", is_own=is_family)


def _person_for(request: HttpRequest, public_id: UUID) -> PersonSupported:
    """Council money roles see their council's people; everyone else through consent (else 404)."""
    if request.acting.role in COUNCIL_MONEY_ROLES:  # type: ignore[attr-defined]
        return get_object_or_404(PersonSupported, council=request.council, public_id=public_id)  # type: ignore[attr-defined]
    return person_get_for(user=request.user, council=request.council, public_id=public_id)  # type: ignore[arg-type, attr-defined]


def _payee_page(request: HttpRequest, payee: Payee, *, may_enter: bool, back_url: str, is_own: bool) -> HttpResponse:
    council = services.payee_council(payee)
    form = BankDetailsForm(posted(request)) if may_enter else None

    def page() -> HttpResponse:
        details = selectors.payee_bank_details(payee)
        if request.method == "GET":
            services.bank_details_page_viewed(payee=payee, viewer=request.user, council=council)  # type: ignore[arg-type]
        context = {
            "payee": payee,
            "details": details,
            "form": form,
            "council": council,
            "back_url": back_url,
            "is_own": is_own,
            "statuses": BankAccountStatus,
        }
        return render(request, TEMPLATES + "payee.html", context)

    if form is None:
        return page()
    return form_step(
        request,
        form,
        act=lambda data: services.bank_details_submit(actor=request.user, council=council, **data, **payee.filter),  # type: ignore[arg-type]
        done=(
            f"{'Your' if is_own else 'The'} new bank details are saved. A finance officer will call "
            f"{'you' if is_own else 'the payee'} on a number already on record to check them before they are used."
        ),
        then=request.path,
        page=page,
    )


# --- The finance officers' queue ---------------------------------------------------------------------


@finance_required
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    state = selectors.state_or_waiting(request.GET.get("state", ""))
    accounts = selectors.bank_accounts_for_council(council=request.council, state=state)  # type: ignore[attr-defined]
    rows = [_queue_row(account) for account in accounts[:200]]
    return render(
        request,
        TEMPLATES + "queue.html",
        {"rows": rows, "state": state, "states": selectors.STATE_CHOICES, "total": accounts.count()},
    )


def _queue_row(account: BankAccount) -> dict[str, object]:
    return {
        "account": account,
        "payee": services.payee_of(account),
        "days": selectors.days_waiting(account),
    }


@finance_required
@require_GET
def queue_export(request: HttpRequest) -> HttpResponse:
    council = request.council  # type: ignore[attr-defined]
    state = selectors.state_or_waiting(request.GET.get("state", ""))
    accounts = list(selectors.bank_accounts_for_council(council=council, state=state))
    services.bank_details_exported(council=council, viewer=request.user, state=state, count=len(accounts))  # type: ignore[arg-type]
    header = [
        "Reference",
        "Payee",
        "Kind of payee",
        "Name on the account",
        "Sort code (masked)",
        "Account number (masked)",
        "Status",
        "Entered on",
        "Entered by",
        "Days since entered",
        "Call-back by",
        "Decided by",
        "Link",
    ]
    rows = (
        [
            str(account.public_id),
            services.payee_of(account).name,
            PayeeKind(account.payee_kind).label,
            account.account_name,
            account.sort_code_masked,
            account.account_number_masked,
            account.get_status_display(),
            account.entered_at.date().isoformat(),
            str(account.entered_by),
            selectors.days_waiting(account),
            str(account.callback_by or ""),
            str(account.decided_by or ""),
            request.build_absolute_uri(reverse("bank_details:detail", args=[account.public_id])),
        ]
        for account in accounts
    )
    return csv_response(csv_filename(council, f"bank-details-{state}"), header, rows)


# --- One record: call-back, approval, rejection ----------------------------------------------------------


@never_cache
@finance_required
@require_GET
def detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    return _detail_page(request, _account_for(request, public_id))


@finance_required
@require_POST
def record_callback(request: HttpRequest, public_id: UUID) -> HttpResponse:
    return _decision_step(
        request,
        public_id,
        CallbackForm,
        "callback_form",
        act=lambda account, data: services.bank_details_record_callback(account=account, actor=request.user, **data),  # type: ignore[arg-type]
        done="You have recorded the call-back. A second finance officer must now approve the details.",
    )


@finance_required
@require_POST
def approve(request: HttpRequest, public_id: UUID) -> HttpResponse:
    return _decision_step(
        request,
        public_id,
        ApproveForm,
        "approve_form",
        act=lambda account, data: services.bank_details_approve(account=account, actor=request.user),  # type: ignore[arg-type]
        done="You have approved the bank details. Payments to this payee now use them.",
    )


@finance_required
@require_POST
def reject(request: HttpRequest, public_id: UUID) -> HttpResponse:
    return _decision_step(
        request,
        public_id,
        RejectForm,
        "reject_form",
        act=lambda account, data: services.bank_details_reject(account=account, actor=request.user, **data),  # type: ignore[arg-type]
        done="You have rejected the bank details. The payee has been told why.",
    )


def _decision_step(
    request: HttpRequest,
    public_id: UUID,
    form_class: type[Form],
    form_name: str,
    *,
    act: Callable[[BankAccount, dict], object],
    done: str,
) -> HttpResponse:
    """A finance officer's step on the detail page: the form, re-shown there with its errors when invalid."""
    account = _account_for(request, public_id)
    form = form_class(posted(request))
    return form_step(
        request,
        form,
        act=lambda data: act(account, data),
        done=done,
        then=reverse("bank_details:detail", args=[account.public_id]),
        page=lambda: _detail_page(request, account, **{form_name: form}),
    )


def _account_for(request: HttpRequest, public_id: UUID) -> BankAccount:
    return selectors.bank_account_get_for_officer(council=request.council, public_id=public_id)  # type: ignore[attr-defined]


def _detail_page(
    request: HttpRequest,
    account: BankAccount,
    *,
    callback_form: Form | None = None,
    approve_form: Form | None = None,
    reject_form: Form | None = None,
) -> HttpResponse:
    services.bank_details_viewed(account=account, viewer=request.user)  # type: ignore[arg-type]
    payee = services.payee_of(account)
    forms = [form for form in (callback_form, approve_form, reject_form) if form is not None]
    context = {
        "account": account,
        "payee": payee,
        "kind_label": PayeeKind(account.payee_kind).label,
        "contacts": selectors.payee_contacts_on_record(payee),
        "current": selectors.payee_bank_details(payee).current,
        "days": selectors.days_waiting(account),
        "callback_form": callback_form or CallbackForm(),
        "approve_form": approve_form or ApproveForm(),
        "reject_form": reject_form or RejectForm(),
        "bound_forms": forms,
        "has_errors": any(form.errors for form in forms),
        "statuses": BankAccountStatus,
    }
    return render(request, TEMPLATES + "detail.html", context)
