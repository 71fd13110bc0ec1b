"""Build pages for tests the way editors do: add under a parent, save a revision, publish it."""

import uuid
from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone
from wagtail.models import Page

from cms.models import EventIndexPage, GuidePage, HomePage, NewsIndexPage


def publish(parent: Page, page: Page, user: Any = None) -> Page:
    parent.add_child(instance=page)
    page.save_revision(user=user).publish(user=user)
    page.refresh_from_db()
    return page


def home() -> HomePage:
    return HomePage.objects.get()


def news_index() -> NewsIndexPage:
    return NewsIndexPage.objects.child_of(home()).get()


def events_index() -> EventIndexPage:
    return EventIndexPage.objects.child_of(home()).get()


def text(html: str) -> tuple[str, str]:
    return ("text", html)


def guide(title: str = "Direct payments", **fields: Any) -> GuidePage:
    """An unsaved guide with a summary and one paragraph, ready for ``publish``."""
    fields.setdefault("summary", f"What you need to know about {title.lower()}.")
    fields.setdefault("body", [text(f"<p>{title} explained.</p>")])
    return GuidePage(
        title=title, slug=fields.pop("slug", f"{title.lower().replace(' ', '-')}-{uuid.uuid4().hex[:6]}"), **fields
    )


def later(**delta: float) -> datetime:
    return timezone.now() + timedelta(**delta)
