"""Models for individual service fund schedules and surplus policy (issue #12): the ISF's instalments, the
provider's monthly statements and their reconciliation, the council's surplus policy and the period end."""

import uuid
from decimal import Decimal

import django.core.validators
import django.db.models.deletion
import django.db.models.expressions
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("brokerage", "0003_top_ups"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="ledgeraccount",
            name="kind",
            field=models.CharField(
                choices=[
                    ("funding_source", "Funding received for a stream"),
                    ("stream_pool", "Stream pool not yet allocated"),
                    ("locality_fund", "Locality fund"),
                    ("top_up_source", "Money paid in by families"),
                    ("available", "Available to spend"),
                    ("contingency", "Held back as contingency"),
                    ("committed", "Committed to orders"),
                    ("provider_payable", "Approved, waiting to be paid"),
                    ("family_account", "Paid to the family's direct-payment account"),
                    ("isf_held", "Held by the provider as an individual service fund"),
                    ("spent", "Spent"),
                ],
                max_length=20,
            ),
        ),
        migrations.AlterField(
            model_name="ledgertransaction",
            name="kind",
            field=models.CharField(
                choices=[
                    ("fund", "Stream funded"),
                    ("allocate", "Allocated to a budget"),
                    ("commit", "Committed"),
                    ("release", "Commitment released"),
                    ("settle", "Invoice approved"),
                    ("pay", "Paid"),
                    ("dp_instalment", "Direct payment instalment"),
                    ("dp_spend", "Spending recorded by the family"),
                    ("isf_instalment", "Individual service fund instalment"),
                    ("isf_spend", "Spending on the provider's statement"),
                    ("isf_carry_forward", "Carried forward to the next fund"),
                    ("refund", "Refund"),
                    ("top_up", "Top-up paid in"),
                    ("top_up_refund", "Top-up refunded"),
                    ("contingency_hold", "Contingency held back"),
                    ("contingency_release", "Contingency released"),
                    ("return", "Returned to the stream"),
                    ("reversal", "Reversal"),
                ],
                max_length=30,
            ),
        ),
        migrations.CreateModel(
            name="ServiceFundPolicy",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "surplus_action",
                    models.CharField(
                        choices=[
                            ("return", "Return unspent money to the council"),
                            ("carry_forward", "Carry unspent money forward to the provider's next fund"),
                        ],
                        default="return",
                        max_length=20,
                    ),
                ),
                (
                    "carry_forward_weeks",
                    models.PositiveSmallIntegerField(
                        default=10,
                        help_text="When carrying forward: at most this many weeks of the fund's planned spending; the rest is returned (councils reclaim surplus above roughly 10 weeks of spending)",
                    ),
                ),
                (
                    "tolerance_percent",
                    models.DecimalField(
                        decimal_places=2,
                        default=Decimal("5.00"),
                        help_text="A difference from the plan within this share of the planned amount is not flagged",
                        max_digits=5,
                        validators=[
                            django.core.validators.MinValueValidator(0),
                            django.core.validators.MaxValueValidator(100),
                        ],
                    ),
                ),
                (
                    "tolerance_amount",
                    models.DecimalField(
                        decimal_places=2,
                        default=Decimal("10.00"),
                        help_text="A difference from the plan within this many pounds is not flagged",
                        max_digits=8,
                        validators=[django.core.validators.MinValueValidator(Decimal("0.00"))],
                    ),
                ),
                ("updated_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "council",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="service_fund_policy",
                        to="accounts.organisation",
                    ),
                ),
                (
                    "updated_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name_plural": "service fund policies",
            },
        ),
        migrations.CreateModel(
            name="ServiceFundSchedule",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("public_id", models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                (
                    "frequency",
                    models.CharField(
                        choices=[
                            ("monthly", "Every month"),
                            ("four_weekly", "Every four weeks"),
                            ("quarterly", "Every quarter"),
                        ],
                        default="monthly",
                        max_length=12,
                    ),
                ),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "allocation",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="isf_schedule",
                        to="brokerage.allocation",
                    ),
                ),
                (
                    "created_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["allocation"],
            },
        ),
        migrations.CreateModel(
            name="ServiceFundStatement",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("public_id", models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                ("period_start", models.DateField(help_text="The first day of the month the statement covers")),
                ("period_end", models.DateField()),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("submitted", "Waiting for the council"),
                            ("queried", "Queried by the council"),
                            ("accepted", "Accepted"),
                        ],
                        default="submitted",
                        max_length=12,
                    ),
                ),
                ("submitted_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("decided_at", models.DateTimeField(blank=True, null=True)),
                ("query_reason", models.TextField(blank=True)),
                (
                    "allocation",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="isf_statements",
                        to="brokerage.allocation",
                    ),
                ),
                (
                    "decided_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "submitted_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="+", to=settings.AUTH_USER_MODEL
                    ),
                ),
                (
                    "transaction",
                    models.OneToOneField(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="isf_statement",
                        to="brokerage.ledgertransaction",
                    ),
                ),
            ],
            options={
                "ordering": ["allocation", "-period_start"],
            },
        ),
        migrations.CreateModel(
            name="ServiceFundStatementChange",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "old_status",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("submitted", "Waiting for the council"),
                            ("queried", "Queried by the council"),
                            ("accepted", "Accepted"),
                        ],
                        max_length=12,
                    ),
                ),
                (
                    "new_status",
                    models.CharField(
                        choices=[
                            ("submitted", "Waiting for the council"),
                            ("queried", "Queried by the council"),
                            ("accepted", "Accepted"),
                        ],
                        max_length=12,
                    ),
                ),
                ("reason", models.TextField(blank=True)),
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
                    "statement",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="status_changes",
                        to="brokerage.servicefundstatement",
                    ),
                ),
            ],
            options={
                "ordering": ["-created_at", "-id"],
            },
        ),
        migrations.CreateModel(
            name="ServiceFundStatementLine",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("description", models.CharField(max_length=200)),
                (
                    "quantity",
                    models.DecimalField(
                        decimal_places=2,
                        max_digits=8,
                        validators=[django.core.validators.MinValueValidator(Decimal("0.00"))],
                    ),
                ),
                (
                    "rate",
                    models.DecimalField(
                        decimal_places=2,
                        max_digits=10,
                        validators=[django.core.validators.MinValueValidator(Decimal("0.00"))],
                    ),
                ),
                (
                    "plan_line",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="brokerage.planline",
                    ),
                ),
                (
                    "statement",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="lines",
                        to="brokerage.servicefundstatement",
                    ),
                ),
            ],
            options={
                "ordering": ["statement", "id"],
            },
        ),
        migrations.CreateModel(
            name="ServiceFundPeriodEnd",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("unspent", models.DecimalField(decimal_places=2, max_digits=12)),
                ("returned", models.DecimalField(decimal_places=2, max_digits=12)),
                ("carried_forward", models.DecimalField(decimal_places=2, max_digits=12)),
                (
                    "surplus_action",
                    models.CharField(
                        choices=[
                            ("return", "Return unspent money to the council"),
                            ("carry_forward", "Carry unspent money forward to the provider's next fund"),
                        ],
                        max_length=20,
                    ),
                ),
                ("closed_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "allocation",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="isf_period_end",
                        to="brokerage.allocation",
                    ),
                ),
                (
                    "carried_to",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="brokerage.allocation",
                    ),
                ),
                (
                    "closed_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            (
                                "unspent",
                                django.db.models.expressions.CombinedExpression(
                                    models.F("returned"), "+", models.F("carried_forward")
                                ),
                            )
                        ),
                        name="isf_period_end_adds_up",
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="ServiceFundInstalment",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("public_id", models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                ("number", models.PositiveSmallIntegerField()),
                ("due_on", models.DateField()),
                (
                    "amount",
                    models.DecimalField(
                        decimal_places=2,
                        max_digits=12,
                        validators=[django.core.validators.MinValueValidator(Decimal("0.00"))],
                    ),
                ),
                ("paid_at", models.DateTimeField(blank=True, null=True)),
                (
                    "transaction",
                    models.OneToOneField(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="isf_instalment",
                        to="brokerage.ledgertransaction",
                    ),
                ),
                (
                    "schedule",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="instalments",
                        to="brokerage.servicefundschedule",
                    ),
                ),
            ],
            options={
                "ordering": ["schedule", "number"],
                "constraints": [
                    models.UniqueConstraint(fields=("schedule", "number"), name="isf_instalment_number_unique"),
                    models.CheckConstraint(
                        condition=models.Q(("amount__gt", 0)), name="isf_instalment_is_more_than_nothing"
                    ),
                ],
            },
        ),
        migrations.AddConstraint(
            model_name="servicefundstatement",
            constraint=models.UniqueConstraint(
                fields=("allocation", "period_start"), name="one_isf_statement_per_month"
            ),
        ),
        migrations.AddConstraint(
            model_name="servicefundstatement",
            constraint=models.CheckConstraint(
                condition=models.Q(("period_start__lte", models.F("period_end"))), name="isf_statement_dates_in_order"
            ),
        ),
    ]
