"""Family workspace (issue #13): a family's request for help from their broker or lead professional."""

import uuid

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("marketplace", "0008_service_funds"),
        ("accounts", "0001_initial"),
        ("brokerage", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="HelpRequest",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("public_id", models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                ("message", models.TextField(max_length=2000)),
                (
                    "contact_by",
                    models.CharField(
                        choices=[
                            ("email", "By email"),
                            ("phone", "By phone"),
                            ("text", "By text message"),
                            ("message", "Through this website"),
                        ],
                        default="email",
                        max_length=10,
                    ),
                ),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("answered_at", models.DateTimeField(blank=True, null=True)),
                ("answer", models.TextField(blank=True, max_length=2000)),
                (
                    "answered_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "from_user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="help_asked",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "person",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="help_requests",
                        to="brokerage.personsupported",
                    ),
                ),
                (
                    "to_council",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="help_requests_received",
                        to="accounts.organisation",
                    ),
                ),
                (
                    "to_user",
                    models.ForeignKey(
                        blank=True,
                        help_text="Empty: the request went to the council's brokers",
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="help_requests_received",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["-created_at", "-pk"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            ("answered_at__isnull", True), models.Q(("answer", ""), _negated=True), _connector="OR"
                        ),
                        name="help_request_answer_has_a_note",
                    )
                ],
            },
        ),
    ]
