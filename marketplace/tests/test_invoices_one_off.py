"""One-off purchases: a supplier's invoice, or paying back someone who paid, against a receipt."""

from decimal import Decimal

import pytest

from brokerage.exceptions import BrokerageError, InsufficientFunds, NotAllowed
from marketplace.models import OneOffPurchase
from marketplace.order_selectors import waiting_on
from marketplace.services.invoices import (
    one_off_purchase_approve,
    one_off_purchase_refuse,
    one_off_purchase_request,
)
from marketplace.tests.order_factories import balances, family
from providers.models import Upload

pytestmark = pytest.mark.django_db
D = Decimal


def _receipt(owner) -> Upload:  # type: ignore[no-untyped-def]
    return Upload.objects.create(
        purpose=Upload.Purpose.DOCUMENT,
        file="uploads/00/receipt.pdf",
        extension=".pdf",
        content_type="application/pdf",
        size=1024,
        original_name="receipt.pdf",
        owner_user=owner,
        uploaded_by=owner,
    )


def _residential(tom, **more) -> OneOffPurchase:  # type: ignore[no-untyped-def]
    values = {
        "actor": tom.lead_professional,
        "person": tom.person,
        "allocation": tom.allocation,
        "kind": OneOffPurchase.Kind.SUPPLIER_INVOICE,
        "supplier_name": "Peak Football Residentials",
        "supplier_invoice_number": "PFR-0042",
        "description": "Football residential: fees and hotel",
        "amount": D("310.00"),
    }
    values.update(more)
    return one_off_purchase_request(**values)


def test_a_supplier_invoice_commits_the_money_and_approval_settles_it():
    tom = family(available="1000.00")

    purchase = _residential(tom)
    assert balances(tom.allocation)["committed"] == D("310.00")
    one_off_purchase_approve(purchase=purchase, actor=tom.parent)

    assert balances(tom.allocation) == {"available": D("690.00"), "committed": 0, "provider_payable": D("310.00")}


def test_a_one_off_purchase_beyond_what_is_available_is_refused():
    tom = family(available="300.00")

    with pytest.raises(InsufficientFunds):
        _residential(tom)
    assert not OneOffPurchase.objects.exists()


def test_a_reimbursement_needs_a_receipt_the_claimant_uploaded():
    tom = family()
    someone_elses = _receipt(family(council=tom.council).parent)

    with pytest.raises(BrokerageError, match="receipt"):
        _residential(tom, actor=tom.parent, kind=OneOffPurchase.Kind.REIMBURSEMENT, receipt=someone_elses)


def test_nobody_approves_paying_themselves_back():
    tom = family()
    claim = _residential(tom, actor=tom.parent, kind=OneOffPurchase.Kind.REIMBURSEMENT, receipt=_receipt(tom.parent))

    with pytest.raises(NotAllowed, match="Someone else"):
        one_off_purchase_approve(purchase=claim, actor=tom.parent)
    assert [item.kind for item in waiting_on(tom.lead_professional)] == ["one_off_to_approve"]
    assert waiting_on(tom.parent) == []

    one_off_purchase_approve(purchase=claim, actor=tom.lead_professional)
    assert balances(tom.allocation)["provider_payable"] == D("310.00")


def test_refusing_a_one_off_purchase_releases_its_money():
    tom = family(available="1000.00")
    purchase = _residential(tom)

    one_off_purchase_refuse(purchase=purchase, actor=tom.parent, reason="Find a cheaper hotel")

    assert balances(tom.allocation)["available"] == D("1000.00")
    with pytest.raises(BrokerageError):
        one_off_purchase_approve(purchase=purchase, actor=tom.parent)
