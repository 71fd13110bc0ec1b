"""News and events: provider forums, family sessions and what has changed."""

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.utils import timezone
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.search import index

from cms import selectors
from cms.blocks import ARTICLE_BLOCKS
from cms.models.base import ContentPage

NEWS_PER_PAGE = 10
PAST_EVENTS_SHOWN = 10


class NewsIndexPage(ContentPage):
    """The list of news stories, newest first."""

    intro = models.CharField(max_length=300, blank=True)

    content_panels = ContentPage.content_panels + [FieldPanel("intro")]

    parent_page_types = ["cms.HomePage", "cms.CouncilIndexPage"]
    subpage_types = ["cms.NewsPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = "news index"

    def get_context(self, request, *args, **kwargs):  # type: ignore[no-untyped-def]
        context = super().get_context(request, *args, **kwargs)
        news = selectors.latest_news(within=self)
        context["page_obj"] = Paginator(news, NEWS_PER_PAGE).get_page(request.GET.get("page"))
        return context


class NewsPage(ContentPage):
    date = models.DateField("date published", default=timezone.localdate)
    summary = models.CharField(max_length=300, help_text="One or two sentences shown in lists of news")
    body = StreamField(ARTICLE_BLOCKS)

    content_panels = ContentPage.content_panels + [FieldPanel("date"), FieldPanel("summary"), FieldPanel("body")]
    search_fields = ContentPage.search_fields + [index.SearchField("summary"), index.SearchField("body")]

    parent_page_types = ["cms.NewsIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = "news story"
        verbose_name_plural = "news stories"


class EventIndexPage(ContentPage):
    """Upcoming events, soonest first, then the most recent past events."""

    intro = models.CharField(max_length=300, blank=True)

    content_panels = ContentPage.content_panels + [FieldPanel("intro")]

    parent_page_types = ["cms.HomePage", "cms.CouncilIndexPage"]
    subpage_types = ["cms.EventPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = "events index"

    def get_context(self, request, *args, **kwargs):  # type: ignore[no-untyped-def]
        context = super().get_context(request, *args, **kwargs)
        context["upcoming_events"] = selectors.upcoming_events(within=self)
        context["past_events"] = selectors.past_events(within=self, limit=PAST_EVENTS_SHOWN)
        return context


class Attendance(models.TextChoices):
    IN_PERSON = "in_person", "In person"
    ONLINE = "online", "Online"
    BOTH = "both", "Online and in person"


class Audience(models.TextChoices):
    EVERYONE = "everyone", "Everyone"
    FAMILIES = "families", "Families and young people"
    PROVIDERS = "providers", "Providers and personal assistants"
    PROFESSIONALS = "professionals", "Professionals"


class EventPage(ContentPage):
    """A provider forum, family session or training: when, where, how to join and how to book."""

    starts_at = models.DateTimeField("starts")
    ends_at = models.DateTimeField("ends", null=True, blank=True)
    attendance = models.CharField(max_length=20, choices=Attendance.choices, default=Attendance.IN_PERSON)
    audience = models.CharField("who it is for", max_length=20, choices=Audience.choices, default=Audience.EVERYONE)
    venue = models.TextField(blank=True, help_text="The place and its address, for events in person")
    online_details = models.CharField(
        "how to join online",
        max_length=300,
        blank=True,
        help_text="For example: ‘On Microsoft Teams. We email you the link when you book.’",
    )
    cost = models.CharField(max_length=100, default="Free")
    booking_url = models.URLField("booking link", blank=True)
    summary = models.CharField(max_length=300, help_text="One or two sentences shown in lists of events")
    body = StreamField(ARTICLE_BLOCKS, blank=True)

    content_panels = ContentPage.content_panels + [
        MultiFieldPanel([FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")])], heading="When"),
        MultiFieldPanel([FieldPanel("attendance"), FieldPanel("venue"), FieldPanel("online_details")], heading="Where"),
        FieldPanel("audience"),
        FieldPanel("cost"),
        FieldPanel("booking_url"),
        FieldPanel("summary"),
        FieldPanel("body"),
    ]
    search_fields = ContentPage.search_fields + [
        index.SearchField("summary"),
        index.SearchField("venue"),
        index.SearchField("body"),
        index.FilterField("starts_at"),
    ]

    parent_page_types = ["cms.EventIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = "event"

    @property
    def is_in_person(self) -> bool:
        return self.attendance in (Attendance.IN_PERSON, Attendance.BOTH)

    @property
    def is_online(self) -> bool:
        return self.attendance in (Attendance.ONLINE, Attendance.BOTH)

    @property
    def has_ended(self) -> bool:
        return (self.ends_at or self.starts_at) < timezone.now()

    def clean(self) -> None:
        super().clean()
        errors = {}
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = "The end must be after the start"
        # Like required fields, these wait until publishing so that an editor can save a draft half done.
        if not self.defers_publish_checks:
            if self.is_in_person and not self.venue.strip():
                errors["venue"] = "Enter the place and its address for an event in person"
            if self.is_online and not self.online_details.strip():
                errors["online_details"] = "Say how people join online"
        if errors:
            raise ValidationError(errors)
