"""Market position statement pages with live figures from the commissioner's insights (issue #14)."""

import wagtail.fields
from django.db import migrations

import cms.blocks
import marketplace.insights.figures


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0004_editorial_setup"),
        ("marketplace", "0012_market_messages"),
    ]

    operations = [
        migrations.AlterField(
            model_name="marketpositionstatementpage",
            name="body",
            field=wagtail.fields.StreamField(
                [
                    ("heading", 0),
                    ("text", 1),
                    ("inset", 2),
                    ("callout", 5),
                    ("accordion", 10),
                    ("live_figure", 16),
                    ("directory_search", 21),
                    ("image", 24),
                ],
                block_lookup={
                    0: (
                        "wagtail.blocks.CharBlock",
                        (),
                        {"form_classname": "title", "icon": "title", "template": "cms/blocks/heading.html"},
                    ),
                    1: (
                        "cms.blocks.GovukRichTextBlock",
                        (),
                        {"features": ["bold", "italic", "link", "ol", "ul", "h3", "h4"]},
                    ),
                    2: ("cms.blocks.InsetTextBlock", (), {"features": ["bold", "link"]}),
                    3: (
                        "wagtail.blocks.ChoiceBlock",
                        [],
                        {
                            "choices": [
                                ("inset", "Inset text (something to note)"),
                                ("warning", "Warning text (a risk or a rule)"),
                            ]
                        },
                    ),
                    4: ("wagtail.blocks.RichTextBlock", (), {"features": ["bold", "link"]}),
                    5: ("wagtail.blocks.StructBlock", [[("style", 3), ("text", 4)]], {}),
                    6: ("wagtail.blocks.CharBlock", (), {"max_length": 120}),
                    7: (
                        "wagtail.blocks.CharBlock",
                        (),
                        {"help_text": "A line shown under the heading", "max_length": 200, "required": False},
                    ),
                    8: ("wagtail.blocks.StructBlock", [[("heading", 6), ("summary", 7), ("content", 1)]], {}),
                    9: ("wagtail.blocks.ListBlock", (8,), {"min_num": 1}),
                    10: ("wagtail.blocks.StructBlock", [[("sections", 9)]], {}),
                    11: (
                        "wagtail.blocks.ChoiceBlock",
                        [],
                        {
                            "choices": marketplace.insights.figures.figure_choices,
                            "help_text": "Which figure from the market insights to show",
                        },
                    ),
                    12: (
                        "wagtail.blocks.CharBlock",
                        (),
                        {
                            "help_text": "Leave empty to use the figure's own title",
                            "max_length": 120,
                            "required": False,
                        },
                    ),
                    13: (
                        "wagtail.blocks.TextBlock",
                        (),
                        {
                            "help_text": "What the figure means for providers, shown under it",
                            "label": "Editor's note",
                            "max_length": 600,
                            "required": False,
                        },
                    ),
                    14: (
                        "wagtail.blocks.BooleanBlock",
                        (),
                        {"default": True, "label": "Show a chart beside the table", "required": False},
                    ),
                    15: (
                        "wagtail.blocks.ChoiceBlock",
                        [],
                        {"choices": cms.blocks.figure_year_choices, "label": "Financial year"},
                    ),
                    16: (
                        "wagtail.blocks.StructBlock",
                        [[("figure", 11), ("heading", 12), ("note", 13), ("show_chart", 14), ("year", 15)]],
                        {},
                    ),
                    17: (
                        "wagtail.blocks.CharBlock",
                        (),
                        {"help_text": "Say where the link goes, e.g. ‘Find short breaks’", "max_length": 120},
                    ),
                    18: (
                        "wagtail.blocks.CharBlock",
                        (),
                        {"label": "Search words", "max_length": 100, "required": False},
                    ),
                    19: (
                        "wagtail.blocks.CharBlock",
                        (),
                        {
                            "help_text": "A directory category slug, e.g. short-breaks",
                            "max_length": 60,
                            "required": False,
                        },
                    ),
                    20: ("wagtail.blocks.CharBlock", (), {"max_length": 10, "required": False}),
                    21: (
                        "wagtail.blocks.StructBlock",
                        [[("label", 17), ("q", 18), ("category", 19), ("postcode", 20)]],
                        {},
                    ),
                    22: ("wagtail.images.blocks.ImageBlock", [], {}),
                    23: ("wagtail.blocks.CharBlock", (), {"max_length": 250, "required": False}),
                    24: ("wagtail.blocks.StructBlock", [[("image", 22), ("caption", 23)]], {}),
                },
            ),
        ),
    ]
