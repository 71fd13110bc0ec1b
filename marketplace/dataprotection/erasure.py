"""Erasing or anonymising a person supported, where the law allows it.

- A person with no financial records (no budget, order, purchase, payment or bank account) can be erased:
  the person and everything that belongs only to them are deleted, and so are the family's accounts
  unless something else still needs them (then they are anonymised).
- A person with financial records is anonymised instead: the name, date of birth (to the year),
  postcode, references and every piece of free text about them (notes, messages, reasons, outcomes) are
  replaced; amounts, dates, statuses and ledger postings are untouched, so every balance and statement
  total stays exactly as it was (HMRC and audit need them for six years after the year end).
- Either is refused while the record is still in use: a budget that has not ended, an order not
  finished, an invoice or payment not settled, a complaint not closed. The council must finish those
  first; erasing them would break its statutory duty and could lose or double money.

Every erasure and anonymisation writes an audit event (who, why, what was changed, never the old values).
"""

from dataclasses import dataclass, field
from datetime import date

from django.db import models, transaction
from django.db.models import Q, Value
from django.db.models.functions import Replace
from django.utils import timezone

from accounts.events import audit_record
from accounts.fields import EncryptedTextField
from accounts.models import AuditEvent, Notification, Organisation, User
from accounts.roles import FAMILY_ROLES
from brokerage.models import Budget, LedgerTransaction, PersonSupported
from marketplace.dataprotection.records import family_users, person_links
from marketplace.models import Complaint, Enquiry, Invoice, OneOffPurchase, Order, OrderRequest, Review
from marketplace.models.complaints import ComplaintStatus
from marketplace.models.invoices import InvoiceStatus
from marketplace.models.orders import LIVE_ORDER_STATUSES
from marketplace.payments.models import BankAccount, Payment, PaymentStatus

REMOVED = "[Removed for data protection]"
ANONYMISED_FIRST_NAME = "Anonymised"
ANONYMISED_LAST_NAME = "person"

ERASE = "erase"
ANONYMISE = "anonymise"

# Short text that names or locates someone, beyond the free text (every TextField) that is always replaced.
NAMING_FIELDS: dict[str, dict[str, str]] = {
    "marketplace.enquiry": {"shared_first_name": "", "shared_area": ""},
    "marketplace.bankaccount": {"account_name": REMOVED},
}
OPEN_COMPLAINT_STATUSES = (ComplaintStatus.OPEN, ComplaintStatus.RESPONDED, ComplaintStatus.ESCALATED)
UNSETTLED_INVOICE_STATUSES = (InvoiceStatus.SUBMITTED, InvoiceStatus.QUERIED, InvoiceStatus.APPROVED)
UNSETTLED_PAYMENT_STATUSES = (PaymentStatus.HELD, PaymentStatus.PENDING, PaymentStatus.SENT)


class ErasureRefused(Exception):
    def __init__(self, reasons: list[str]) -> None:
        super().__init__("; ".join(reasons))
        self.reasons = reasons


@dataclass
class ErasurePlan:
    """What erasing ``person`` would do, shown on the confirmation page before anything happens."""

    person: PersonSupported
    mode: str
    refusals: list[str] = field(default_factory=list)
    financial: list[str] = field(default_factory=list)
    counts: list[tuple[str, int]] = field(default_factory=list)
    users: list[User] = field(default_factory=list)

    @property
    def allowed(self) -> bool:
        return not self.refusals


def erasure_plan(*, person: PersonSupported, today: date) -> ErasurePlan:
    financial = _financial_records(person)
    plan = ErasurePlan(person=person, mode=ANONYMISE if financial else ERASE, financial=financial)
    plan.refusals = _refusals(person, today)
    plan.counts = [
        (str(link.model._meta.verbose_name_plural).capitalize(), count)
        for link in person_links()
        if (count := link.records(person).count())
    ]
    plan.users = family_users(person)
    return plan


def _financial_records(person: PersonSupported) -> list[str]:
    checks = [
        ("budgets", Budget.objects.filter(person=person)),
        ("orders", Order.objects.filter(person=person)),
        ("one-off purchases", OneOffPurchase.objects.filter(person=person)),
        ("orders waiting for a manager", OrderRequest.objects.filter(person=person)),
        ("direct payments", Payment.objects.filter(family=person)),
        ("bank details", BankAccount.objects.filter(family=person)),
    ]
    return [label for label, queryset in checks if queryset.exists()]


def _refusals(person: PersonSupported, today: date) -> list[str]:
    refusals = []
    if person.anonymised_at:
        refusals.append(f"{person} was already anonymised on {timezone.localtime(person.anonymised_at):%d %B %Y}.")
    running = Budget.objects.filter(person=person, ends_on__gte=today).order_by("-ends_on").first()
    if running:
        refusals.append(
            f"A budget runs until {running.ends_on:%d %B %Y}: the council still supports this child. "
            "End the budget first."
        )
    if Order.objects.filter(person=person, status__in=LIVE_ORDER_STATUSES).exists():
        refusals.append("Some orders are still live: cancel or complete them first.")
    if Invoice.objects.filter(order__person=person, status__in=UNSETTLED_INVOICE_STATUSES).exists():
        refusals.append("Some invoices are not yet paid or refused: settle them first.")
    if Payment.objects.filter(family=person, status__in=UNSETTLED_PAYMENT_STATUSES).exists():
        refusals.append("A direct payment is not yet confirmed as paid.")
    if Complaint.objects.filter(person=person, status__in=OPEN_COMPLAINT_STATUSES).exists():
        refusals.append("A complaint is still open: close it first.")
    return refusals


