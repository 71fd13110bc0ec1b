"""People for the data-protection tests.

In Coventry: Tom (12) has a budget his mother Alice holds consent for, an order from Sunrise Tutors and a
conversation with them; Ada is the council's administrator, Lena the lead professional. Gloucestershire's
administrator Gil must never reach Tom. Mia (9) has only a conversation: no money has ever moved for her.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from accounts.models import User
from accounts.roles import Role
from accounts.tests.factories import CouncilFactory
from brokerage import ledger
from brokerage.models import LedgerAccount, PersonSupported, Posting
from marketplace.models import Enquiry, Message, Order
from marketplace.services.orders import order_cancel
from marketplace.tests import order_factories as orders
from marketplace.tests.enquiry_factories import membership_of, person

NEEDS_NOTE = "Tom finds loud rooms hard; his dad left in March"


@dataclass
class Setting:
    tom: orders.Family
    seller: orders.Provider
    order: Order
    enquiry: Enquiry
    ada: User
    gil: User


def setting(*, cancel: bool = True) -> Setting:
    tom = orders.family()
    tom.person.needs_notes = NEEDS_NOTE
    tom.person.postcode = "CV3 5AB"
    tom.person.save()
    seller = orders.provider()
    order = orders.place(tom, seller, units="5", rate="20.00")
    if cancel:
        order = order_cancel(order=order, actor=tom.parent, reason="Tom's dad takes him now")
    enquiry = conversation(
        tom.parent, seller, about=tom.person, question="Tom Walsh lives at 4 Elm Road; can you come on Saturdays?"
    )
    ada = orders.member(Role.COUNCIL_ADMIN, tom.council, first_name="Ada")
    gil = orders.member(Role.COUNCIL_ADMIN, CouncilFactory(name="Gloucestershire"), first_name="Gil")
    return Setting(tom=tom, seller=seller, order=order, enquiry=enquiry, ada=ada, gil=gil)


def mia_with_a_conversation(the: Setting) -> PersonSupported:
    mother = orders.member(Role.FAMILY_MEMBER, the.tom.council, first_name="Maya", last_name="Khan")
    mia = person(the.tom.council, holder=mother, born=datetime.date(2017, 2, 1), first_name="Mia", last_name="Khan")
    conversation(mother, the.seller, about=mia, question="Is there a place for Mia?")
    return mia


def conversation(enquirer: User, seller: orders.Provider, *, about: PersonSupported, question: str) -> Enquiry:
    """An enquiry as ``enquiry_send`` records it (the quick offers here are not in the directory's search)."""
    enquiry = Enquiry.objects.create(
        offer=seller.offer,
        provider_organisation=seller.organisation,
        enquirer=enquirer,
        enquirer_membership=membership_of(enquirer),
        council=about.council,
        person=about,
        shared_first_name=about.first_name,
    )
    Message.objects.create(enquiry=enquiry, sender=enquirer, side="enquirer", body=question)
    return enquiry


def end_budgets(someone: PersonSupported, on: datetime.date) -> None:
    someone.budgets.update(starts_on=on.replace(year=on.year - 1), ends_on=on)


def ledger_snapshot() -> dict[int, Decimal]:
    return {account.pk: ledger.balance(account) for account in LedgerAccount.objects.order_by("pk")}


def unbalanced_transactions() -> list[int]:
    # Added up in Decimal: SQLite's SUM is floating point.
    totals: dict[int, Decimal] = defaultdict(Decimal)
    for transaction_id, amount in Posting.objects.values_list("transaction_id", "amount"):
        totals[transaction_id] += amount
    return [pk for pk, total in totals.items() if total != 0]
