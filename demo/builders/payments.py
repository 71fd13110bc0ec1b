"""Paying out in the demo: verified bank details for Coventry's payees, one change still waiting for its
call-back, a completed payment run with its remittances, and a run prepared by one finance officer and
waiting for the other to authorise it.

Everything goes through the services, as the finance team would do it: details entered by the payee,
called back by one finance officer and approved by the other; runs prepared by Neil (finance@) and
authorised by Priya (finance.authoriser@), so separation of duties holds in the demo as it would for real.
"""

from accounts.models import Organisation, User
from accounts.roles import Role
from brokerage.models import PersonSupported
from brokerage.services.consent import consent_holder
from demo.context import DemoContext
from demo.councils import COVENTRY
from marketplace.models import (
    BankAccount,
    Invoice,
    OneOffPurchase,
    PaymentRun,
    RunStatus,
)
from marketplace.payments.bank_accounts import (
    bank_details_approve,
    bank_details_record_callback,
    bank_details_submit,
)
from marketplace.payments.runs import (
    pay_on_choose,
    run_authorise,
    run_confirm_rest_paid,
    run_execute,
    run_prepare,
)
from marketplace.payments.selectors import payee_groups
from providers.models import PersonalAssistantProfile

PREPARER_LOGIN = "finance@coventry.demo"
AUTHORISER_LOGIN = "finance.authoriser@coventry.demo"
# Demo bank details: the sort codes are the ranges banks publish for testing (never a real account).
DEMO_SORT_CODE = "40-47-84"
CALLBACK_NOTE = "Called {name} on the number in our records; they confirmed the new account name and last digits."
# The one payee whose change of details is left waiting, so that the queue and a held payment show.
CHANGE_WAITING_NAME = "Earlsdon Cars"


def build(ctx: DemoContext) -> None:
    council = ctx.organisations[COVENTRY.slug]
    preparer, authoriser = ctx.users[PREPARER_LOGIN], ctx.users[AUTHORISER_LOGIN]
    verified = sum(_verified(ctx, council, payee, preparer, authoriser) for payee in _payees(council))
    ctx.tally.record("Verified bank details", created=verified, existing=0)
    waiting = _change_waiting(council)
    ctx.tally.record("Bank details waiting for a call-back", created=int(waiting), existing=int(not waiting))
    runs = _runs(council, preparer, authoriser)
    existing = 0 if runs else PaymentRun.objects.filter(council=council).count()
    ctx.tally.record("Payment runs", created=runs, existing=existing)


# --- Bank details -------------------------------------------------------------------------------


def _payees(council: Organisation) -> list[dict[str, object]]:
    """Everyone the council owes or will owe: providers and PAs with invoices, families with direct payments,
    and the suppliers of one-off purchases."""
    invoices = Invoice.objects.filter(order__person__council=council)
    payees: list[dict[str, object]] = [
        {"provider_organisation": organisation}
        for organisation in Organisation.objects.filter(invoices_issued__in=invoices).distinct().order_by("name")
    ]
    payees += [
        {"personal_assistant": pa}
        for pa in PersonalAssistantProfile.objects.filter(invoices__in=invoices).distinct().order_by("display_name")
    ]
    families = PersonSupported.objects.filter(
        council=council, budgets__allocations__dp_schedule__isnull=False
    ).distinct()
    payees += [{"family": person} for person in families.order_by("first_name")]
    payees += [
        {"one_off_purchase": purchase}
        for purchase in OneOffPurchase.objects.filter(person__council=council).order_by("requested_at")
    ]
    return payees


def _entered_by(payee: dict[str, object], council: Organisation, preparer: User) -> User:
    """Who gives the details: the provider's own staff, the PA, the family's consent holder; the finance
    officer keys in a one-off supplier's details from its invoice."""
    if organisation := payee.get("provider_organisation"):
        member = organisation.memberships.filter(is_active=True, role=Role.PROVIDER_STAFF).order_by("id").first()
        return member.user if member else preparer
    if pa := payee.get("personal_assistant"):
        return pa.user
    if person := payee.get("family"):
        holder = consent_holder(person)
        return holder.user if holder else preparer
    return preparer


def _account_name(payee: dict[str, object]) -> str:
    if organisation := payee.get("provider_organisation"):
        return organisation.name
    if pa := payee.get("personal_assistant"):
        return pa.user.get_full_name()
    if person := payee.get("family"):
        holder = consent_holder(person)
        return holder.user.get_full_name() if holder else f"{person.first_name} {person.last_name}"
    return payee["one_off_purchase"].supplier_name  # type: ignore[union-attr]


def _verified(
    ctx: DemoContext, council: Organisation, payee: dict[str, object], preparer: User, authoriser: User
) -> bool:
    """Give the payee verified details unless they have some already: True when made now."""
    if BankAccount.objects.filter(**payee).exists():
        return False
    account = bank_details_submit(
        actor=_entered_by(payee, council, preparer),
        council=council,
        account_name=_account_name(payee),
        sort_code=DEMO_SORT_CODE,
        account_number=f"{10_000_000 + BankAccount.objects.count() * 7919:08d}",
        **payee,
    )
    entered_by_finance = account.entered_by_id == preparer.pk
    # The two-person rule: whoever entered the details neither calls back nor approves them.
    if entered_by_finance:
        caller, approver = authoriser, _third_finance_officer(ctx, council)
    else:
        caller, approver = preparer, authoriser
    bank_details_record_callback(account=account, actor=caller, note=CALLBACK_NOTE.format(name=account.account_name))
    bank_details_approve(account=account, actor=approver)
    return True


def _third_finance_officer(ctx: DemoContext, council: Organisation) -> User:
    others = [
        user
        for user in ctx.people(council.slug, Role.FINANCE_OFFICER)
        if user.email not in (PREPARER_LOGIN, AUTHORISER_LOGIN)
    ]
    return others[0]


def _change_waiting(council: Organisation) -> bool:
    """The taxi firm has told us of a new account: its payments wait until a finance officer calls back."""
    organisation = Organisation.objects.filter(name=CHANGE_WAITING_NAME).first()
    if organisation is None or BankAccount.objects.filter(provider_organisation=organisation).count() != 1:
        return False
    member = organisation.memberships.filter(is_active=True, role=Role.PROVIDER_STAFF).order_by("id").first()
    if member is None:
        return False
    bank_details_submit(
        actor=member.user,
        council=council,
        account_name=organisation.name,
        sort_code=DEMO_SORT_CODE,
        account_number="20481632",
        provider_organisation=organisation,
    )
    return True


# --- Payment runs ------------------------------------------------------------------------------


def _runs(council: Organisation, preparer: User, authoriser: User) -> int:
    """A run paid and confirmed, so that providers have remittances and the prompt-payment figures have
    something to show; then a second run of whatever is still due, waiting for authorisation."""
    if PaymentRun.objects.filter(council=council).exists():
        return 0
    made = 0
    if _payable_now(council):
        run = run_prepare(council=council, actor=preparer)
        run_authorise(run=run, actor=authoriser)
        run = run_execute(run=run, actor=authoriser)
        if run.status == RunStatus.SENT:
            run_confirm_rest_paid(run=run, actor=preparer)
        made += 1
    if _payable_now(council):
        run_prepare(council=council, actor=preparer)
        made += 1
    return made


def _payable_now(council: Organisation) -> bool:
    """Somebody could be paid today: a run of held payees alone would pay nothing."""
    return any(not group.held for group in payee_groups(council=council, pay_on=pay_on_choose(None)))
