"""Sending a commissioner's message to every provider of a kind of support or every member of a framework lot.

Sending is one transaction: the message, one recipient row per organisation or personal assistant reached, an
email notification to each of their active people, and an audit row. The check step gives the form a token that
becomes the message's idempotency key, so a form sent twice (a double click, a resubmitted page) sends once.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from accounts.events import audit_record
from accounts.models import Organisation, User
from accounts.notifications import notification_send_many
from marketplace import market_message_selectors as selectors
from marketplace.models import MarketMessage, MarketMessageRecipient
from providers.models import FrameworkLot, TaxonomyTerm


def _audience(
    *, council: Organisation, category: TaxonomyTerm | None, lot: FrameworkLot | None
) -> tuple[str, selectors.Reach]:
    if (category is None) == (lot is None):
        raise ValidationError({"audience": "Choose one kind of support or one framework lot"})
    if category is not None:
        if not selectors.categories_for(council).filter(pk=category.pk).exists():
            raise ValidationError({"audience": "Choose one of the kinds of support offered"})
        return f"Providers of {category.name}", selectors.reach_of_category(council, category)
    assert lot is not None
    if lot.framework.council_id != council.pk:
        raise ValidationError({"audience": "Choose a lot of one of your council's frameworks"})
    return f"Members of {lot.framework.name}, lot {lot.number}: {lot.name}", selectors.reach_of_lot(council, lot)


def _event(council: Organisation, event_page_id: int | None) -> selectors.EventChoice | None:
    if event_page_id is None:
        return None
    for event in selectors.upcoming_events(council):
        if event.page_id == event_page_id:
            return event
    raise ValidationError({"event": "Choose one of your council's upcoming events"})


def _notification_body(message: MarketMessage) -> str:
    lines = [message.body]
    if message.event_title:
        lines.append(f"Event: {message.event_title} ({message.event_url})")
    lines.append(f"Sent by {message.council.name} to: {message.audience}.")
    return "\n\n".join(lines)


@transaction.atomic
def market_message_send(
    *,
    council: Organisation,
    sender: User,
    key: str,
    subject: str,
    body: str,
    category: TaxonomyTerm | None = None,
    lot: FrameworkLot | None = None,
    event_page_id: int | None = None,
) -> MarketMessage:
    """Send the message, or answer the one already sent with this key by this council."""
    already = MarketMessage.objects.filter(idempotency_key=key).first()
    if already is not None:
        return _already_sent(already, council)
    audience, reach = _audience(council=council, category=category, lot=lot)
    if not reach.total:
        raise ValidationError({"audience": "No provider or personal assistant would receive this message"})
    event = _event(council, event_page_id)
    message = MarketMessage(
        council=council,
        category=category,
        lot=lot,
        audience=audience,
        subject=subject.strip(),
        body=body.strip(),
        event_page_id=event.page_id if event else None,
        event_title=event.title if event else "",
        event_url=event.url if event else "",
        idempotency_key=key,
        sent_by=sender,
    )
    message.full_clean(validate_unique=False)
    try:
        with transaction.atomic():
            message.save()
    except IntegrityError:
        # The same form sent twice at once: the other request sent it.
        return _already_sent(MarketMessage.objects.get(idempotency_key=key), council)
    _deliver(message, reach)
    audit_record(
        actor=sender,
        action="market_message.sent",
        target=message,
        council=council,
        summary=f"Message '{message.subject}' sent to: {audience} ({reach.total} recipients)",
        data={"organisations": len(reach.organisations), "personal_assistants": len(reach.assistants)},
    )
    return message


def _already_sent(message: MarketMessage, council: Organisation) -> MarketMessage:
    if message.council_id != council.pk:
        raise ValidationError("This message cannot be sent. Start a new message.")
    return message


def _deliver(message: MarketMessage, reach: selectors.Reach) -> None:
    rows = [MarketMessageRecipient(message=message, organisation=organisation) for organisation in reach.organisations]
    rows += [MarketMessageRecipient(message=message, personal_assistant=assistant) for assistant in reach.assistants]
    staff = selectors.people_to_tell(reach.organisations)
    everyone: list[User] = []
    for row in rows:
        if row.organisation is not None:
            people = staff[row.organisation.pk]
        else:
            people = [row.personal_assistant.user] if row.personal_assistant.user.is_active else []  # type: ignore[union-attr]
        row.people_notified = len(people)
        # The message, organisations and assistants were just read from the database; only the row is checked.
        row.full_clean(exclude=["message", "organisation", "personal_assistant"], validate_constraints=False)
        everyone += people
    MarketMessageRecipient.objects.bulk_create(rows)
    notification_send_many(
        recipients=everyone,
        subject=f"{message.council.name}: {message.subject}",
        body=_notification_body(message),
        link=reverse("marketplace:market-message-received", args=[message.public_id]),
    )
