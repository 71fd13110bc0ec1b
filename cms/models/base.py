"""What every content page shares: its language, and the alt-text rule checked before it is published."""

from collections.abc import Iterator
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from wagtail import blocks
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.images.blocks import ImageBlock
from wagtail.models import Page

ENGLISH = "en-GB"

# English, Welsh and the languages most often asked for by councils' translation services in England.
LANGUAGE_CHOICES = [
    (ENGLISH, "English"),
    ("cy", "Welsh (Cymraeg)"),
    ("ar", "Arabic (العربية)"),
    ("bn", "Bengali (বাংলা)"),
    ("zh-Hans", "Chinese, simplified (简体中文)"),
    ("fa", "Farsi (فارسی)"),
    ("gu", "Gujarati (ગુજરાતી)"),
    ("lt", "Lithuanian (Lietuvių)"),
    ("ps", "Pashto (پښتو)"),
    ("pl", "Polish (Polski)"),
    ("pt", "Portuguese (Português)"),
    ("pa", "Punjabi (ਪੰਜਾਬੀ)"),
    ("ro", "Romanian (Română)"),
    ("so", "Somali (Soomaali)"),
    ("es", "Spanish (Español)"),
    ("ta", "Tamil (தமிழ்)"),
    ("tr", "Turkish (Türkçe)"),
    ("uk", "Ukrainian (Українська)"),
    ("ur", "Urdu (اردو)"),
]
RIGHT_TO_LEFT_LANGUAGES = frozenset({"ar", "fa", "ps", "ur"})


class ContentPageForm(WagtailAdminPageForm):
    """Tells the page when the editor is only saving a draft or previewing, so publish-only rules wait."""

    def _post_clean(self) -> None:
        self.instance.defers_publish_checks = self.is_deferred_validation
        try:
            super()._post_clean()
        finally:
            self.instance.defers_publish_checks = False


def images_missing_alt_text(block: blocks.Block, value: Any) -> Iterator[str]:
    """Titles of the images in a block's value that have neither alt text nor the 'decorative' tick."""
    if value is None:
        return
    if isinstance(block, ImageBlock):
        if not value.decorative and not (value.contextual_alt_text or "").strip():
            yield value.title
    elif isinstance(block, blocks.StructBlock):
        for name, child in block.child_blocks.items():
            yield from images_missing_alt_text(child, value.get(name))
    elif isinstance(block, blocks.ListBlock):
        for item in value:
            yield from images_missing_alt_text(block.child_block, item)
    elif isinstance(block, blocks.StreamBlock):
        for child in value:
            yield from images_missing_alt_text(child.block, child.value)


class ContentPage(Page):
    """A page of the public site, in English unless the editor says otherwise.

    The language goes on the page's ``lang`` attribute so that screen readers read a translated guide
    in the right voice. Images must carry alt text (or be marked decorative) before a page is
    published or submitted for review, however it is published: from the editor, on a schedule, or by
    the demo data.
    """

    language = models.CharField(
        max_length=10,
        choices=LANGUAGE_CHOICES,
        default=ENGLISH,
        help_text="The language this page is written in. Screen readers use it to choose a voice.",
    )

    settings_panels = Page.settings_panels + [FieldPanel("language")]
    base_form_class = ContentPageForm

    # Set by ContentPageForm while the editor saves a draft or previews.
    defers_publish_checks = False

    class Meta:
        abstract = True

    @property
    def is_right_to_left(self) -> bool:
        return self.language in RIGHT_TO_LEFT_LANGUAGES

    def clean(self) -> None:
        super().clean()
        if not self.defers_publish_checks:
            self._check_required_streams_have_content()
            self._check_images_have_alt_text()

    def _stream_fields(self) -> list[StreamField]:
        return [field for field in self._meta.get_fields() if isinstance(field, StreamField)]

    def _check_required_streams_have_content(self) -> None:
        # Django treats an empty StreamValue as filled in, so a required body is checked here.
        empty = {
            field.name: "Add some content"
            for field in self._stream_fields()
            if not field.blank and not len(getattr(self, field.name))
        }
        if empty:
            raise ValidationError(empty)

    def _check_images_have_alt_text(self) -> None:
        missing = [
            title
            for field in self._stream_fields()
            for title in images_missing_alt_text(field.stream_block, getattr(self, field.name))
        ]
        if missing:
            names = ", ".join(f"‘{title}’" for title in missing)
            raise ValidationError(
                f"Add alt text to the image {names}, or tick ‘Image is decorative’, before publishing. "
                "Alt text tells people who cannot see the image what it shows."
            )

    def get_context(self, request, *args, **kwargs):  # type: ignore[no-untyped-def]
        context = super().get_context(request, *args, **kwargs)
        context["content_language"] = self.language
        return context
