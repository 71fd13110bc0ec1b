"""Retention of the marketplace's records and of the people supported (see accounts/retention.py).

- Conversations with providers (enquiries and their messages) go two years after their last message.
- Stripe's raw webhook payloads are emptied 90 days after they were handled; the row (its event id,
  type and outcome) stays, so that a late duplicate is still recognised and never acted on twice.
- A child's or young person's case records are anonymised when they are 25 or six years after their
  last budget ended, whichever is later. The assumption (stated in docs/data-protection.md): the
  council's records of support for a child with special educational needs or a disability are kept
  until the young person is 25, the end of the age range of an EHC plan (Children and Families Act 2014
  s.46), or six years after the last money moved, for HMRC. Orders, invoices and ledger postings stay,
  without the names and free text, so the ledger still balances.
"""

from datetime import date, timedelta

from django.db import models, transaction
from django.db.models import Max, Q
from django.utils import timezone

from accounts.retention import ANONYMISE, DELETE, RetentionRule, retention_register, start_of_day, years_before
from brokerage.models import PersonSupported
from marketplace.dataprotection.erasure import erasure_plan, person_anonymise
from marketplace.models import Enquiry, Message
from marketplace.payments.models import StripeEvent
from providers.models import Upload

ENQUIRY_YEARS = 2
WEBHOOK_PAYLOAD_DAYS = 90
CASE_RECORD_AGE = 25
CASE_RECORD_YEARS_AFTER_BUDGET = 6


def enquiries_due(today: date) -> models.QuerySet:
    return Enquiry.objects.filter(last_message_at__lt=start_of_day(years_before(today, ENQUIRY_YEARS)))


def enquiries_delete(records: models.QuerySet) -> int:
    attachment_ids = set(
        Message.objects.filter(enquiry__in=records, attachment__isnull=False).values_list("attachment_id", flat=True)
    )
    deleted, by_model = records.delete()
    # The files sent in those conversations go too, unless something else still uses them.
    for upload in Upload.objects.filter(pk__in=attachment_ids).exclude(
        pk__in=Message.objects.filter(attachment__isnull=False).values("attachment_id")
    ):
        try:
            with transaction.atomic():
                upload.delete()
        except models.ProtectedError:
            continue
        transaction.on_commit(lambda name=upload.file.name, storage=upload.file.storage: storage.delete(name))
    return by_model.get(Enquiry._meta.label, 0)


def webhook_payloads_due(today: date) -> models.QuerySet:
    cutoff = start_of_day(today - timedelta(days=WEBHOOK_PAYLOAD_DAYS))
    return StripeEvent.objects.filter(
        Q(handled_at__lt=cutoff) | Q(handled_at__isnull=True, received_at__lt=cutoff)
    ).exclude(payload={})


def webhook_payloads_empty(records: models.QuerySet) -> int:
    return records.update(payload={})


def people_due(today: date) -> models.QuerySet:
    """People who are 25 or older and whose last budget ended six or more years ago (or who never had one)."""
    born_by = years_before(today, CASE_RECORD_AGE)
    budget_ended_by = years_before(today, CASE_RECORD_YEARS_AFTER_BUDGET)
    return (
        PersonSupported.objects.filter(anonymised_at__isnull=True, date_of_birth__lte=born_by)
        .annotate(last_budget_end=Max("budgets__ends_on"))
        .filter(Q(last_budget_end__isnull=True) | Q(last_budget_end__lte=budget_ended_by))
    )


def people_anonymise(records: models.QuerySet) -> int:
    """Anonymise each person whose record is no longer in use; one still in use (an open complaint, a live
    order) is left for a council administrator, and counted again next time."""
    today = timezone.localdate()
    changed = 0
    for person in records.order_by("pk"):
        plan = erasure_plan(person=person, today=today)
        if plan.allowed:
            person_anonymise(person=person, users=plan.users)
            changed += 1
    return changed


retention_register(
    RetentionRule(
        key="marketplace.enquiry",
        record_type="Conversations with providers (enquiries, messages and their files)",
        period=f"{ENQUIRY_YEARS} years after the last message",
        reason="A conversation is kept while support may follow from it; orders and invoices keep their own record.",
        action=DELETE,
        due=enquiries_due,
        apply=enquiries_delete,
    )
)
retention_register(
    RetentionRule(
        key="marketplace.stripeevent.payload",
        record_type="Raw payment webhook payloads",
        period=f"{WEBHOOK_PAYLOAD_DAYS} days after they were handled",
        reason=(
            "The payload is needed only to handle the event and look into a failure; the payment's own records keep "
            "what was paid. The event id stays so that a late duplicate is still recognised."
        ),
        action=ANONYMISE,
        due=webhook_payloads_due,
        apply=webhook_payloads_empty,
    )
)
retention_register(
    RetentionRule(
        key="brokerage.personsupported",
        record_type="Children's and young people's case records",
        period=(
            f"Until the young person is {CASE_RECORD_AGE}, or {CASE_RECORD_YEARS_AFTER_BUDGET} years after their last "
            "budget ended, whichever is later"
        ),
        reason=(
            "Support for a child with special educational needs or a disability may be looked at again until 25 "
            "(the end of an EHC plan's age range); financial records are kept six years after the year end. "
            "Afterwards the names, contact details and free text go; amounts stay so the ledger still balances."
        ),
        action=ANONYMISE,
        due=people_due,
        apply=people_anonymise,
        order=50,
    )
)
