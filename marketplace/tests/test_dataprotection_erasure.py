"""Erasing or anonymising a person supported: where the law allows, and never touching the money."""

import datetime

import pytest

from accounts.models import AuditEvent, Notification, User
from brokerage.models import LedgerTransaction, PersonSupported, Posting
from marketplace.dataprotection.erasure import (
    ANONYMISE,
    ERASE,
    REMOVED,
    ErasureRefused,
    erasure_plan,
    person_erase_or_anonymise,
)
from marketplace.models import Enquiry, Message, Order
from marketplace.tests.dataprotection_factories import (
    NEEDS_NOTE,
    end_budgets,
    ledger_snapshot,
    mia_with_a_conversation,
    setting,
    unbalanced_transactions,
)

pytestmark = pytest.mark.django_db
AFTER_THE_BUDGET = datetime.date(2027, 6, 1)


def test_a_person_with_no_financial_records_is_erased_with_their_conversations_and_family_account():
    the = setting()
    mia = mia_with_a_conversation(the)
    mother = mia.consent_holders.get().user
    assert erasure_plan(person=mia, today=AFTER_THE_BUDGET).mode == ERASE

    done = person_erase_or_anonymise(
        actor=the.ada, council=the.tom.council, person=mia, reason="Mother's request of 1 May", today=AFTER_THE_BUDGET
    )

    assert done == ERASE
    assert not PersonSupported.objects.filter(pk=mia.pk).exists()
    assert not Enquiry.objects.filter(person_id=mia.pk).exists()
    assert not User.objects.filter(pk=mother.pk).exists()
    event = AuditEvent.objects.get(action="dataprotection.person_erased")
    assert event.actor == the.ada and event.reason == "Mother's request of 1 May"
    assert "Mia" not in event.summary
    # Tom's records are untouched.
    assert PersonSupported.objects.filter(pk=the.tom.person.pk, first_name="Tom").exists()


def test_a_person_with_financial_records_is_anonymised_and_the_ledger_still_balances():
    the = setting()
    end_budgets(the.tom.person, datetime.date(2027, 3, 31))
    balances_before = ledger_snapshot()
    postings_before = Posting.objects.count()
    assert erasure_plan(person=the.tom.person, today=AFTER_THE_BUDGET).mode == ANONYMISE

    done = person_erase_or_anonymise(
        actor=the.ada, council=the.tom.council, person=the.tom.person, reason="Request", today=AFTER_THE_BUDGET
    )

    assert done == ANONYMISE
    tom = PersonSupported.objects.get(pk=the.tom.person.pk)
    assert (tom.first_name, tom.last_name, tom.postcode) == ("Anonymised", "person", "")
    assert tom.date_of_birth == datetime.date(2014, 1, 1)
    assert tom.needs_notes == REMOVED
    assert tom.anonymised_at is not None
    assert Message.objects.filter(enquiry=the.enquiry).get().body == REMOVED
    assert Enquiry.objects.get(pk=the.enquiry.pk).shared_first_name == ""
    assert Order.objects.get(pk=the.order.pk).status == the.order.status
    # Not one penny moved: every account's balance and every posting is as it was.
    assert ledger_snapshot() == balances_before
    assert Posting.objects.count() == postings_before
    assert unbalanced_transactions() == []
    assert not LedgerTransaction.objects.filter(description__contains="Tom Walsh").exists()
    assert not AuditEvent.objects.filter(summary__contains="Tom Walsh").exists()


def test_anonymising_closes_the_family_account_and_removes_its_contact_details():
    the = setting()
    end_budgets(the.tom.person, datetime.date(2027, 3, 31))
    alice = the.tom.parent

    person_erase_or_anonymise(
        actor=the.ada, council=the.tom.council, person=the.tom.person, reason="Request", today=AFTER_THE_BUDGET
    )

    alice.refresh_from_db()
    assert not alice.is_active and not alice.has_usable_password()
    assert alice.email.endswith("@invalid.example") and alice.first_name == "Anonymised"
    assert not alice.memberships.filter(is_active=True).exists()
    assert not Notification.objects.filter(recipient=alice).exists()


def test_a_parent_with_another_child_keeps_their_account():
    the = setting()
    end_budgets(the.tom.person, datetime.date(2027, 3, 31))
    sister = PersonSupported.objects.create(
        council=the.tom.council, first_name="Ivy", last_name="Walsh", date_of_birth=datetime.date(2016, 1, 1)
    )
    sister.consent_holders.create(user=the.tom.parent, relationship="parent")

    person_erase_or_anonymise(
        actor=the.ada, council=the.tom.council, person=the.tom.person, reason="Request", today=AFTER_THE_BUDGET
    )

    the.tom.parent.refresh_from_db()
    assert the.tom.parent.is_active and not the.tom.parent.email.endswith("@invalid.example")


def test_erasure_is_refused_while_the_budget_runs_and_nothing_changes():
    the = setting()

    with pytest.raises(ErasureRefused) as refused:
        person_erase_or_anonymise(
            actor=the.ada,
            council=the.tom.council,
            person=the.tom.person,
            reason="Request",
            today=datetime.date(2026, 6, 1),
        )

    assert "budget runs until 31 March 2027" in str(refused.value)
    tom = PersonSupported.objects.get(pk=the.tom.person.pk)
    assert tom.first_name == "Tom" and tom.needs_notes == NEEDS_NOTE
    assert not AuditEvent.objects.filter(action__startswith="dataprotection.").exists()


def test_erasure_is_refused_while_an_order_is_live():
    the = setting(cancel=False)
    end_budgets(the.tom.person, datetime.date(2027, 3, 31))

    plan = erasure_plan(person=the.tom.person, today=AFTER_THE_BUDGET)

    assert not plan.allowed
    assert plan.refusals == ["Some orders are still live: cancel or complete them first."]


def test_a_person_already_anonymised_is_not_anonymised_again():
    the = setting()
    end_budgets(the.tom.person, datetime.date(2027, 3, 31))
    person_erase_or_anonymise(
        actor=the.ada, council=the.tom.council, person=the.tom.person, reason="Request", today=AFTER_THE_BUDGET
    )

    plan = erasure_plan(person=PersonSupported.objects.get(pk=the.tom.person.pk), today=AFTER_THE_BUDGET)

    assert not plan.allowed and "already anonymised" in plan.refusals[0]
