"""Each council's own area of the shared site, and its market position statement."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.cache import add_never_cache_headers
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.search import index

from accounts.models import Organisation
from accounts.roles import OrganisationKind
from cms import selectors
from cms.blocks import BODY_BLOCKS, FIGURES_COUNCIL, MARKET_POSITION_BLOCKS
from cms.models.base import ContentPage
from cms.models.pages import SECTION_CHILD_TYPES

COUNCIL_NEWS_SHOWN = 3


class CouncilIndexPage(ContentPage):
    """A council's own pages under the shared site: its local offer, news, events and market position.

    Only that council's editors and moderators may change the pages inside it (see
    ``cms.services.council_section_create``, which sets up their groups and review workflow).
    """

    council = models.OneToOneField(
        Organisation,
        on_delete=models.PROTECT,
        related_name="cms_section",
        limit_choices_to={"kind": OrganisationKind.COUNCIL},
    )
    intro = models.CharField(max_length=300, help_text="One or two sentences shown under the title")
    body = StreamField(BODY_BLOCKS, blank=True)

    content_panels = ContentPage.content_panels + [FieldPanel("council"), FieldPanel("intro"), FieldPanel("body")]
    search_fields = ContentPage.search_fields + [index.SearchField("intro"), index.SearchField("body")]

    parent_page_types = ["cms.HomePage"]
    subpage_types = [
        *SECTION_CHILD_TYPES,
        "cms.NewsIndexPage",
        "cms.EventIndexPage",
        "cms.MarketPositionStatementPage",
    ]

    class Meta:
        verbose_name = "council section"

    def clean(self) -> None:
        super().clean()
        if self.council_id and self.council.kind != OrganisationKind.COUNCIL:
            raise ValidationError({"council": "Choose a council"})

    def get_context(self, request, *args, **kwargs):  # type: ignore[no-untyped-def]
        context = super().get_context(request, *args, **kwargs)
        context["child_pages"] = selectors.listed_children(self)
        context["latest_news"] = selectors.latest_news(within=self, limit=COUNCIL_NEWS_SHOWN)
        return context


class MarketPositionStatementPage(ContentPage):
    """A council's market position statement: what families want to buy, where supply falls short, and
    what the council will do, so that providers can plan.

    Live figure blocks show the figures of the council whose section holds the page, computed on every
    view; the response tells browsers and shared caches not to keep it, so no reader sees old figures.
    """

    period = models.CharField(max_length=40, help_text="The years it covers, e.g. ‘2026 to 2027’")
    summary = models.CharField(max_length=300, help_text="One or two sentences: the main messages for providers")
    body = StreamField(MARKET_POSITION_BLOCKS)

    content_panels = ContentPage.content_panels + [FieldPanel("period"), FieldPanel("summary"), FieldPanel("body")]
    search_fields = ContentPage.search_fields + [index.SearchField("summary"), index.SearchField("body")]

    parent_page_types = ["cms.CouncilIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = "market position statement"

    @property
    def council(self) -> Organisation | None:
        section = self.get_parent().specific
        return section.council if isinstance(section, CouncilIndexPage) else None

    def get_context(self, request, *args, **kwargs):  # type: ignore[no-untyped-def]
        context = super().get_context(request, *args, **kwargs)
        context[FIGURES_COUNCIL] = self.council
        return context

    def serve(self, request, *args, **kwargs):  # type: ignore[no-untyped-def]
        response = super().serve(request, *args, **kwargs)
        add_never_cache_headers(response)
        return response
