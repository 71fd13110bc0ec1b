"""Start-up checks: the GOV.UK Notify backend refuses to start without its key and templates."""

import re
from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, register

from accounts.ids import is_uuid

# "<key name>-<service id>-<secret>", as Notify shows it when the key is created.
_UUID = r"[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}"
NOTIFY_API_KEY_FORMAT = re.compile(rf"^.+-{_UUID}-{_UUID}$", re.IGNORECASE)


@register()
def notify_settings_check(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    if settings.NOTIFICATIONS_BACKEND != "notify":
        return []
    errors: list[CheckMessage] = []
    if not NOTIFY_API_KEY_FORMAT.match(settings.NOTIFY_API_KEY):
        errors.append(
            Error(
                "NOTIFY_API_KEY is missing or is not a GOV.UK Notify API key.",
                hint="Create an API key in your Notify service and copy all of it, name included.",
                id="accounts.E101",
            )
        )
    template_settings = (("NOTIFY_EMAIL_TEMPLATE_ID", "accounts.E102"), ("NOTIFY_SMS_TEMPLATE_ID", "accounts.E103"))
    for setting_name, check_id in template_settings:
        if not is_uuid(getattr(settings, setting_name)):
            errors.append(
                Error(
                    f"{setting_name} is missing or is not a template id.",
                    hint="Copy the template id from the template's page in Notify (see docs/notifications.md).",
                    id=check_id,
                )
            )
    return errors
