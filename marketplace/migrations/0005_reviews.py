"""Models for reviews of providers and personal assistants, replies and moderation (issue #12)."""

import uuid

import django.core.validators
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("marketplace", "0004_payments"),
        ("accounts", "0001_initial"),
        ("brokerage", "0002_direct_payments_and_monitoring"),
        # The offer's rating, which published reviews are summed into.
        ("providers", "0007_offer_ratings"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Review",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("public_id", models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                (
                    "author_is_young_person",
                    models.BooleanField(
                        default=False,
                        help_text="Written by the young person themselves rather than a parent or carer",
                    ),
                ),
                (
                    "rating",
                    models.PositiveSmallIntegerField(
                        validators=[
                            django.core.validators.MinValueValidator(1),
                            django.core.validators.MaxValueValidator(5),
                        ]
                    ),
                ),
                ("text", models.TextField(max_length=2000)),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("submitted", "Waiting for the council to check it"),
                            ("published", "Published"),
                            ("hidden", "Hidden by the council"),
                        ],
                        default="submitted",
                        max_length=20,
                    ),
                ),
                ("hidden_reason", models.TextField(blank=True)),
                ("moderated_at", models.DateTimeField(blank=True, null=True)),
                ("submitted_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("published_at", models.DateTimeField(blank=True, null=True)),
                (
                    "author",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="reviews_written",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "council",
                    models.ForeignKey(
                        help_text="The council whose commissioners and quality officers check it",
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="reviews_to_moderate",
                        to="accounts.organisation",
                    ),
                ),
                (
                    "moderated_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "offer",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="reviews", to="providers.offer"
                    ),
                ),
                (
                    "order",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT, related_name="review", to="marketplace.order"
                    ),
                ),
                (
                    "person",
                    models.ForeignKey(
                        help_text="Who received the support",
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="reviews",
                        to="brokerage.personsupported",
                    ),
                ),
            ],
            options={
                "ordering": ["-submitted_at", "-id"],
                "indexes": [
                    models.Index(fields=["offer", "status"], name="review_offer_status"),
                    models.Index(fields=["council", "status", "submitted_at"], name="review_council_queue"),
                ],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("rating__gte", 1), ("rating__lte", 5)), name="review_rating_1_to_5"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("status", "hidden"), _negated=True),
                            models.Q(("hidden_reason", ""), _negated=True),
                            _connector="OR",
                        ),
                        name="hidden_review_has_reason",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="ProviderReply",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("text", models.TextField(max_length=2000)),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "author",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="+", to=settings.AUTH_USER_MODEL
                    ),
                ),
                (
                    "review",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE, related_name="reply", to="marketplace.review"
                    ),
                ),
            ],
            options={
                "verbose_name_plural": "provider replies",
                "ordering": ["-created_at", "-id"],
            },
        ),
    ]
