"""Page types, in the modules they belong to; Django and Wagtail find them all here."""

from cms.models.base import ContentPage
from cms.models.councils import CouncilIndexPage, MarketPositionStatementPage
from cms.models.news_events import Attendance, Audience, EventIndexPage, EventPage, NewsIndexPage, NewsPage
from cms.models.pages import FaqPage, GuidePage, HomePage, StandardPage
from cms.models.settings import SiteSettings

__all__ = [
    "Attendance",
    "Audience",
    "ContentPage",
    "CouncilIndexPage",
    "EventIndexPage",
    "EventPage",
    "FaqPage",
    "GuidePage",
    "HomePage",
    "MarketPositionStatementPage",
    "NewsIndexPage",
    "NewsPage",
    "SiteSettings",
    "StandardPage",
]
