"""Orders that wait on a budget-holding manager (issue #13): escalations beyond delegated authority and orders with a provider the broker's organisation has an interest in."""

import django.core.validators
import django.db.models.deletion
import django.utils.timezone
import uuid
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("brokerage", "0005_package_builder"),
        ("marketplace", "0010_pa_adverts"),
        ("providers", "0007_offer_ratings"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="InterestDeclaration",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("public_id", models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                ("nature", models.TextField(help_text="What ties the broker organisation to the provider")),
                ("declared_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("withdrawn_at", models.DateTimeField(blank=True, null=True)),
                (
                    "broker_organisation",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="interests_declared",
                        to="accounts.organisation",
                    ),
                ),
                (
                    "declared_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="+", to=settings.AUTH_USER_MODEL
                    ),
                ),
                (
                    "personal_assistant",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="interests_in",
                        to="providers.personalassistantprofile",
                    ),
                ),
                (
                    "provider_organisation",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="interests_in",
                        to="accounts.organisation",
                    ),
                ),
                (
                    "withdrawn_by",
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
                "ordering": ["-declared_at", "-id"],
            },
        ),
        migrations.CreateModel(
            name="OrderRequest",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("public_id", models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("beyond_authority", "Beyond delegated authority"),
                            ("interest_sign_off", "Declared interest: needs sign-off"),
                        ],
                        max_length=20,
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("waiting", "Waiting for a manager"),
                            ("approved", "Approved and placed"),
                            ("declined", "Declined"),
                            ("withdrawn", "Withdrawn"),
                        ],
                        default="waiting",
                        max_length=20,
                    ),
                ),
                ("description", models.CharField(max_length=200)),
                (
                    "units",
                    models.DecimalField(
                        decimal_places=2, max_digits=10, validators=[django.core.validators.MinValueValidator(0.01)]
                    ),
                ),
                (
                    "unit",
                    models.CharField(
                        choices=[
                            ("hour", "per hour"),
                            ("session", "per session"),
                            ("day", "per day"),
                            ("night", "per night"),
                            ("week", "per week"),
                            ("item", "per item"),
                        ],
                        max_length=10,
                    ),
                ),
                (
                    "rate",
                    models.DecimalField(
                        decimal_places=2, max_digits=10, validators=[django.core.validators.MinValueValidator(0)]
                    ),
                ),
                (
                    "vat_status",
                    models.CharField(
                        choices=[
                            ("not_registered", "No VAT (not VAT-registered)"),
                            ("exempt", "Exempt from VAT"),
                            ("included", "Price includes VAT"),
                            ("plus_vat", "Price plus VAT at 20%"),
                        ],
                        default="not_registered",
                        max_length=20,
                    ),
                ),
                (
                    "frequency",
                    models.CharField(
                        choices=[("one_off", "One-off"), ("weekly", "Every week"), ("monthly", "Every month")],
                        default="weekly",
                        max_length=10,
                    ),
                ),
                ("schedule", models.CharField(blank=True, max_length=200)),
                (
                    "pa_employment",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("self_employed", "Self-employed or through an agency: sends invoices"),
                            ("employed_by_family", "Employed by the family: hours go to the family's payroll"),
                        ],
                        max_length=30,
                    ),
                ),
                ("starts_on", models.DateField()),
                ("ends_on", models.DateField()),
                (
                    "value",
                    models.DecimalField(decimal_places=2, help_text="What the order costs in full", max_digits=12),
                ),
                (
                    "refusal",
                    models.TextField(blank=True, help_text="Why the order could not be placed by the requester"),
                ),
                ("requested_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("reason", models.TextField()),
                ("decided_at", models.DateTimeField(blank=True, null=True)),
                ("decision_reason", models.TextField(blank=True)),
                (
                    "allocation",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="order_requests",
                        to="brokerage.allocation",
                    ),
                ),
                (
                    "block_contract",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="order_requests",
                        to="marketplace.blockcontract",
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
                    "interest",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="order_requests",
                        to="marketplace.interestdeclaration",
                    ),
                ),
                (
                    "offer",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="order_requests", to="providers.offer"
                    ),
                ),
                (
                    "order",
                    models.OneToOneField(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="request",
                        to="marketplace.order",
                    ),
                ),
                (
                    "person",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="order_requests",
                        to="brokerage.personsupported",
                    ),
                ),
                (
                    "plan_line",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="order_requests",
                        to="brokerage.planline",
                    ),
                ),
                (
                    "requested_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="+", to=settings.AUTH_USER_MODEL
                    ),
                ),
            ],
            options={
                "ordering": ["-requested_at", "-id"],
            },
        ),
        migrations.AddConstraint(
            model_name="interestdeclaration",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("provider_organisation__isnull", True), ("personal_assistant__isnull", True), _connector="XOR"
                ),
                name="interest_in_one_provider",
            ),
        ),
    ]
