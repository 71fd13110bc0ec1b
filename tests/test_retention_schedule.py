"""The retention schedule (accounts.retention, one module per app) and ``manage.py apply_retention``.

Each rule: what is due is counted by a dry run and changes nothing; a real run deletes or anonymises
exactly what is due, writes one audit event per rule, and a second run changes nothing.
"""

import datetime
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from accounts.models import AuditEvent, Notification
from accounts.retention import financial_year_end_cutoff, retention_apply, retention_rules
from accounts.tests.factories import NotificationFactory, UserFactory
from brokerage.models import LedgerTransaction, PersonSupported, Posting
from brokerage.retention import LEDGER_DESCRIPTION_REMOVED
from marketplace.models import Enquiry, Message
from marketplace.payments.models import StripeEvent
from marketplace.tests.dataprotection_factories import (
    end_budgets,
    ledger_snapshot,
    mia_with_a_conversation,
    setting,
    unbalanced_transactions,
)
from providers.models import DBSCheck
from providers.tests import qa_factories as qa
from search.models import DemandSignal

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 23)


def at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def test_every_app_registers_its_rules_with_a_period_and_a_reason():
    keys = {rule.key for rule in retention_rules()}

    assert {
        "accounts.auditevent",
        "accounts.notification",
        "sessions.session",
        "accounts.user.unused_invitation",
        "providers.dbscheck",
        "search.demandsignal",
        "brokerage.recordview",
        "brokerage.ledgertransaction",
        "brokerage.personsupported",
        "marketplace.enquiry",
        "marketplace.stripeevent.payload",
    } <= keys
    assert all(rule.period and rule.reason and rule.action in {"delete", "anonymise"} for rule in retention_rules())


def test_financial_records_are_kept_six_years_after_the_end_of_their_financial_year():
    assert financial_year_end_cutoff(datetime.date(2026, 11, 23)) == datetime.date(2020, 3, 31)
    assert financial_year_end_cutoff(datetime.date(2027, 3, 31)) == datetime.date(2020, 3, 31)
    assert financial_year_end_cutoff(datetime.date(2027, 4, 1)) == datetime.date(2021, 3, 31)


def test_a_dry_run_counts_what_is_due_and_changes_nothing():
    old = NotificationFactory()
    Notification.objects.filter(pk=old.pk).update(created_at=at(TODAY - timedelta(days=800)))
    NotificationFactory()

    run = retention_apply(today=TODAY, dry_run=True, only=["accounts.notification"])

    assert [(r.rule.key, r.due, r.changed) for r in run.results] == [("accounts.notification", 1, 0)]
    assert Notification.objects.count() == 2
    assert not AuditEvent.objects.filter(action__startswith="retention.").exists()


def test_old_notifications_and_audit_events_go_once_and_each_rule_is_audited():
    old = NotificationFactory()
    Notification.objects.filter(pk=old.pk).update(created_at=at(TODAY - timedelta(days=800)))
    recent = NotificationFactory()
    AuditEvent.objects.create(
        action="x", target_type="t", target_id="1", summary="old", created_at=at(TODAY.replace(year=2019))
    )
    kept = AuditEvent.objects.create(action="x", target_type="t", target_id="2", summary="recent")

    first = retention_apply(today=TODAY, only=["accounts.notification", "accounts.auditevent"])
    second = retention_apply(today=TODAY, only=["accounts.notification", "accounts.auditevent"])

    assert list(Notification.objects.all()) == [recent]
    assert AuditEvent.objects.filter(action="x").get() == kept
    assert {r.rule.key: r.changed for r in first.results} == {"accounts.notification": 1, "accounts.auditevent": 1}
    assert [r.changed for r in second.results] == [0, 0]
    audit = AuditEvent.objects.get(action="retention.delete", target_id="accounts.notification")
    assert audit.data["changed"] == 1 and "2 years" in audit.reason


def test_an_invitation_never_taken_up_is_deleted_after_90_days():
    old = UserFactory()
    old.set_unusable_password()
    old.date_joined = at(TODAY - timedelta(days=120))
    old.save()
    new = UserFactory()
    new.set_unusable_password()
    new.save()
    used = UserFactory(date_joined=at(TODAY - timedelta(days=400)))  # has a password of their own

    retention_apply(today=TODAY, only=["accounts.user.unused_invitation"])

    assert set(type(old).objects.filter(pk__in=[old.pk, new.pk, used.pk])) == {new, used}


def test_a_dbs_check_goes_six_months_after_a_newer_verified_check_replaced_it():
    pa = qa.personal_assistant()
    officer = qa.qa_officer(pa.council)
    older = qa.dbs_check(pa_profile=pa, issue_date=datetime.date(2022, 1, 10), number="001111111111")
    newer = qa.dbs_check(pa_profile=pa, issue_date=datetime.date(2025, 3, 3))
    DBSCheck.objects.filter(pk=newer.pk).update(
        verification="verified",
        verified_by_council=pa.council,
        verified_at=at(datetime.date(2026, 1, 5)),
        original_seen_by=officer,
        original_seen_on=datetime.date(2026, 1, 5),
    )

    too_soon = retention_apply(today=datetime.date(2026, 6, 1), dry_run=True, only=["providers.dbscheck"])
    run = retention_apply(today=datetime.date(2026, 7, 6), only=["providers.dbscheck"])

    assert too_soon.results[0].due == 0
    assert run.results[0].changed == 1
    assert list(DBSCheck.objects.all()) == [newer]
    assert not DBSCheck.objects.filter(pk=older.pk).exists()


