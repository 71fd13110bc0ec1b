"""Tom's tuition in a real browser without JavaScript: Lena, his lead professional, orders maths tuition from
the line of his approved plan (meeting the error summary first); Pat, the tutor, accepts, records a
session and invoices it; Lena approves the invoice. The budget shows the money committed and the spend
approved for payment, and the order the same. Every page is checked with axe."""

from decimal import Decimal

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from brokerage import ledger
from brokerage.models import AccessGrant, PlanLine, PlanStatus, SupportPlan
from marketplace.tests.order_factories import ORDER_END, ORDER_START, family, provider
from providers.models import TaxonomyTerm
from tests.browser.helpers import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _toms_plan_with_tuition(tom, tutor) -> SupportPlan:  # type: ignore[no-untyped-def]
    """Tom's approved plan: 20 hours of maths tuition at £20 from the tutor's offer, £400 committed."""
    plan = SupportPlan.objects.create(person=tom.person, budget=tom.allocation.budget, status=PlanStatus.APPROVED)
    line = PlanLine.objects.create(
        plan=plan,
        offer=tutor.offer,
        category=TaxonomyTerm.objects.first(),
        description="Maths tuition",
        stream=tom.allocation.stream,
        quantity=Decimal("1"),
        unit="hour",
        unit_cost=Decimal("20.00"),
        frequency="weekly",
        periods=20,
        starts_on=ORDER_START,
        ends_on=ORDER_END,
    )
    ledger.commit(
        allocation=tom.allocation,
        amount=Decimal("400.00"),
        key=f"plan-line-{line.public_id}",
        reference=f"plan-line-{line.public_id}",
        description="Maths tuition",
    )
    # Tom's mother shares his records with Lena, so that she can open his plan and act for his budget.
    AccessGrant.objects.get_or_create(
        person=tom.person,
        grantee=tom.lead_professional,
        defaults={"scope": AccessGrant.Scope.ACT, "consent_from": tom.parent, "recorded_by": tom.parent},
    )
    return plan


def test_toms_tuition_is_ordered_delivered_invoiced_and_approved_without_javascript(browsing, visit, axe_check):
    # Given Tom's approved plan with maths tuition, Lena his lead professional and Pat at Sunrise Tutors
    tom, tutor = family(), provider()
    plan = _toms_plan_with_tuition(tom, tutor)
    budget_url = reverse("brokerage:budget", args=[tom.allocation.budget.public_id])
    lena = browsing.new_page(javascript=False)
    pat = browsing.new_page(javascript=False)

    # When Lena orders the tuition from the plan line, first leaving out how many hours
    sign_in(lena, visit, tom.lead_professional.email)
    visit(lena, reverse("brokerage:plan", args=[plan.public_id]))
    lena.get_by_role("link", name="Order this support (Maths tuition)").click()
    expect(lena.get_by_role("heading", name=f"Order {tutor.offer} for Tom")).to_be_visible()
    axe_check(lena)
    lena.get_by_label("How many in all").fill("")
    lena.get_by_role("button", name="Place the order").click()
    expect(lena).to_have_title(f"Error: Order {tutor.offer} for Tom – Support Exchange")
    lena.get_by_role("link", name="Enter how many in all").click()
    expect(lena.get_by_label("How many in all")).to_be_focused()
    axe_check(lena)

    lena.get_by_label("How many in all").fill("10")
    lena.get_by_label("available").check()
    lena.get_by_role("button", name="Place the order").click()
    expect(lena.locator(".govuk-notification-banner")).to_contain_text("Your order has been sent")
    expect(lena.get_by_role("row", name="Committed from the budget now £200.00")).to_be_visible()
    axe_check(lena)

    # Then Pat finds it waiting, and accepts it
    sign_in(pat, visit, tutor.staff.email)
    visit(pat, "/orders/")
    pat.get_by_role("link", name="Accept or decline: Maths tuition").click()
    axe_check(pat)
    pat.get_by_role("button", name="Accept the order").click()
    expect(pat.locator(".govuk-notification-banner")).to_contain_text("You have accepted the order")
    axe_check(pat)

    # And records a session of two hours
    pat.get_by_role("link", name="Record delivery").click()
    axe_check(pat)
    pat.get_by_label("Date delivered").fill("5/5/2026")
    pat.get_by_label("How many").fill("2")
    pat.get_by_role("button", name="Record the delivery").click()
    expect(pat.locator(".govuk-notification-banner")).to_contain_text("You have recorded the delivery")

    # And invoices it
    pat.get_by_role("link", name="Send an invoice").click()
    axe_check(pat)
    pat.get_by_label("Invoice number").fill("ST-101")
    pat.get_by_label("Line 1 date").fill("5/5/2026")
    pat.get_by_label("Line 1 units").fill("2")
    pat.get_by_role("button", name="Send the invoice").click()
    expect(pat.locator(".govuk-notification-banner")).to_contain_text("Your invoice ST-101 has been sent")
    axe_check(pat)

    # And Lena approves the invoice from her list
    visit(lena, "/orders/")
    lena.get_by_role("link", name="Approve or query invoice ST-101").click()
    axe_check(lena)
    lena.get_by_role("button", name="Approve £40.00 for payment").click()
    expect(lena.locator(".govuk-notification-banner")).to_contain_text("You have approved invoice ST-101")
    axe_check(lena)

    # The order shows what was approved for payment, and the budget what stays committed
    lena.get_by_role("link", name="Back to the order").click()
    expect(lena.get_by_role("row", name="Invoices approved for payment £40.00")).to_be_visible()
    expect(lena.get_by_role("row", name="Committed from the budget now £160.00")).to_be_visible()
    axe_check(lena)
    # The budget: £3,000.00 allocated; £360.00 committed (the order's £160.00 and the line's £200.00 not
    # ordered); the £40.00 invoice approved and waiting for the payment run; £2,600.00 available
    visit(lena, budget_url)
    stream_row = lena.locator("tbody tr").filter(has_text=tom.allocation.stream.name).first
    cells = stream_row.locator("td")
    expect(cells.nth(3)).to_have_text("£360.00")
    expect(cells.nth(4)).to_have_text("£40.00")
    expect(cells.nth(6)).to_have_text("£2,600.00")
    expect(lena.get_by_role("columnheader", name="Approved, to be paid")).to_be_visible()


