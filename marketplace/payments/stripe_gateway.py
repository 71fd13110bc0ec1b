"""Stripe Connect for a council that pays through its own Stripe account: the council's client, providers'
and PAs' Express connected accounts and their onboarding links, and transfers from the council's platform
balance.

Exactly once: every transfer carries the payment's idempotency key (Stripe replays the first answer for 24
hours) and the run's ``transfer_group``; a run resumed later than that first asks Stripe which transfers of
its group exist (``transfers_already_made``) and sends only the others.

Stripe's errors become ``GatewayError`` with a message a finance officer or provider can act on; nothing
was paid by a call that raised.
"""

import logging
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

import stripe
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.events import audit_record
from accounts.models import Organisation, User
from marketplace.payments.exceptions import GatewayError
from marketplace.payments.models import ConnectedAccount, Gateway, Payment, PaymentRun, PaymentSettings
from providers.models import PersonalAssistantProfile

logger = logging.getLogger(__name__)

# Safe to retry: every POST carries an idempotency key (ours, or one the SDK adds for its own retries).
NETWORK_RETRIES = 2
TRANSFER_PAGE_SIZE = 100


def _payment_settings(council: Organisation) -> PaymentSettings | None:
    return PaymentSettings.objects.filter(council=council).first()


def stripe_client(council: Organisation) -> stripe.StripeClient:
    """The client for the council's own Stripe account: its keys from its payment settings, else the
    deployment's environment defaults (a single-council deployment)."""
    payment_settings = _payment_settings(council)
    secret_key = (payment_settings and payment_settings.stripe_secret_key) or settings.STRIPE_SECRET_KEY
    if not secret_key:
        raise GatewayError(f"{council} has no Stripe secret key, so it cannot pay through Stripe")
    api_base = (payment_settings and payment_settings.stripe_api_base) or settings.STRIPE_API_BASE
    return stripe.StripeClient(
        secret_key,
        base_addresses={"api": api_base.rstrip("/"), "connect": api_base.rstrip("/")},
        max_network_retries=NETWORK_RETRIES,
    )


def _plain(error: stripe.StripeError, refused: str) -> GatewayError:
    """``refused`` completes "Stripe refused …": "the transfer of £50.00 to Jo", "to open a Stripe account"."""
    if isinstance(error, stripe.APIConnectionError):
        return GatewayError("Stripe could not be reached. Nothing was paid; try again later.")
    if isinstance(error, stripe.AuthenticationError | stripe.PermissionError):
        return GatewayError(
            "Stripe did not accept the council's secret key. Check that the whole key is in the payment settings."
        )
    reason = error.user_message or error._message or str(error)  # _message: without the request id
    return GatewayError(f"Stripe refused {refused}: {reason}")


# --- The council's own account -------------------------------------------------------------------------


@dataclass(frozen=True)
class Balance:
    livemode: bool
    available_gbp: Decimal | None


def stripe_balance_check(council: Organisation) -> Balance:
    """The council's Stripe balance, asked for with its key: the cheapest call that proves the key works.
    Raises ``GatewayError`` when there is no key or Stripe refuses."""
    try:
        balance = stripe_client(council).v1.balance.retrieve()
    except stripe.StripeError as error:
        raise _plain(error, "the check") from error
    pence_available = [funds.amount for funds in balance.available or [] if funds.currency == "gbp"]
    available = Decimal(sum(pence_available)) / 100 if pence_available else None
    return Balance(livemode=bool(balance.livemode), available_gbp=available)


# --- Connected accounts --------------------------------------------------------------------------------


def _owner(provider_organisation: Organisation | None, personal_assistant: PersonalAssistantProfile | None) -> dict:
    if (provider_organisation is None) == (personal_assistant is None):
        raise TypeError("Give exactly one of provider_organisation and personal_assistant")
    if provider_organisation is not None:
        return {"provider_organisation": provider_organisation}
    return {"personal_assistant": personal_assistant}


def connected_account_for(
    *,
    council: Organisation,
    provider_organisation: Organisation | None = None,
    personal_assistant: PersonalAssistantProfile | None = None,
) -> ConnectedAccount | None:
    owner = _owner(provider_organisation, personal_assistant)
    return ConnectedAccount.objects.filter(council=council, **owner).first()


def connect_account_create(
    *,
    council: Organisation,
    actor: User,
    provider_organisation: Organisation | None = None,
    personal_assistant: PersonalAssistantProfile | None = None,
) -> ConnectedAccount:
    """The payee's Express account on the council's platform, created at Stripe the first time and reused
    after. The idempotency key is the council and payee, so two clicks at once make one Stripe account."""
    owner = _owner(provider_organisation, personal_assistant)
    existing = ConnectedAccount.objects.filter(council=council, **owner).first()
    if existing is not None:
        return existing
    owner_kind, owner_record = next(iter(owner.items()))
    try:
        stripe_account = stripe_client(council).v1.accounts.create(
            params={
                "type": "express",
                "country": "GB",
                "default_currency": "gbp",
                "capabilities": {"transfers": {"requested": True}},
                "metadata": {"council": str(council.public_id), owner_kind: str(owner_record.public_id)},
            },
            options={"idempotency_key": f"connect-{council.public_id}-{owner_kind}-{owner_record.public_id}"},
        )
    except stripe.StripeError as error:
        raise _plain(error, "to open a Stripe account for you") from error
    return _connected_account_save(
        council=council, actor=actor, owner=owner, stripe_account_id=stripe_account.id, data=dict(stripe_account)
    )