def test_demand_signals_go_after_two_years():
    DemandSignal.objects.create(text="swimming", month=datetime.date(2024, 10, 1), results=0)
    kept = DemandSignal.objects.create(text="swimming", month=datetime.date(2024, 11, 1), results=0)

    retention_apply(today=TODAY, only=["search.demandsignal"])

    assert list(DemandSignal.objects.all()) == [kept]


def test_webhook_payloads_are_emptied_90_days_after_handling_and_the_event_id_stays():
    def event(event_id: str, handled: datetime.date) -> StripeEvent:
        return StripeEvent.objects.create(
            event_id=event_id,
            type="payment_intent.succeeded",
            created=at(handled),
            payload={"id": event_id},
            handled_at=at(handled),
            outcome="handled",
        )

    old, recent = event("evt_old", TODAY - timedelta(days=91)), event("evt_new", TODAY - timedelta(days=10))

    retention_apply(today=TODAY, only=["marketplace.stripeevent.payload"])

    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.payload == {} and old.event_id == "evt_old"
    assert recent.payload == {"id": "evt_new"}


def test_conversations_go_two_years_after_their_last_message():
    the = setting()
    Enquiry.objects.filter(pk=the.enquiry.pk).update(last_message_at=at(TODAY.replace(year=2024) - timedelta(days=1)))
    mia_with_a_conversation(the)

    retention_apply(today=TODAY, only=["marketplace.enquiry"])

    assert not Enquiry.objects.filter(pk=the.enquiry.pk).exists()
    assert not Message.objects.filter(enquiry_id=the.enquiry.pk).exists()
    assert Enquiry.objects.count() == 1


def test_ledger_descriptions_go_six_years_after_the_year_end_and_every_balance_stays():
    setting()  # Tom, his budget, a cancelled order: money allocated, committed and released
    LedgerTransaction.objects.update(occurred_on=datetime.date(2020, 3, 31))
    before, postings = ledger_snapshot(), list(Posting.objects.values_list("pk", "amount").order_by("pk"))

    run = retention_apply(today=TODAY, only=["brokerage.ledgertransaction"])
    again = retention_apply(today=TODAY, only=["brokerage.ledgertransaction"])

    assert run.results[0].changed == LedgerTransaction.objects.count() > 0
    assert again.results[0].changed == 0
    assert set(LedgerTransaction.objects.values_list("description", flat=True)) == {LEDGER_DESCRIPTION_REMOVED}
    assert ledger_snapshot() == before
    assert list(Posting.objects.values_list("pk", "amount").order_by("pk")) == postings
    assert unbalanced_transactions() == []


def test_a_young_persons_record_is_anonymised_at_25_once_the_last_budget_ended_six_years_before():
    the = setting()
    PersonSupported.objects.filter(pk=the.tom.person.pk).update(date_of_birth=datetime.date(1995, 5, 14))
    end_budgets(the.tom.person, datetime.date(2019, 3, 31))
    before = ledger_snapshot()

    run = retention_apply(today=TODAY, only=["brokerage.personsupported"])

    tom = PersonSupported.objects.get(pk=the.tom.person.pk)
    assert run.results[0].changed == 1
    assert tom.first_name == "Anonymised" and tom.anonymised_at is not None
    assert ledger_snapshot() == before and unbalanced_transactions() == []


def test_a_record_whose_budget_ended_recently_is_kept_even_after_25():
    the = setting()
    PersonSupported.objects.filter(pk=the.tom.person.pk).update(date_of_birth=datetime.date(1995, 5, 14))
    end_budgets(the.tom.person, datetime.date(2022, 3, 31))

    run = retention_apply(today=TODAY, dry_run=True, only=["brokerage.personsupported"])

    assert run.results[0].due == 0


def test_the_command_prints_a_dry_run_per_record_type():
    NotificationFactory()
    Notification.objects.update(created_at=at(datetime.date(2020, 1, 1)))
    out = StringIO()

    call_command("apply_retention", "--dry-run", stdout=out)

    assert "dry run: nothing changed" in out.getvalue()
    assert "Notifications: 1 would be deleted" in out.getvalue()
    assert Notification.objects.count() == 1


def test_the_command_lists_the_schedule_and_refuses_an_unknown_rule():
    out = StringIO()
    call_command("apply_retention", "--list", stdout=out)

    assert "providers.dbscheck" in out.getvalue()
    with pytest.raises(CommandError, match="No such retention rule: nothing"):
        call_command("apply_retention", "--only", "nothing")


def test_the_scheduled_task_applies_the_schedule():
    from accounts.tasks import retention_apply_task

    NotificationFactory()
    Notification.objects.update(created_at=at(datetime.date(2020, 1, 1)))

    result = retention_apply_task.enqueue()

    assert result.return_value["accounts.notification"] == 1
