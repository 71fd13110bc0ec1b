"""StreamField blocks shared by page types."""

from wagtail import blocks


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


BODY_BLOCKS = [
    ("heading", blocks.CharBlock(form_classname="title", template="cms/blocks/heading.html", icon="title")),
    ("text", blocks.RichTextBlock(features=["bold", "italic", "link", "ol", "ul", "h3", "h4"])),
    ("inset", InsetTextBlock(features=["bold", "link"])),
]
