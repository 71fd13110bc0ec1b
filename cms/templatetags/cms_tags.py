"""Template helpers for the public site: GOV.UK classes on rich text, prices in pounds, and the site
settings (name, navigation, footer) that editors keep in the CMS."""

import re
from datetime import datetime
from decimal import Decimal

from django import template
from django.http import HttpRequest
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from wagtail.rich_text import RichText, expand_db_html

from cms.models import SiteSettings
from cms.models.base import ENGLISH

register = template.Library()

# The elements Wagtail's rich text editor produces, and the GOV.UK Frontend classes that style them.
GOVUK_CLASSES = {
    "p": "govuk-body",
    "h2": "govuk-heading-m",
    "h3": "govuk-heading-s",
    "h4": "govuk-heading-s",
    "ul": "govuk-list govuk-list--bullet",
    "ol": "govuk-list govuk-list--number",
    "a": "govuk-link",
    "table": "govuk-table",
    "tbody": "govuk-table__body",
    "tr": "govuk-table__row",
    "th": "govuk-table__header",
    "td": "govuk-table__cell",
}
# An opening tag without a class attribute of its own (editors cannot add classes in the editor).
_OPENING_TAG = re.compile(r"<(" + "|".join(GOVUK_CLASSES) + r")(?=[\s>])(?![^>]*\sclass=)")


@register.filter
def govuk_richtext(value: RichText | str | None) -> SafeString:
    """Render rich text with GOV.UK typography, as the plain elements Wagtail stores have no style."""
    if value is None:
        return mark_safe("")
    html = str(value) if isinstance(value, RichText) else expand_db_html(value)
    with_classes = _OPENING_TAG.sub(lambda m: f'<{m.group(1)} class="{GOVUK_CLASSES[m.group(1)]}"', html)
    # Safe: Wagtail's rich text is already whitelisted HTML, and only fixed class names are added.
    return mark_safe(with_classes)  # noqa: S308


@register.filter
def pounds(amount: Decimal | int | str | None) -> str:
    """£1,500.00 – the form GOV.UK uses for money with pence."""
    if amount in (None, ""):
        return ""
    return f"£{Decimal(amount):,.2f}"


@register.filter
def govuk_time(moment: datetime | None) -> str:
    """6:30pm, 10am, midday: the GOV.UK style for times."""
    if moment is None:
        return ""
    local = timezone.localtime(moment)
    if (local.hour, local.minute) == (12, 0):
        return "midday"
    hour = local.hour % 12 or 12
    minutes = f":{local.minute:02d}" if local.minute else ""
    return f"{hour}{minutes}{'am' if local.hour < 12 else 'pm'}"


@register.simple_tag(takes_context=True)
def site_settings(context: template.Context) -> SiteSettings | None:
    request: HttpRequest | None = context.get("request")
    return SiteSettings.for_request(request) if request is not None else None


@register.simple_tag(takes_context=True)
def site_navigation(context: template.Context) -> list[dict[str, object]]:
    """The editors' header links, then the links for the signed-in user's roles (accounts.navigation)."""
    request: HttpRequest | None = context.get("request")
    settings = site_settings(context)
    current = request.path if request is not None else ""
    items: list[dict[str, object]] = []
    for block in settings.navigation if settings else []:
        href = block.value.href()
        if not href:
            continue
        items.append(
            {
                "label": block.value["label"],
                "href": href,
                "current": current == href,
                "active": href != "/" and current.startswith(href),
            }
        )
    return items + list(context.get("nav_items") or [])


@register.simple_tag(takes_context=True)
def english_lang_attribute(context: template.Context) -> str:
    """On a page in another language, marks the header, navigation and footer (always English) as English."""
    language = context.get("content_language")
    if not language or language == ENGLISH:
        return ""
    return format_html(' lang="{}" dir="ltr"', ENGLISH)
