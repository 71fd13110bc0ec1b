"""How a council pays, set by its finance officers and council administrators (issue #11): the gateway
(payment file, or Stripe Connect for providers and PAs), the finance code on the payment file, and the
council's own Stripe keys.

The keys are secrets: they are stored encrypted (``EncryptedTextField``) and only ever leave this module
masked, like "sk_test_…4242": not in a page, an audit row or a notification. A change here decides where
the council's money goes, so the council's other finance officers are told of every change.
"""

import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.events import audit_record
from accounts.models import Membership, Organisation, User
from accounts.notifications import notification_send_many
from accounts.roles import Role
from marketplace.payments.bank_accounts import finance_officers_of
from marketplace.payments.exceptions import GatewayError
from marketplace.payments.models import Gateway, PaymentSettings
from marketplace.payments.stripe_gateway import stripe_balance_check

SETTINGS_ROLES = (Role.FINANCE_OFFICER, Role.COUNCIL_ADMIN)
SECRET_KEY_PREFIXES = ("sk_live_", "sk_test_", "rk_live_", "rk_test_")
WEBHOOK_SECRET_PREFIX = "whsec_"  # noqa: S105  (a prefix, not a secret)
# A tail is shown only when the rest of the secret is long enough that four characters give nothing away.
MASK_TAIL = 4
MASK_TAIL_MIN_LENGTH = 12
# The code goes into a cell of the payment file the finance system imports: no leading "=", "+", "-" or "@"
# that a spreadsheet would run as a formula.
FINANCE_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 ./_-]*$")


# --- Checking and masking ------------------------------------------------------------------------------


def secret_mask(value: str) -> str:
    """'sk_test_51Hx…4242': the kind of key (its prefix) and at most its last four characters."""
    if not value:
        return ""
    prefix = next((p for p in (*SECRET_KEY_PREFIXES, WEBHOOK_SECRET_PREFIX) if value.startswith(p)), "")
    rest = value[len(prefix) :]
    tail = rest[-MASK_TAIL:] if len(rest) >= MASK_TAIL_MIN_LENGTH else ""
    return f"{prefix}…{tail}"


def secret_key_check(value: str) -> str:
    """A Stripe secret or restricted key, without the spaces a copy and paste may bring."""
    key = "".join(value.split())
    if not key.startswith(SECRET_KEY_PREFIXES) or len(key) <= len("sk_test_"):
        raise ValidationError(
            {"secret_key": "Enter a Stripe secret key that starts with sk_live_, sk_test_, rk_live_ or rk_test_"}
        )
    return key


def webhook_secret_check(value: str) -> str:
    secret = "".join(value.split())
    if not secret.startswith(WEBHOOK_SECRET_PREFIX) or len(secret) <= len(WEBHOOK_SECRET_PREFIX):
        raise ValidationError({"webhook_secret": "Enter a webhook signing secret that starts with whsec_"})
    return secret


def finance_code_check(value: str) -> str:
    code = value.strip()
    if code and not FINANCE_CODE.match(code):
        raise ValidationError(
            {
                "finance_code": "The finance code can only have letters, numbers, spaces, full stops, slashes, "
                "hyphens and underscores, and must start with a letter or number"
            }
        )
    return code


def may_change_payment_settings(*, actor: User, council: Organisation) -> bool:
    return Membership.objects.active().filter(user=actor, organisation=council, role__in=SETTINGS_ROLES).exists()


def _permission_check(actor: User, council: Organisation) -> None:
    if not may_change_payment_settings(actor=actor, council=council):
        raise PermissionDenied(f"Only finance officers and council administrators of {council} set how it pays")


# --- Reading -------------------------------------------------------------------------------------------


def payment_settings_of(council: Organisation) -> PaymentSettings:
    """The council's settings, or unsaved defaults (payment file, no keys) when it has never set any."""
    return PaymentSettings.objects.filter(council=council).select_related("updated_by").first() or PaymentSettings(
        council=council
    )


# --- Changing ------------------------------------------------------------------------------------------


