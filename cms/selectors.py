"""Reads for the public site: only live pages that anyone may see, in the order readers expect."""

from collections.abc import Sequence
from datetime import datetime

from django.db.models import F, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone
from wagtail.models import Page

from cms import models as cms_models


def _visible(queryset: QuerySet) -> QuerySet:
    return queryset.live().public()


def latest_news(*, within: Page, limit: int | None = None) -> QuerySet:
    """News stories anywhere under ``within``, newest first."""
    news = _visible(cms_models.NewsPage.objects.descendant_of(within)).order_by("-date", "-first_published_at")
    return news[:limit] if limit else news


def _events_under(within: Page) -> QuerySet:
    return _visible(cms_models.EventPage.objects.descendant_of(within)).annotate(
        finishes_at=Coalesce(F("ends_at"), F("starts_at"))
    )


def upcoming_events(*, within: Page, limit: int | None = None, now: datetime | None = None) -> QuerySet:
    """Events that have not finished yet, soonest first (an event on now is still upcoming)."""
    events = _events_under(within).filter(finishes_at__gte=now or timezone.now()).order_by("starts_at")
    return events[:limit] if limit else events


def past_events(*, within: Page, limit: int, now: datetime | None = None) -> QuerySet:
    return _events_under(within).filter(finishes_at__lt=now or timezone.now()).order_by("-starts_at")[:limit]


def listed_children(page: Page) -> QuerySet:
    """The pages inside a section, in the order editors put them."""
    return _visible(page.get_children()).specific()


def live_pages_in_order(pages: Sequence[Page]) -> list[Page]:
    """The chosen pages that are live and public, in the order the editor chose them."""
    visible = set(_visible(Page.objects.filter(pk__in=[page.pk for page in pages])).values_list("pk", flat=True))
    return [page for page in pages if page.pk in visible]


def live_or_none(page: Page | None) -> Page | None:
    return page if page is not None and page.live else None


def standard_version_of(easy_read: "cms_models.GuidePage") -> "cms_models.GuidePage | None":
    """The live guide that names ``easy_read`` as its easy-read version."""
    return _visible(cms_models.GuidePage.objects.filter(easy_read_version=easy_read)).first()
