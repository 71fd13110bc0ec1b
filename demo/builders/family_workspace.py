"""Requests for help in the family workspace, so that both sides have something to show: Claire asked Tom's
lead professional about a personal assistant and had an answer, and asked the council's brokers about
short breaks, which is still open.

Everything goes through ``marketplace.services.help_requests`` (notifications and audit rows as real use
leaves them). A family that has asked already is left as it is, so a second run creates nothing.
"""

from brokerage.models import PersonSupported
from demo.context import DemoContext
from marketplace.family_selectors import help_choices
from marketplace.models import ContactPreference, HelpRequest
from marketplace.services.help_requests import help_request_answer, help_request_ask

FAMILY_EMAIL = "family@coventry.demo"


def build(ctx: DemoContext) -> None:
    claire = ctx.users.get(FAMILY_EMAIL)
    person = (
        PersonSupported.objects.filter(consent_holders__user=claire, consent_holders__ended_at__isnull=True)
        .order_by("pk")
        .first()
        if claire
        else None
    )
    if person is None or HelpRequest.objects.filter(person=person).exists():
        ctx.tally.record("Requests for help", created=0, existing=1 if person else 0)
        return
    created = 0
    named = [choice.user for choice in help_choices(person) if choice.user is not None]
    if named:
        asked = help_request_ask(
            person=person,
            holder=claire,
            to_user=named[0],
            message="Could you help us find a personal assistant for Saturday mornings?",
            contact_by=ContactPreference.PHONE,
        )
        help_request_answer(
            help_request=asked,
            actor=named[0],
            answer="Yes: I will ring you on Tuesday, and we can look at the PAs near you together.",
        )
        created += 1
    help_request_ask(
        person=person,
        holder=claire,
        to_user=None,
        message="We would like to know what short breaks Tom could have in the summer holidays.",
        contact_by=ContactPreference.EMAIL,
    )
    ctx.tally.record("Requests for help", created=created + 1, existing=0)
