"""Complaints about the commissioning demo's Coventry orders, so that each complaint page has something to show:
one the family accepted the provider's response to, one the council partly upheld after the family asked it to
look, and one still waiting for the provider.

Everything goes through ``marketplace.services.complaints``, so timelines, audit rows and notifications are as
real use leaves them. An order already complained about is left as it is, so a second run creates nothing.
"""

from accounts.roles import Role
from brokerage.services.consent import consent_holder
from demo.context import DemoContext
from demo.councils import COVENTRY
from marketplace.complaint_selectors import complaint_officers, complaint_provider_users
from marketplace.models import Complaint, ComplaintOutcome, Order
from marketplace.services.complaints import (
    Subject,
    complaint_accept,
    complaint_decide,
    complaint_escalate,
    complaint_make,
    complaint_respond,
)

# (what happened, what they want, the provider's response or "" for none, how it ends), oldest order first.
COMPLAINTS = (
    (
        "The session on Tuesday was cancelled an hour before it started, and nobody told us why.",
        "An explanation, and the session made up.",
        "We are sorry: our tutor was ill and the message did not reach you. We have added a session next week.",
        "accepted",
    ),
    (
        "Two sessions were shorter than the hour we agreed, and we were still charged for the full hour.",
        "The money for the missed time put back into the budget.",
        "Our records show the sessions started late because of traffic, but the full time was delivered.",
        "partly upheld",
    ),
    ("The worker changed three times this month without warning.", "The same worker each week.", "", "waiting"),
)


def build(ctx: DemoContext) -> None:
    council = ctx.organisations[COVENTRY.slug]
    orders = Order.objects.filter(person__council=council).select_related("person", "offer").order_by("placed_at", "pk")
    created = existing = 0
    for order, complaint in zip(orders, COMPLAINTS, strict=False):
        if Complaint.objects.filter(order=order).exists():
            existing += 1
            continue
        created += _complain(order, *complaint)
    ctx.tally.record("Complaints about support", created=created, existing=existing)


def _complain(order: Order, what_happened: str, what_they_want: str, response: str, ending: str) -> int:
    holder = consent_holder(order.person)
    membership = holder.user.memberships.filter(role=Role.FAMILY_MEMBER, is_active=True).first() if holder else None
    if membership is None:
        return 0
    complaint = complaint_make(
        made_by=holder.user,
        membership=membership,
        person=order.person,
        subject=Subject.of_order(order),
        what_happened=what_happened,
        what_they_want=what_they_want,
    )
    staff = complaint_provider_users(complaint)
    if not response or not staff:
        return 1
    complaint = complaint_respond(complaint=complaint, responder=staff[0], response=response)
    if ending == "accepted":
        complaint_accept(complaint=complaint, actor=holder.user)
        return 1
    complaint = complaint_escalate(complaint=complaint, actor=holder.user, reason="The time we lost was not paid back.")
    officers = complaint_officers(complaint.council)
    if officers:
        complaint_decide(
            complaint=complaint,
            officer=officers[0],
            outcome=ComplaintOutcome.PARTLY_UPHELD,
            decision="The sessions started late. The provider must credit 30 minutes for each of the two sessions.",
        )
    return 1
