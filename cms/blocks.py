"""StreamField blocks shared by page types.

Every block renders GOV.UK Frontend markup through its own template in ``cms/templates/cms/blocks/``
and works without JavaScript (the accordion shows every section open until the script enhances it).
"""

from typing import Any
from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from wagtail import blocks
from wagtail.images.blocks import ImageBlock

from marketplace.insights.figures import UnknownFigure, figure_choices, live_figure
from marketplace.insights.scope import InsightScope, financial_year_of, years_offered

RICH_TEXT_FEATURES = ["bold", "italic", "link", "ol", "ul", "h3", "h4"]
SHORT_RICH_TEXT_FEATURES = ["bold", "link", "ul"]

# The find-support page (ARCHITECTURE.md: /search/), served by the marketplace app.
FIND_SUPPORT_URL_NAME = "marketplace:find-support"


class RouteBlock(blocks.StructBlock):
    """A way in for one group of users: families, providers, professionals."""

    heading = blocks.CharBlock(max_length=80)
    description = blocks.TextBlock(max_length=300)
    page = blocks.PageChooserBlock(required=False)
    url = blocks.CharBlock(required=False, help_text="A path on this site, used when no page is chosen")

    class Meta:
        icon = "link"
        template = "cms/blocks/route.html"


class InsetTextBlock(blocks.RichTextBlock):
    class Meta:
        icon = "openquote"
        template = "cms/blocks/inset_text.html"


class GovukRichTextBlock(blocks.RichTextBlock):
    """Rich text with GOV.UK typography classes added to each paragraph, list, heading and link."""

    class Meta:
        icon = "pilcrow"
        template = "cms/blocks/rich_text.html"


class CalloutBlock(blocks.StructBlock):
    """Something the reader must not miss: GOV.UK inset text, or warning text for a risk or a rule."""

    style = blocks.ChoiceBlock(
        choices=[("inset", "Inset text (something to note)"), ("warning", "Warning text (a risk or a rule)")],
        default="inset",
    )
    text = blocks.RichTextBlock(features=["bold", "link"])

    class Meta:
        icon = "warning"
        label = "Call-out"
        template = "cms/blocks/callout.html"


class AccordionSectionBlock(blocks.StructBlock):
    heading = blocks.CharBlock(max_length=120)
    summary = blocks.CharBlock(max_length=200, required=False, help_text="A line shown under the heading")
    content = GovukRichTextBlock(features=RICH_TEXT_FEATURES)


class AccordionBlock(blocks.StructBlock):
    """GOV.UK accordion: without JavaScript every section shows, one after another, under its heading."""

    sections = blocks.ListBlock(AccordionSectionBlock(), min_num=1)

    class Meta:
        icon = "list-ul"
        template = "cms/blocks/accordion.html"


class StepBlock(blocks.StructBlock):
    heading = blocks.CharBlock(max_length=120)
    content = GovukRichTextBlock(features=SHORT_RICH_TEXT_FEATURES)


class StepByStepBlock(blocks.StructBlock):
    """Numbered steps, each with a heading: how to do something in order."""

    heading = blocks.CharBlock(max_length=120, required=False)
    steps = blocks.ListBlock(StepBlock(), min_num=2)

    class Meta:
        icon = "list-ol"
        label = "Step-by-step list"
        template = "cms/blocks/step_by_step.html"


class StoryBlock(blocks.StructBlock):
    """A person's story, anonymised: who they are, in their words, and what the budget changed."""

    heading = blocks.CharBlock(max_length=120)
    person = blocks.CharBlock(max_length=80, help_text="A first name or a description, e.g. ‘Tom, 12’")
    quote = blocks.TextBlock(required=False, max_length=400, help_text="What they said, in their own words")
    story = GovukRichTextBlock(features=SHORT_RICH_TEXT_FEATURES)
    # Wagtail's ImageBlock asks for alt text, or a tick to say the image is decorative, before publishing.
    image = ImageBlock(required=False)

    class Meta:
        icon = "user"
        label = "Person's story"
        template = "cms/blocks/story.html"


class BudgetExampleBlock(blocks.StructBlock):
    """An example of something a budget paid for, with what it cost, so families can picture their own."""

    item = blocks.CharBlock(max_length=120, help_text="What was bought, e.g. ‘Nursery place top-up’")
    price = blocks.DecimalBlock(min_value=0, max_digits=12, decimal_places=2, help_text="In pounds, e.g. 300.00")
    price_unit = blocks.CharBlock(
        max_length=40, required=False, help_text="What the price covers, e.g. ‘a term’, ‘an hour’, ‘in total’"
    )
    description = blocks.TextBlock(max_length=400, help_text="Who it helped and how")
    paid_by = blocks.CharBlock(
        max_length=120, required=False, help_text="How it was paid, e.g. ‘Direct payment to the family’"
    )

    class Meta:
        icon = "tag"
        label = "What a budget can pay for"
        template = "cms/blocks/budget_example.html"


class DirectorySearchValue(blocks.StructValue):
    def url(self) -> str:
        params = {name: self.get(name) for name in ("q", "category", "postcode") if self.get(name)}
        path = reverse(FIND_SUPPORT_URL_NAME)
        return f"{path}?{urlencode(params)}" if params else path


class DirectorySearchLinkBlock(blocks.StructBlock):
    """A link to the find-support page with a search already filled in, e.g. short breaks near you."""

    label = blocks.CharBlock(max_length=120, help_text="Say where the link goes, e.g. ‘Find short breaks’")
    q = blocks.CharBlock(max_length=100, required=False, label="Search words")
    category = blocks.CharBlock(max_length=60, required=False, help_text="A directory category slug, e.g. short-breaks")
    postcode = blocks.CharBlock(max_length=10, required=False)

    class Meta:
        icon = "search"
        label = "Link to a directory search"
        template = "cms/blocks/directory_search_link.html"
        value_class = DirectorySearchValue


