"""The home page, plain pages, guides and FAQs."""

from django.core.exceptions import ValidationError
from django.db import models
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.search import index

from cms import selectors
from cms.blocks import BODY_BLOCKS, FAQ_BLOCKS, GUIDE_BLOCKS, RouteBlock
from cms.models.base import ContentPage

LATEST_NEWS_ON_HOME = 3
UPCOMING_EVENTS_ON_HOME = 2

# Pages that an editor may put inside the home page, a section or a council's own area.
SECTION_CHILD_TYPES = ["cms.StandardPage", "cms.GuidePage", "cms.FaqPage"]


class HomePage(ContentPage):
    """The site root: a search box, the ways in for each group of users, featured guides and the news."""

    intro = RichTextField(features=["bold", "italic", "link"], blank=True)
    routes = StreamField([("route", RouteBlock())], blank=True, max_num=6)
    featured_guides = StreamField(
        [("guide", blocks.PageChooserBlock(page_type="cms.GuidePage"))],
        blank=True,
        max_num=6,
        help_text="Up to six guides to show on the home page, most useful first",
    )

    content_panels = ContentPage.content_panels + [
        FieldPanel("intro"),
        FieldPanel("routes"),
        FieldPanel("featured_guides"),
    ]
    search_fields = ContentPage.search_fields + [index.SearchField("intro")]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        *SECTION_CHILD_TYPES,
        "cms.NewsIndexPage",
        "cms.EventIndexPage",
        "cms.CouncilIndexPage",
    ]
    max_count_per_parent = 1

    class Meta:
        verbose_name = "home page"

    def get_context(self, request, *args, **kwargs):  # type: ignore[no-untyped-def]
        context = super().get_context(request, *args, **kwargs)
        context["featured_guides"] = selectors.live_pages_in_order(
            [block.value for block in self.featured_guides if block.value]
        )
        context["latest_news"] = selectors.latest_news(within=self, limit=LATEST_NEWS_ON_HOME)
        context["upcoming_events"] = selectors.upcoming_events(within=self, limit=UPCOMING_EVENTS_ON_HOME)
        return context


class StandardPage(ContentPage):
    """A plain page of information or a section: the accessibility statement, privacy notice, cookies,
    and the pages for families, providers and professionals that list the guides inside them."""

    summary = models.CharField(max_length=300, blank=True, help_text="One or two sentences shown under the title")
    body = StreamField(BODY_BLOCKS)

    content_panels = ContentPage.content_panels + [FieldPanel("summary"), FieldPanel("body")]
    search_fields = ContentPage.search_fields + [index.SearchField("summary"), index.SearchField("body")]

    parent_page_types = ["cms.HomePage", "cms.StandardPage", "cms.CouncilIndexPage"]
    subpage_types = SECTION_CHILD_TYPES

    class Meta:
        verbose_name = "standard page"

    def get_context(self, request, *args, **kwargs):  # type: ignore[no-untyped-def]
        context = super().get_context(request, *args, **kwargs)
        context["child_pages"] = selectors.listed_children(self)
        return context


class GuidePage(ContentPage):
    """A guide or information page: how something works, in plain English, with examples and stories.

    A guide may have an easy-read version (another guide marked easy read); each links to the other.
    """

    summary = models.CharField(max_length=300, help_text="One or two sentences: what this guide helps you do")
    body = StreamField(GUIDE_BLOCKS)
    is_easy_read = models.BooleanField(
        "this is an easy-read version",
        default=False,
        help_text="Short sentences and pictures, for people with a learning disability",
    )
    easy_read_version = models.ForeignKey(
        "cms.GuidePage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="standard_versions",
        help_text="The easy-read version of this guide, if there is one",
    )

    content_panels = ContentPage.content_panels + [
        FieldPanel("summary"),
        FieldPanel("body"),
        MultiFieldPanel([FieldPanel("is_easy_read"), FieldPanel("easy_read_version")], heading="Easy read"),
    ]
    search_fields = ContentPage.search_fields + [index.SearchField("summary"), index.SearchField("body")]

    parent_page_types = ["cms.HomePage", "cms.StandardPage", "cms.GuidePage", "cms.CouncilIndexPage"]
    subpage_types = ["cms.GuidePage", "cms.FaqPage"]

    class Meta:
        verbose_name = "guide or information page"

    def clean(self) -> None:
        super().clean()
        if self.easy_read_version_id is None:
            return
        if self.is_easy_read:
            raise ValidationError({"easy_read_version": "An easy-read guide cannot have an easy-read version"})
        if self.pk and self.easy_read_version_id == self.pk:
            raise ValidationError({"easy_read_version": "Choose a different guide: this is the guide itself"})
        if not self.easy_read_version.is_easy_read:
            raise ValidationError({"easy_read_version": "Choose a guide marked ‘this is an easy-read version’"})

    @property
    def standard_version(self) -> "GuidePage | None":
        """For an easy-read guide, the standard guide that links to it."""
        return selectors.standard_version_of(self) if self.is_easy_read else None

    def get_context(self, request, *args, **kwargs):  # type: ignore[no-untyped-def]
        context = super().get_context(request, *args, **kwargs)
        context["easy_read_page"] = selectors.live_or_none(self.easy_read_version)
        context["standard_page"] = self.standard_version
        context["child_pages"] = selectors.listed_children(self)
        return context


class FaqPage(ContentPage):
    """Questions and answers, each answer under its question as a heading, with a list of questions."""

    summary = models.CharField(max_length=300, blank=True, help_text="One or two sentences shown under the title")
    questions = StreamField(FAQ_BLOCKS)

    content_panels = ContentPage.content_panels + [FieldPanel("summary"), FieldPanel("questions")]
    search_fields = ContentPage.search_fields + [index.SearchField("summary"), index.SearchField("questions")]

    parent_page_types = ["cms.HomePage", "cms.StandardPage", "cms.GuidePage", "cms.CouncilIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = "questions and answers (FAQ)"
        verbose_name_plural = "questions and answers (FAQ)"