@transaction.atomic
def person_erase_or_anonymise(
    *, actor: User | None, council: Organisation, person: PersonSupported, reason: str, today: date
) -> str:
    """Erase the person if they have no financial records, else anonymise them. Returns ERASE or ANONYMISE.

    Raises ``ErasureRefused`` (changing nothing) while the record is still in use.
    """
    person = PersonSupported.objects.select_for_update().get(pk=person.pk)
    plan = erasure_plan(person=person, today=today)
    if not plan.allowed:
        raise ErasureRefused(plan.refusals)
    if plan.mode == ERASE:
        try:
            _erase(person=person, users=plan.users)
        except models.ProtectedError as error:
            kinds = sorted({str(o._meta.verbose_name_plural) for o in error.protected_objects})
            raise ErasureRefused([f"Other records still need this person: {', '.join(kinds)}."]) from error
    else:
        person_anonymise(person=person, users=plan.users)
    audit_record(
        actor=actor,
        action=f"dataprotection.person_{'erased' if plan.mode == ERASE else 'anonymised'}",
        target=person,
        council=council,
        summary=f"A person supported was {'erased' if plan.mode == ERASE else 'anonymised'} ({person.public_id})",
        reason=reason,
        data={"records": dict(plan.counts), "family_accounts": len(plan.users)},
    )
    return plan.mode


def _erase(*, person: PersonSupported, users: list[User]) -> None:
    names = _names_of(person, users)
    # These point at the person with PROTECT (they are the family's own words, kept while the person is):
    # with no money involved they go with the person.
    for model in (Review, Complaint, Enquiry):
        for record in model.objects.filter(person=person):
            record.delete()
    person.delete()
    _remove_names_from_history(names)
    for user in users:
        _user_delete_or_anonymise(user)


def person_anonymise(*, person: PersonSupported, users: list[User]) -> None:
    """Replace everything that identifies the person and their family, leaving amounts and dates alone."""
    names = _names_of(person, users)
    for link in person_links():
        # One query per field over the ids: an update cannot run on a query with DISTINCT or joins.
        records = link.model._default_manager.filter(pk__in=link.records(person).values("pk"))
        replacements = {
            f.name: REMOVED
            for f in link.model._meta.concrete_fields
            if isinstance(f, models.TextField) and not isinstance(f, EncryptedTextField)
        }
        replacements.update(NAMING_FIELDS.get(link.model._meta.label_lower, {}))
        for name, value in replacements.items():
            records.exclude(**{name: ""}).exclude(**{name: value}).update(**{name: value})
    person.needs.clear()
    PersonSupported.objects.filter(pk=person.pk).update(
        first_name=ANONYMISED_FIRST_NAME,
        last_name=ANONYMISED_LAST_NAME,
        date_of_birth=person.date_of_birth.replace(month=1, day=1),
        postcode="",
        caf_reference="",
        young_person_user=None,
        anonymised_at=timezone.now(),
    )
    _remove_names_from_history(names)
    for user in users:
        _user_anonymise(user)


def _names_of(person: PersonSupported, users: list[User]) -> list[str]:
    names = [f"{person.first_name} {person.last_name}"]
    names += [user.get_full_name() for user in users if user.get_full_name().strip()]
    names += [user.email for user in users]
    return [name for name in names if len(name) > 3]


def _remove_names_from_history(names: list[str]) -> None:
    """Audit events, notifications and ledger descriptions are kept, but the names in their words go."""
    for name in names:
        AuditEvent.objects.filter(summary__contains=name).update(
            summary=Replace("summary", Value(name), Value(REMOVED))
        )
        Notification.objects.filter(Q(subject__contains=name) | Q(body__contains=name)).update(
            subject=Replace("subject", Value(name), Value(REMOVED)), body=Replace("body", Value(name), Value(REMOVED))
        )
        LedgerTransaction.objects.filter(description__contains=name).update(
            description=Replace("description", Value(name), Value(REMOVED))
        )


def _user_is_only_family(user: User, other_people: models.QuerySet) -> bool:
    staff_roles = user.memberships.exclude(role__in=FAMILY_ROLES).exists()
    return not (staff_roles or user.is_staff or user.is_superuser or other_people.exists())


def _other_people_of(user: User) -> models.QuerySet:
    return PersonSupported.objects.filter(
        Q(consent_holders__user=user) | Q(young_person_user=user), anonymised_at__isnull=True
    ).distinct()


def _user_delete_or_anonymise(user: User) -> None:
    if not _user_is_only_family(user, _other_people_of(user)):
        return
    try:
        with transaction.atomic():
            user.delete()
    except (models.ProtectedError, models.RestrictedError):
        _user_anonymise(user)


def _user_anonymise(user: User) -> None:
    """A family account with no other child on the site: closed, and its name and contact details replaced."""
    if not _user_is_only_family(user, _other_people_of(user)):
        return
    Notification.objects.filter(recipient=user).delete()
    user.memberships.filter(is_active=True).update(is_active=False, ended_at=timezone.now())
    user.first_name, user.last_name = ANONYMISED_FIRST_NAME, "user"
    user.email = f"anonymised-{user.public_id.hex}@invalid.example"
    user.phone_number, user.prefers_sms, user.is_active = "", False, False
    user.set_unusable_password()
    user.save()