class FigureBlock(blocks.StructBlock):
    image = ImageBlock()
    caption = blocks.CharBlock(max_length=250, required=False)

    class Meta:
        icon = "image"
        label = "Image"
        template = "cms/blocks/figure.html"


class QuestionBlock(blocks.StructBlock):
    question = blocks.CharBlock(max_length=200)
    answer = GovukRichTextBlock(features=RICH_TEXT_FEATURES)

    class Meta:
        icon = "help"
        template = "cms/blocks/question.html"


def _heading_block() -> blocks.CharBlock:
    return blocks.CharBlock(form_classname="title", template="cms/blocks/heading.html", icon="title")


# Blocks for the plain pages the footer links to (accessibility, privacy, cookies) and section pages.
BODY_BLOCKS = [
    ("heading", _heading_block()),
    ("text", GovukRichTextBlock(features=RICH_TEXT_FEATURES)),
    ("inset", InsetTextBlock(features=["bold", "link"])),
    ("callout", CalloutBlock()),
    ("accordion", AccordionBlock()),
]

# Guides and information pages: everything an editor needs to explain how something works.
GUIDE_BLOCKS = [
    *BODY_BLOCKS,
    ("step_by_step", StepByStepBlock()),
    ("story", StoryBlock()),
    ("budget_example", BudgetExampleBlock()),
    ("directory_search", DirectorySearchLinkBlock()),
    ("image", FigureBlock()),
]

# News, events and market position statements.
ARTICLE_BLOCKS = [
    ("heading", _heading_block()),
    ("text", GovukRichTextBlock(features=RICH_TEXT_FEATURES)),
    ("callout", CalloutBlock()),
    ("story", StoryBlock()),
    ("directory_search", DirectorySearchLinkBlock()),
    ("image", FigureBlock()),
]

FAQ_BLOCKS = [
    ("heading", _heading_block()),
    ("question", QuestionBlock()),
]


class LinkValue(blocks.StructValue):
    def href(self) -> str:
        page = self.get("page")
        return page.url if page else self.get("url")


class LinkBlock(blocks.StructBlock):
    """A link in the navigation or footer: to a page of this site, or to a path or address."""

    label = blocks.CharBlock(max_length=60)
    page = blocks.PageChooserBlock(required=False)
    url = blocks.CharBlock(
        max_length=300, required=False, help_text="A path such as /search/ or a full address, if no page is chosen"
    )

    class Meta:
        icon = "link"
        value_class = LinkValue

    def clean(self, value):  # type: ignore[no-untyped-def]
        value = super().clean(value)
        if not value.get("page") and not value.get("url"):
            raise blocks.StructBlockValidationError(
                block_errors={"page": ValidationError("Choose a page, or enter a path or address")}
            )
        return value


# The page's context names the council whose figures a live figure block shows (the market position
# statement's council section sets it); a block rendered anywhere else shows no figures.
FIGURES_COUNCIL = "live_figures_council"
CURRENT_YEAR = "current"
OUTSIDE_A_COUNCIL = (
    "Live figures show only on a market position statement inside a council's section of the site, "
    "so no figures are shown here."
)
FIGURE_WITHDRAWN = "This figure is no longer offered. An editor can choose another one."


def figure_year_choices() -> list[tuple[str, str]]:
    """The current financial year (which moves on each 1 April), or one of the years the insights offer."""
    fixed = [(str(year), f"{year} to {year + 1}") for year in years_offered()]
    return [(CURRENT_YEAR, "The current financial year (moves on each 1 April)"), *fixed]


class LiveFigureBlock(blocks.StructBlock):
    """A figure from the council's market insights, computed when the page is viewed: a headline, a chart
    and a table of the figures, and the date and time they were counted."""

    figure = blocks.ChoiceBlock(choices=figure_choices, help_text="Which figure from the market insights to show")
    heading = blocks.CharBlock(max_length=120, required=False, help_text="Leave empty to use the figure's own title")
    note = blocks.TextBlock(
        max_length=600,
        required=False,
        label="Editor's note",
        help_text="What the figure means for providers, shown under it",
    )
    show_chart = blocks.BooleanBlock(required=False, default=True, label="Show a chart beside the table")
    year = blocks.ChoiceBlock(choices=figure_year_choices, default=CURRENT_YEAR, label="Financial year")

    class Meta:
        icon = "table"
        label = "Live figure from the market insights"
        template = "cms/blocks/live_figure.html"

    def get_context(self, value: Any, parent_context: dict[str, Any] | None = None) -> dict[str, Any]:
        context = super().get_context(value, parent_context=parent_context)
        council = (parent_context or {}).get(FIGURES_COUNCIL)
        if council is None:
            context["unavailable"] = OUTSIDE_A_COUNCIL
            return context
        scope = InsightScope(council=council, year=figure_year(value.get("year")))
        try:
            context["figure"] = live_figure(value.get("figure"), scope)
        except UnknownFigure:
            context["unavailable"] = FIGURE_WITHDRAWN
        return context


def figure_year(choice: str | None) -> int:
    """The financial year a block asks for: the one running today for "current" (or no choice)."""
    if choice and choice.isdigit():
        return int(choice)
    return financial_year_of(timezone.localdate())


# Market position statements: the council's narrative, with live figures from its market insights.
MARKET_POSITION_BLOCKS = [
    *BODY_BLOCKS,
    ("live_figure", LiveFigureBlock()),
    ("directory_search", DirectorySearchLinkBlock()),
    ("image", FigureBlock()),
]
