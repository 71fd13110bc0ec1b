from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from cms.blocks import BODY_BLOCKS, RouteBlock


class HomePage(Page):
    """The site root: a search box and the ways in for families, providers and professionals."""

    intro = RichTextField(features=["bold", "italic", "link"], blank=True)
    routes = StreamField([("route", RouteBlock())], blank=True, max_num=6)

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("routes")]
    search_fields = Page.search_fields + [index.SearchField("intro")]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["cms.StandardPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = "home page"


class StandardPage(Page):
    """A plain page of information: the accessibility statement, privacy notice, cookies."""

    summary = models.CharField(max_length=300, blank=True, help_text="One or two sentences shown under the title")
    body = StreamField(BODY_BLOCKS)

    content_panels = Page.content_panels + [FieldPanel("summary"), FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("summary"), index.SearchField("body")]

    parent_page_types = ["cms.HomePage", "cms.StandardPage"]
    subpage_types = ["cms.StandardPage"]

    class Meta:
        verbose_name = "standard page"
