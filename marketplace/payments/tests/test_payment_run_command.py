"""manage.py payment_run: prepare, authorise, execute and status through the services."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from marketplace.payments.models import PaymentRun, RunStatus
from marketplace.payments.tests.factories import allocation, approved_invoice, finance, provider, verified_account

pytestmark = pytest.mark.django_db


def _call(*args: str) -> str:
    out = StringIO()
    call_command("payment_run", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_two_finance_officers_prepare_authorise_and_pay_a_run_from_the_command_line():
    team = finance()
    sunrise = provider(team.council)
    verified_account(team.council, checked_by=(team.ann, team.ben), **sunrise.payee)
    approved_invoice(allocation(team.council), sunrise, amount="80.00", approver=team.lena)
    council = ("--council", team.council.slug)

    assert "Prepared" in _call("prepare", *council, "--as", team.ann.email)
    reference = PaymentRun.objects.get().reference
    with pytest.raises(CommandError, match="You prepared this run"):
        _call("authorise", reference, *council, "--as", team.ann.email)
    _call("authorise", reference, *council, "--as", team.ben.email)
    paid = _call("execute", reference, *council, "--as", team.ben.email)

    assert f"{reference}: Sent" in paid
    assert "1 of 1 paid" in _call("status", reference, *council)
    assert PaymentRun.objects.get().status == RunStatus.SENT


def test_only_a_finance_officer_of_the_council_may_act():
    team = finance()
    other = finance("Southshire")

    with pytest.raises(CommandError, match="is not a finance officer"):
        _call("prepare", "--council", team.council.slug, "--as", other.ann.email)
    with pytest.raises(CommandError, match="nothing to pay"):
        _call("prepare", "--council", team.council.slug, "--as", team.ann.email)
