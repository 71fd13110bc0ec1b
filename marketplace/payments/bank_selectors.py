"""Reads for the bank-details pages: a payee's details on record, the finance officers' queue, and the
contact details on record that a call-back must use. Nothing here decrypts a number: pages show only
the masked copies."""

from dataclasses import dataclass
from uuid import UUID

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.models import Organisation
from marketplace.payments.bank_accounts import WAITING_STATUSES, Payee, payee_people
from marketplace.payments.models import BankAccount, BankAccountStatus

WAITING = "waiting"
STATE_CHOICES = [(WAITING, "Waiting for a call-back or approval"), *BankAccountStatus.choices]


@dataclass(frozen=True)
class PayeeBankDetails:
    """What a payee's page shows: the account payments use, new details waiting, and the last refusal."""

    current: BankAccount | None
    pending: BankAccount | None
    last_rejected: BankAccount | None

    @property
    def accounts(self) -> list[BankAccount]:
        return [account for account in (self.current, self.pending, self.last_rejected) if account is not None]


def payee_bank_details(payee: Payee) -> PayeeBankDetails:
    accounts = BankAccount.objects.filter(**payee.filter).select_related("council")
    current = accounts.filter(status=BankAccountStatus.VERIFIED).first()
    pending = accounts.filter(status__in=WAITING_STATUSES).first()
    rejected = accounts.filter(status=BankAccountStatus.REJECTED)
    if current is not None:
        # A refusal before the details now in use is old news; only a later one is worth showing.
        rejected = rejected.filter(entered_at__gt=current.entered_at)
    return PayeeBankDetails(current=current, pending=pending, last_rejected=rejected.first())


def bank_accounts_for_council(*, council: Organisation, state: str = WAITING) -> QuerySet[BankAccount]:
    """The council's bank-details records in one state; those waiting come oldest first, as a queue."""
    accounts = BankAccount.objects.filter(council=council).select_related(
        "provider_organisation", "personal_assistant__user", "family", "one_off_purchase", "entered_by", "callback_by"
    )
    if state in BankAccountStatus.values:
        return accounts.filter(status=state).order_by("-entered_at", "-id")
    return accounts.filter(status__in=WAITING_STATUSES).order_by("entered_at", "id")


def state_or_waiting(value: str) -> str:
    return value if value in BankAccountStatus.values else WAITING


def bank_account_get_for_officer(*, council: Organisation, public_id: UUID) -> BankAccount:
    """Another council's record answers 404."""
    queryset = BankAccount.objects.select_related("council", "entered_by", "callback_by", "decided_by")
    return get_object_or_404(queryset, council=council, public_id=public_id)


def days_waiting(account: BankAccount) -> int:
    return (timezone.now() - account.entered_at).days


@dataclass(frozen=True)
class Contact:
    who: str
    phone: str
    email: str


def payee_contacts_on_record(payee: Payee) -> list[Contact]:
    """The phone numbers and emails we already hold for the payee: the call-back uses one of these, never
    a number given with the change of details."""
    contacts = []
    if payee.field == "provider_organisation":
        organisation = payee.record
        contacts.append(Contact(who=organisation.name, phone=organisation.phone, email=organisation.email))
        profile = getattr(organisation, "provider_profile", None)
        if profile is not None and (profile.phone or profile.email):
            who = f"{profile.display_name} (checked profile)"
            contacts.append(Contact(who=who, phone=profile.phone, email=profile.email))
    contacts += [Contact(who=str(user), phone=user.phone_number, email=user.email) for user in payee_people(payee)]
    return contacts
