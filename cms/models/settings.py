"""The site's name, navigation and footer, which editors change in the CMS (Settings > Site settings)."""

from django.db import models
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import StreamField

from cms.blocks import LinkBlock

DEFAULT_SITE_NAME = "Support Exchange"


@register_setting(icon="cogs")
class SiteSettings(BaseSiteSetting):
    site_name = models.CharField(max_length=80, default=DEFAULT_SITE_NAME, help_text="Shown in the header")
    navigation = StreamField(
        [("link", LinkBlock())],
        blank=True,
        max_num=6,
        help_text="Links in the header, shown to everyone before the links for signed-in users",
    )
    footer_links = StreamField(
        [("link", LinkBlock())],
        blank=True,
        max_num=10,
        help_text="Links in the footer: keep the accessibility statement, privacy notice and cookies",
    )
    footer_text = models.CharField(max_length=300, blank=True, help_text="A sentence in the footer")

    panels = [
        FieldPanel("site_name"),
        FieldPanel("navigation"),
        MultiFieldPanel([FieldPanel("footer_links"), FieldPanel("footer_text")], heading="Footer"),
    ]

    class Meta:
        verbose_name = "site settings"