def _connected_account_save(
    *, council: Organisation, actor: User, owner: dict, stripe_account_id: str, data: Any
) -> ConnectedAccount:
    try:
        with transaction.atomic():
            account = ConnectedAccount(council=council, stripe_account_id=stripe_account_id, created_by=actor, **owner)
            _apply(account, data)
            account.full_clean()
            account.save()
            audit_record(
                actor=actor,
                action="payments.connected_account_created",
                target=account,
                council=council,
                summary=f"Stripe account {stripe_account_id} opened for {next(iter(owner.values()))}",
            )
    except IntegrityError:
        # The same request twice at once: Stripe's idempotency gave both the same account; keep the first row.
        return ConnectedAccount.objects.get(council=council, **owner)
    return account


def connect_onboarding_link(*, account: ConnectedAccount, refresh_url: str, return_url: str) -> str:
    """A single-use Stripe page where the payee gives their details; it expires after a few minutes, which
    is why Stripe sends the browser to ``refresh_url`` for a new one."""
    try:
        link = stripe_client(account.council).v1.account_links.create(
            params={
                "account": account.stripe_account_id,
                "refresh_url": refresh_url,
                "return_url": return_url,
                "type": "account_onboarding",
            }
        )
    except stripe.StripeError as error:
        raise _plain(error, "to start your Stripe sign-up") from error
    return link.url


def _apply(account: ConnectedAccount, data: Any) -> None:
    requirements = data.get("requirements") or {}
    account.details_submitted = bool(data.get("details_submitted"))
    account.charges_enabled = bool(data.get("charges_enabled"))
    account.payouts_enabled = bool(data.get("payouts_enabled"))
    account.requirements_due = list(requirements.get("currently_due") or [])


@transaction.atomic
def account_refresh(*, account: ConnectedAccount, data: dict, as_of: datetime | None = None) -> ConnectedAccount:
    """Apply a Stripe account object. ``as_of`` is when Stripe produced it (an event's ``created``), so
    that an older event arriving later can be recognised and ignored."""
    before = account.can_receive_transfers
    _apply(account, data)
    account.updated_at = as_of or timezone.now()
    account.full_clean()
    account.save()
    if account.can_receive_transfers != before:
        ready = account.can_receive_transfers
        audit_record(
            actor=None,
            action="payments.connected_account_ready" if ready else "payments.connected_account_held",
            target=account,
            council=account.council,
            summary=f"Stripe account {account.stripe_account_id} "
            + ("can now receive payments" if ready else "can no longer receive payments"),
            data={"requirements_due": account.requirements_due},
        )
    return account


def connect_account_sync(*, account: ConnectedAccount) -> ConnectedAccount:
    """Ask Stripe for the account's state now (when the payee comes back from Stripe's pages, before the
    ``account.updated`` webhook may have arrived)."""
    try:
        data = stripe_client(account.council).v1.accounts.retrieve(account.stripe_account_id)
    except stripe.StripeError as error:
        raise _plain(error, "to tell us the state of your Stripe account") from error
    return account_refresh(account=account, data=dict(data), as_of=timezone.now())


# --- Transfers ------------------------------------------------------------------------------------


def pence(amount: Decimal) -> int:
    return int((amount * 100).to_integral_exact())


def transfer_send(*, payment: Payment) -> str:
    """Move the payment from the council's Stripe balance to the payee's connected account; the Stripe
    transfer id. Sending the same payment again within 24 hours returns the same transfer."""
    account = payment.connected_account
    if account is None:
        raise GatewayError(f"{payment.payee_name} has no Stripe account, so the payment cannot go by Stripe")
    run = payment.run
    try:
        transfer = stripe_client(run.council).v1.transfers.create(
            params={
                "amount": pence(payment.amount),
                "currency": "gbp",
                "destination": account.stripe_account_id,
                "transfer_group": run.transfer_group,
                "description": f"{run.reference} {payment.remittance_reference}".strip(),
                "metadata": {"payment_id": str(payment.public_id), "run": run.reference},
            },
            options={"idempotency_key": payment.idempotency_key},
        )
    except stripe.StripeError as error:
        logger.warning("Stripe transfer for payment %s failed: %s", payment.public_id, error)
        raise _plain(error, f"the transfer of £{payment.amount:,.2f} to {payment.payee_name}") from error
    return transfer.id


def transfers_already_made(*, run: PaymentRun) -> dict[str, str]:
    """The run's transfers Stripe holds, as {payment public id: transfer id}: what a resumed run must not
    send again, even after the idempotency keys have expired."""
    try:
        page = stripe_client(run.council).v1.transfers.list(
            params={"transfer_group": run.transfer_group, "limit": TRANSFER_PAGE_SIZE}
        )
        return {
            transfer.metadata["payment_id"]: transfer.id
            for transfer in page.auto_paging_iter()
            if transfer.metadata and transfer.metadata.get("payment_id")
        }
    except stripe.StripeError as error:
        raise _plain(error, f"to list the transfers already made for {run.reference}") from error


def council_pays_by_stripe(council: Organisation | None) -> bool:
    """The council has chosen Stripe Connect for paying providers and PAs."""
    if council is None:
        return False
    payment_settings = _payment_settings(council)
    return payment_settings is not None and payment_settings.gateway == Gateway.STRIPE_CONNECT
