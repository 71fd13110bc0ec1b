"""What the load test's simulated people need, on top of the demo data: invoices waiting for the families to
approve, and the list of who signs in as whom with which records to open (the "plan" the locustfile reads).

Run in a process of its own under the load test's settings (``python -m benchmarks.load.data PLAN.json``),
after ``manage.py demo_data``, so that everything is written as the site under test will read it (the same
secret key for the encrypted fields, the same password hasher). Everything goes through the services, as a
provider submitting an invoice would.

The plan holds no secret beyond the demo's, which are public (demo/logins.py, demo/mfa.py).
"""

import datetime
import json
import sys
import time
from decimal import Decimal
from pathlib import Path

INVOICES_PER_ORDER = 60  # enough for the families to approve one every few seconds for the whole run
PAYMENT_RUN_PREPARER = "finance@coventry.demo"
PAYMENT_RUN_AUTHORISER = "finance.authoriser@coventry.demo"
COUNCIL_DOMAIN = "@coventry.demo"


def _members(role: str, *, exclude: tuple[str, ...] = ()) -> list[str]:
    """The Coventry sign-ins of a role (council staff, families, brokers and providers working there)."""
    from accounts.models import Membership
    from demo.councils import COVENTRY

    council = COVENTRY.organisation.name
    emails = (
        Membership.objects.filter(role=role, is_active=True, user__is_active=True)
        .filter(organisation__name=council)
        .values_list("user__email", flat=True)
    )
    return sorted(set(emails) - set(exclude))


def _provider_members() -> list[str]:
    """Staff of the providers that hold orders from Coventry's families."""
    from accounts.models import Membership
    from accounts.roles import Role
    from marketplace.models import Order

    organisations = Order.objects.filter(person__council__name__startswith="Coventry").values("provider_organisation")
    emails = Membership.objects.filter(
        role=Role.PROVIDER_STAFF, is_active=True, organisation__in=organisations
    ).values_list("user__email", flat=True)
    return sorted(set(emails))