def test_toms_mother_asks_to_pay_the_football_residential_and_his_lead_professional_approves_it(
    browsing, visit, axe_check
):
    # Given Tom's budget, his mother and Lena, who may act for it
    tom = family()
    AccessGrant.objects.get_or_create(
        person=tom.person,
        grantee=tom.lead_professional,
        defaults={"scope": AccessGrant.Scope.ACT, "consent_from": tom.parent, "recorded_by": tom.parent},
    )
    mother = browsing.new_page(javascript=False)
    lena = browsing.new_page(javascript=False)

    # When his mother opens Tom's one-off purchases from "Orders and invoices" and sends the form empty
    sign_in(mother, visit, tom.parent.email)
    visit(mother, "/orders/")
    mother.get_by_role("link", name=f"One-off purchases for {tom.person}").click()
    axe_check(mother)
    mother.get_by_role("button", name="Buy something once").click()
    axe_check(mother)
    mother.get_by_role("button", name="Send for approval").click()
    expect(mother).to_have_title("Error: Buy something once for Tom – Support Exchange")
    mother.get_by_role("link", name="Choose how it is paid").click()
    expect(mother.get_by_label("Pay the supplier's invoice")).to_be_focused()
    axe_check(mother)

    # And then fills it in: the supplier's invoice for the residential
    mother.get_by_label("Pay the supplier's invoice").check()
    mother.get_by_label("Supplier", exact=True).fill("Peak Football Residentials")
    mother.get_by_label("Supplier's invoice number").fill("PFR-0042")
    mother.get_by_label("What it is for").fill("Football residential: fees and hotel")
    mother.get_by_label("Amount including VAT (£)").fill("310.00")
    mother.get_by_label(tom.allocation.stream.name).check()
    mother.get_by_role("button", name="Send for approval").click()
    expect(mother.locator(".govuk-notification-banner")).to_contain_text("You have asked to pay £310.00")
    axe_check(mother)

    # Then Lena finds it waiting for her, and approves it
    sign_in(lena, visit, tom.lead_professional.email)
    visit(lena, "/orders/")
    lena.get_by_role("link", name="Approve or refuse: Football residential: fees and hotel").click()
    axe_check(lena)
    lena.get_by_role("button", name="Approve paying £310.00").click()
    expect(lena.locator(".govuk-notification-banner")).to_contain_text("You have approved paying £310.00")
    expect(lena.locator("main .govuk-tag")).to_have_text("Approved for payment")
    axe_check(lena)
