"""Models for complaints about a service, responses and escalation (issue #12)."""

import uuid

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("brokerage", "0002_direct_payments_and_monitoring"),
        ("providers", "0006_profile_changes_returned_reason"),
        ("marketplace", "0005_reviews"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Complaint",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("public_id", models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                ("made_as", models.CharField(help_text="The role the complaint was made in", max_length=30)),
                ("what_happened", models.TextField(max_length=5000)),
                ("what_they_want", models.TextField(max_length=2000, verbose_name="what they would like to happen")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("open", "Waiting for the provider"),
                            ("responded", "The provider has responded"),
                            ("resolved", "Resolved"),
                            ("escalated", "With the council"),
                            ("closed", "Closed by the council"),
                        ],
                        default="open",
                        max_length=20,
                    ),
                ),
                ("response_due_on", models.DateField(help_text="The provider must respond by the end of this day")),
                ("provider_response", models.TextField(blank=True, max_length=5000)),
                ("responded_at", models.DateTimeField(blank=True, null=True)),
                ("escalation_reason", models.TextField(blank=True, max_length=2000)),
                ("escalated_at", models.DateTimeField(blank=True, null=True)),
                (
                    "outcome",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("upheld", "Upheld"),
                            ("partly_upheld", "Partly upheld"),
                            ("not_upheld", "Not upheld"),
                        ],
                        max_length=20,
                    ),
                ),
                (
                    "council_outcome",
                    models.TextField(blank=True, max_length=5000, verbose_name="the council's decision"),
                ),
                ("decided_at", models.DateTimeField(blank=True, null=True)),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("status_changed_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "council",
                    models.ForeignKey(
                        help_text="The person's council, which looks at the complaint if it is escalated",
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="complaints",
                        to="accounts.organisation",
                    ),
                ),
                (
                    "decided_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "made_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="complaints_made",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "offer",
                    models.ForeignKey(
                        blank=True,
                        help_text="The service complained about; empty when it is about the provider as a whole",
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="complaints",
                        to="providers.offer",
                    ),
                ),
                (
                    "order",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="complaints",
                        to="marketplace.order",
                    ),
                ),
                (
                    "person",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="complaints",
                        to="brokerage.personsupported",
                    ),
                ),
                (
                    "personal_assistant",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="complaints",
                        to="providers.personalassistantprofile",
                    ),
                ),
                (
                    "provider_organisation",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="complaints_received",
                        to="accounts.organisation",
                    ),
                ),
                (
                    "responded_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["-created_at", "-id"],
            },
        ),
        migrations.CreateModel(
            name="ComplaintEvent",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "old_status",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("open", "Waiting for the provider"),
                            ("responded", "The provider has responded"),
                            ("resolved", "Resolved"),
                            ("escalated", "With the council"),
                            ("closed", "Closed by the council"),
                        ],
                        max_length=20,
                    ),
                ),
                (
                    "new_status",
                    models.CharField(
                        choices=[
                            ("open", "Waiting for the provider"),
                            ("responded", "The provider has responded"),
                            ("resolved", "Resolved"),
                            ("escalated", "With the council"),
                            ("closed", "Closed by the council"),
                        ],
                        max_length=20,
                    ),
                ),
                ("note", models.TextField(blank=True)),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "actor",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "complaint",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="events", to="marketplace.complaint"
                    ),
                ),
            ],
            options={
                "ordering": ["created_at", "id"],
            },
        ),
        migrations.AddIndex(
            model_name="complaint",
            index=models.Index(fields=["status", "response_due_on"], name="complaint_status_due_idx"),
        ),
        migrations.AddConstraint(
            model_name="complaint",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("personal_assistant__isnull", True), ("provider_organisation__isnull", False)),
                    models.Q(("personal_assistant__isnull", False), ("provider_organisation__isnull", True)),
                    _connector="OR",
                ),
                name="complaint_about_one_provider",
            ),
        ),
        migrations.AddConstraint(
            model_name="complaint",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("outcome__in", ["upheld", "partly_upheld", "not_upheld"]), ("status", "closed")),
                    models.Q(models.Q(("status", "closed"), _negated=True), ("outcome", "")),
                    _connector="OR",
                ),
                name="complaint_outcome_only_when_closed",
            ),
        ),
    ]