def _invoices_waiting() -> dict[str, list[str]]:
    """Submit ``INVOICES_PER_ORDER`` small invoices on each accepted order of a Coventry family, each within
    what the order has left, as the provider would. A third of those to a provider with verified bank details
    are approved by the family now, so that the payment run in the middle of the test has something to pay
    even if the simulated families approved none; the rest wait, and their ids are returned under the email of
    the consent holder who approves them (the link in the email the family gets)."""
    from brokerage.services.consent import consent_holder
    from marketplace.models import BankAccount, Invoice, Order
    from marketplace.services.deliveries import delivery_record
    from marketplace.services.invoices import (
        INVOICEABLE_ORDER_STATUSES,
        LineInput,
        invoice_approve,
        invoice_submit,
        vat_is_charged,
    )
    from marketplace.services.orders import provider_users

    waiting: dict[str, list[str]] = {}
    orders = Order.objects.filter(
        status__in=INVOICEABLE_ORDER_STATUSES, person__council__name__startswith="Coventry"
    ).select_related("person")
    stamp = f"{time.time():.0f}"  # invoice numbers are unique per provider: a second set-up gets new ones
    for order in orders:
        holder = consent_holder(order.person)
        providers = provider_users(order)
        if holder is None or not providers or not order.invoices_expected or vat_is_charged(order.vat_status):
            continue  # (an invoice charging VAT needs the provider's VAT number: leave those orders alone)
        invoiced = sum(invoice.total for invoice in Invoice.objects.filter(order=order).exclude(status="refused"))
        room = order.units * order.rate - invoiced
        count = min(INVOICES_PER_ORDER, int(room // order.rate)) if order.rate else 0
        day = min(order.ends_on or datetime.date.today(), datetime.date.today())
        paid_by_bank = BankAccount.objects.filter(
            provider_organisation=order.provider_organisation_id, status="verified"
        ).exists()
        if order.starts_on and order.starts_on > day:
            continue  # nothing can have been delivered yet
        for number in range(count):
            # The session delivered, then its invoice, so that the invoice is within what was delivered.
            delivery_record(order=order, actor=providers[0], delivered_on=day, units=Decimal(1), notes="Load test")
            invoice = invoice_submit(
                order=order,
                actor=providers[0],
                number=f"LOAD-{order.pk}-{stamp}-{number + 1}",
                issued_on=day,
                due_on=day,
                lines=[LineInput(day, Decimal(1), order.rate, "Load test session")],
            )
            if number < count // 3 and paid_by_bank:
                invoice_approve(invoice=invoice, actor=holder.user)  # approved already: the payment run pays it
            else:
                waiting.setdefault(holder.user.email, []).append(str(invoice.public_id))
    return waiting


def _plans_to_edit(emails: list[str]) -> dict[str, list[str]]:
    """Draft plans each broker may change (their caseload's), by email."""
    from django.utils import timezone

    from accounts.models import Membership, User
    from accounts.roles import Role
    from brokerage.models import SupportPlan
    from brokerage.selectors.plans import may_change_plans_of

    plans: dict[str, list[str]] = {}
    drafts = SupportPlan.objects.filter(status="draft", person__council__name__startswith="Coventry").select_related(
        "person"
    )
    for user in User.objects.filter(email__in=emails):
        if not Membership.objects.filter(user=user, role=Role.BROKER, is_active=True).exists():
            continue
        day = timezone.localdate()
        plans[user.email] = [
            str(plan.public_id)
            for plan in drafts
            if may_change_plans_of(user=user, role=Role.BROKER, person=plan.person, day=day)
        ]
    return plans


def _postcodes() -> list[str]:
    from demo.councils import COVENTRY

    gazetteer = Path(__file__).resolve().parents[2] / "demo" / "data" / "gazetteer.csv"
    rows = [line.split(",") for line in gazetteer.read_text().splitlines()[1:]]
    return [row[0] for row in rows if row[4].strip() == COVENTRY.organisation.name.removesuffix(" City Council")]


def plan_build() -> dict[str, object]:
    from accounts.roles import Role
    from demo.logins import DEMO_PASSWORD
    from demo.mfa import DEMO_TOTP_SECRET

    brokers = _members_anywhere(Role.BROKER)
    invoices = _invoices_waiting()
    plans = _plans_to_edit(brokers)
    return {
        "password": DEMO_PASSWORD,
        "totp_secret": DEMO_TOTP_SECRET.replace(" ", ""),
        "postcodes": _postcodes(),
        # Those with invoices to approve first, so that even a short run with few people approves some.
        "families": sorted(invoices) + sorted(set(_members(Role.FAMILY_MEMBER)) - set(invoices)),
        "invoices": invoices,
        "brokers": sorted(brokers, key=lambda email: (not plans.get(email), email)),  # with draft plans first
        "plans": plans,
        "providers": _provider_members(),
        "finance": _members(Role.FINANCE_OFFICER, exclude=(PAYMENT_RUN_PREPARER, PAYMENT_RUN_AUTHORISER)),
        "commissioners": _members(Role.COMMISSIONER),
        "payment_run": {"preparer": PAYMENT_RUN_PREPARER, "authoriser": PAYMENT_RUN_AUTHORISER},
    }


def _members_anywhere(role: str) -> list[str]:
    """Sign-ins of a role whose organisation works with Coventry's families (an independent brokerage)."""
    from accounts.models import Membership

    return sorted(
        set(
            Membership.objects.filter(role=role, is_active=True, user__email__endswith=".demo")
            .filter(organisation__name__startswith="Coventry")
            .values_list("user__email", flat=True)
        )
    )


def main(argv: list[str]) -> int:
    import django

    django.setup()
    from django.db import transaction

    with transaction.atomic():
        plan = plan_build()
    Path(argv[1]).write_text(json.dumps(plan, indent=2))
    counts = {key: len(value) for key, value in plan.items() if isinstance(value, list | dict)}
    print(f"load-test plan written to {argv[1]}: {counts}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
