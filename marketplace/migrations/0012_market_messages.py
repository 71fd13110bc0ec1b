"""Commissioners' messages to the providers of a category or framework lot (issue #14)."""

import uuid

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("marketplace", "0011_order_requests"),
        ("providers", "0007_offer_ratings"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        migrations.swappable_dependency(settings.WAGTAIL_PAGE_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="MarketMessage",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("public_id", models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                (
                    "audience",
                    models.CharField(help_text="Who it was sent to, in words, at the time of sending", max_length=250),
                ),
                ("subject", models.CharField(max_length=150)),
                ("body", models.TextField(max_length=5000)),
                ("event_title", models.CharField(blank=True, max_length=255)),
                ("event_url", models.CharField(blank=True, max_length=500)),
                ("idempotency_key", models.CharField(max_length=64, unique=True)),
                ("sent_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "category",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="providers.taxonomyterm",
                    ),
                ),
                (
                    "council",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="market_messages",
                        to="accounts.organisation",
                    ),
                ),
                (
                    "event_page",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.WAGTAIL_PAGE_MODEL,
                    ),
                ),
                (
                    "lot",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="market_messages",
                        to="providers.frameworklot",
                    ),
                ),
                (
                    "sent_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["-sent_at", "-id"],
            },
        ),
        migrations.CreateModel(
            name="MarketMessageRecipient",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("people_notified", models.PositiveIntegerField(default=0)),
                (
                    "message",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="recipients",
                        to="marketplace.marketmessage",
                    ),
                ),
                (
                    "organisation",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="accounts.organisation",
                    ),
                ),
                (
                    "personal_assistant",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="providers.personalassistantprofile",
                    ),
                ),
            ],
            options={
                "ordering": ["message", "id"],
            },
        ),
        migrations.AddConstraint(
            model_name="marketmessage",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("category__isnull", True), ("lot__isnull", False)),
                    models.Q(("category__isnull", False), ("lot__isnull", True)),
                    _connector="OR",
                ),
                name="market_message_one_audience",
            ),
        ),
        migrations.AddConstraint(
            model_name="marketmessagerecipient",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("organisation__isnull", True), ("personal_assistant__isnull", False)),
                    models.Q(("organisation__isnull", False), ("personal_assistant__isnull", True)),
                    _connector="OR",
                ),
                name="market_message_recipient_one_kind",
            ),
        ),
        migrations.AddConstraint(
            model_name="marketmessagerecipient",
            constraint=models.UniqueConstraint(
                condition=models.Q(("organisation__isnull", False)),
                fields=("message", "organisation"),
                name="market_message_organisation_once",
            ),
        ),
        migrations.AddConstraint(
            model_name="marketmessagerecipient",
            constraint=models.UniqueConstraint(
                condition=models.Q(("personal_assistant__isnull", False)),
                fields=("message", "personal_assistant"),
                name="market_message_assistant_once",
            ),
        ),
    ]