def _errors(
    *, gateway: str, finance_code: str, secret_key: str, webhook_secret: str, remove_keys: bool
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    checks = [(finance_code_check, finance_code)]
    checks += [(secret_key_check, secret_key)] if secret_key.strip() else []
    checks += [(webhook_secret_check, webhook_secret)] if webhook_secret.strip() else []
    for check, value in checks:
        try:
            check(value)
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                errors.setdefault(field, []).extend(messages)
    if gateway not in Gateway.values:
        errors["gateway"] = ["Choose how the council pays"]
    if remove_keys and (secret_key.strip() or webhook_secret.strip()):
        errors["remove_keys"] = ["Either enter new Stripe keys or remove them, not both"]
    return errors


def _stripe_errors(settings: PaymentSettings, *, remove_keys: bool) -> dict[str, list[str]]:
    """Stripe Connect cannot pay without the council's secret key, nor hear back without its webhook secret."""
    if settings.gateway != Gateway.STRIPE_CONNECT:
        return {}
    if remove_keys:
        return {"remove_keys": ["To remove the Stripe keys, first choose to pay by payment file"]}
    errors = {}
    if not settings.stripe_secret_key:
        errors["secret_key"] = ["Enter the council's Stripe secret key to pay through Stripe Connect"]
    if not settings.stripe_webhook_secret:
        errors["webhook_secret"] = ["Enter the webhook signing secret to pay through Stripe Connect"]
    return errors


def _locked_settings(council: Organisation) -> PaymentSettings:
    PaymentSettings.objects.get_or_create(council=council)
    # Locked, so that two people saving at once each see what the other changed (and the audit says so).
    return PaymentSettings.objects.select_for_update().get(council=council)


SETTINGS_FIELDS = ("gateway", "finance_code", "stripe_secret_key", "stripe_webhook_secret")


def _values(settings: PaymentSettings) -> dict[str, str]:
    return {field: getattr(settings, field) for field in SETTINGS_FIELDS}


def _changes(settings: PaymentSettings, before: dict[str, str], shown_before: dict[str, str]) -> dict[str, dict]:
    """Which fields changed, told with masked keys. Compared on the real values: a new key may mask the same."""
    after, shown_after = _values(settings), _shown(settings)
    return {
        field: {"from": shown_before[field], "to": shown_after[field]}
        for field in SETTINGS_FIELDS
        if before[field] != after[field]
    }


def _shown(settings: PaymentSettings) -> dict[str, str]:
    """What an audit row and a notification may say about the settings: the keys masked."""
    return {
        "gateway": settings.get_gateway_display(),
        "finance_code": settings.finance_code or "none",
        "stripe_secret_key": secret_mask(settings.stripe_secret_key) or "not set",
        "stripe_webhook_secret": secret_mask(settings.stripe_webhook_secret) or "not set",
    }


FIELD_NAMES = {
    "gateway": "how the council pays",
    "finance_code": "the finance code",
    "stripe_secret_key": "the Stripe secret key",
    "stripe_webhook_secret": "the webhook signing secret",
}


def _summary(changes: dict[str, dict[str, str]]) -> str:
    return "; ".join(f"{FIELD_NAMES[field]} from {c['from']} to {c['to']}" for field, c in changes.items())


@transaction.atomic
def payment_settings_update(
    *,
    council: Organisation,
    actor: User,
    gateway: str,
    finance_code: str,
    secret_key: str = "",
    webhook_secret: str = "",
    remove_keys: bool = False,
) -> PaymentSettings:
    """Set how the council pays. A blank key keeps the stored one; ``remove_keys`` clears both keys (only
    when the council pays by payment file). Stripe Connect needs both keys. Every change is audited, with
    the keys masked, and the council's other finance officers are told."""
    _permission_check(actor, council)
    errors = _errors(
        gateway=gateway,
        finance_code=finance_code,
        secret_key=secret_key,
        webhook_secret=webhook_secret,
        remove_keys=remove_keys,
    )
    if errors:
        raise ValidationError(errors)
    settings = _locked_settings(council)
    before, shown_before = _values(settings), _shown(settings)
    settings.gateway = gateway
    settings.finance_code = finance_code_check(finance_code)
    if remove_keys:
        settings.stripe_secret_key = settings.stripe_webhook_secret = ""
    if secret_key.strip():
        settings.stripe_secret_key = secret_key_check(secret_key)
    if webhook_secret.strip():
        settings.stripe_webhook_secret = webhook_secret_check(webhook_secret)
    errors = _stripe_errors(settings, remove_keys=remove_keys)
    if errors:
        raise ValidationError(errors)
    changes = _changes(settings, before, shown_before)
    if not changes:
        return settings
    settings.updated_by, settings.updated_at = actor, timezone.now()
    settings.full_clean()
    settings.save()
    _change_record(settings, actor=actor, changes=changes)
    return settings


def _change_record(settings: PaymentSettings, *, actor: User, changes: dict[str, dict[str, str]]) -> None:
    council = settings.council
    audit_record(
        actor=actor,
        action="payments.settings_changed",
        target=settings,
        council=council,
        summary=f"Payment settings changed: {_summary(changes)}",
        data={"changed": changes},
    )
    notification_send_many(
        recipients=[user for user in finance_officers_of(council) if user.pk != actor.pk],
        subject=f"{actor} changed how {council} pays",
        body=(
            f"{actor} changed the payment settings of {council}: {_summary(changes)}. These settings decide "
            "where the council's money goes. If you did not expect this change, check it now."
        ),
        link=reverse("payments:settings"),
    )


# --- Checking the Stripe connection ----------------------------------------------------------------------


def stripe_connection_check(*, council: Organisation, actor: User) -> str:
    """Whether Stripe accepts the council's key (see ``stripe_balance_check``), told as a sentence for the
    finance officer. Audited either way; a failure raises ``GatewayError`` with a message they can act on."""
    _permission_check(actor, council)
    try:
        balance = stripe_balance_check(council)
    except GatewayError as error:
        _check_record(council, actor=actor, outcome=f"failed: {error}")
        raise
    _check_record(council, actor=actor, outcome="worked")
    mode = "live" if balance.livemode else "test"
    available = f" The available balance is £{balance.available_gbp:,.2f}." if balance.available_gbp is not None else ""
    return f"Stripe accepted the secret key: the connection works, in {mode} mode.{available}"


def _check_record(council: Organisation, *, actor: User, outcome: str) -> None:
    audit_record(
        actor=actor,
        action="payments.stripe_connection_checked",
        target=council,
        council=council,
        summary=f"Stripe connection of {council} checked: {outcome}",
    )
