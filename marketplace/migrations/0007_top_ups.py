"""Models for top-ups and contributions paid into a budget by card or bank transfer (issue #12)."""

import uuid

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

import accounts.fields


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("brokerage", "0003_top_ups"),
        ("marketplace", "0006_complaints"),
        ("providers", "0006_profile_changes_returned_reason"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="TopUp",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("public_id", models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                (
                    "reason",
                    models.CharField(
                        choices=[
                            ("dearer_option", "A dearer option than the plan allows"),
                            ("contribution", "An assessed contribution"),
                        ],
                        max_length=20,
                    ),
                ),
                ("amount", models.DecimalField(decimal_places=2, max_digits=12)),
                ("currency", models.CharField(default="GBP", editable=False, max_length=3)),
                (
                    "method",
                    models.CharField(choices=[("card", "Card"), ("bank_transfer", "Bank transfer")], max_length=20),
                ),
                (
                    "reference",
                    models.CharField(
                        help_text="Quoted on a bank transfer, e.g. TU-7K3M9QXD", max_length=12, unique=True
                    ),
                ),
                ("payment_intent_id", models.CharField(blank=True, max_length=64)),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("waiting", "Waiting for the money"),
                            ("paid", "Paid in"),
                            ("failed", "Card payment failed"),
                            ("part_refunded", "Part refunded"),
                            ("refunded", "Refunded"),
                        ],
                        default="waiting",
                        max_length=20,
                    ),
                ),
                ("failure_reason", models.CharField(blank=True, max_length=300)),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("paid_at", models.DateTimeField(blank=True, null=True)),
            ],
            options={
                "ordering": ["-created_at", "-id"],
            },
        ),
        migrations.CreateModel(
            name="TopUpRefund",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("public_id", models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                ("amount", models.DecimalField(decimal_places=2, max_digits=12)),
                ("reason", models.CharField(max_length=300)),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("requested", "Asked of Stripe"),
                            ("done", "Refunded"),
                            ("failed", "Refused by Stripe"),
                        ],
                        default="requested",
                        max_length=20,
                    ),
                ),
                ("stripe_refund_id", models.CharField(blank=True, max_length=64)),
                ("failure_reason", models.CharField(blank=True, max_length=300)),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
            ],
            options={
                "ordering": ["created_at", "id"],
            },
        ),
        migrations.CreateModel(
            name="TopUpSettings",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "stripe_publishable_key",
                    models.CharField(
                        blank=True,
                        help_text="pk_live_… or pk_test_…, from the same Stripe account as the secret key",
                        max_length=200,
                    ),
                ),
                ("bank_account_name", models.CharField(blank=True, max_length=70)),
                ("bank_sort_code", accounts.fields.EncryptedTextField(blank=True)),
                ("bank_account_number", accounts.fields.EncryptedTextField(blank=True)),
                ("updated_at", models.DateTimeField(default=django.utils.timezone.now)),
            ],
            options={
                "verbose_name_plural": "top-up settings",
            },
        ),
        migrations.CreateModel(
            name="TopUpStatusChange",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "old_status",
                    models.CharField(
                        choices=[
                            ("waiting", "Waiting for the money"),
                            ("paid", "Paid in"),
                            ("failed", "Card payment failed"),
                            ("part_refunded", "Part refunded"),
                            ("refunded", "Refunded"),
                        ],
                        max_length=20,
                    ),
                ),
                (
                    "new_status",
                    models.CharField(
                        choices=[
                            ("waiting", "Waiting for the money"),
                            ("paid", "Paid in"),
                            ("failed", "Card payment failed"),
                            ("part_refunded", "Part refunded"),
                            ("refunded", "Refunded"),
                        ],
                        max_length=20,
                    ),
                ),
                ("reason", models.CharField(blank=True, max_length=300)),
                ("changed_at", models.DateTimeField(default=django.utils.timezone.now)),
            ],
            options={
                "ordering": ["changed_at", "id"],
            },
        ),
        migrations.AddField(
            model_name="topup",
            name="allocation",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT, related_name="top_ups", to="brokerage.allocation"
            ),
        ),
        migrations.AddField(
            model_name="topup",
            name="council",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT, related_name="top_ups", to="accounts.organisation"
            ),
        ),
        migrations.AddField(
            model_name="topup",
            name="offer",
            field=models.ForeignKey(
                blank=True,
                help_text="The dearer option chosen",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="providers.offer",
            ),
        ),
        migrations.AddField(
            model_name="topup",
            name="plan_line",
            field=models.ForeignKey(
                blank=True,
                help_text="The plan line the dearer option is for",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="brokerage.planline",
            ),
        ),
        migrations.AddField(
            model_name="topup",
            name="received_by",
            field=models.ForeignKey(
                blank=True,
                help_text="The finance officer who recorded a bank transfer",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="topup",
            name="requested_by",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT, related_name="+", to=settings.AUTH_USER_MODEL
            ),
        ),
        migrations.AddField(
            model_name="topup",
            name="transaction",
            field=models.OneToOneField(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="brokerage.ledgertransaction",
            ),
        ),
        migrations.AddField(
            model_name="topuprefund",
            name="requested_by",
            field=models.ForeignKey(
                blank=True,
                help_text="Empty for a refund made in Stripe's dashboard",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="topuprefund",
            name="reversal",
            field=models.OneToOneField(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="brokerage.ledgertransaction",
            ),
        ),
        migrations.AddField(
            model_name="topuprefund",
            name="top_up",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT, related_name="refunds", to="marketplace.topup"
            ),
        ),
        migrations.AddField(
            model_name="topuprefund",
            name="transaction",
            field=models.OneToOneField(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="brokerage.ledgertransaction",
            ),
        ),
        migrations.AddField(
            model_name="topupsettings",
            name="council",
            field=models.OneToOneField(
                on_delete=django.db.models.deletion.CASCADE, related_name="top_up_settings", to="accounts.organisation"
            ),
        ),
        migrations.AddField(
            model_name="topupsettings",
            name="updated_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="topupstatuschange",
            name="actor",
            field=models.ForeignKey(
                null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL
            ),
        ),
        migrations.AddField(
            model_name="topupstatuschange",
            name="top_up",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE, related_name="status_changes", to="marketplace.topup"
            ),
        ),
        migrations.AddConstraint(
            model_name="topup",
            constraint=models.UniqueConstraint(
                condition=models.Q(("payment_intent_id", ""), _negated=True),
                fields=("payment_intent_id",),
                name="one_top_up_per_payment_intent",
            ),
        ),
        migrations.AddConstraint(
            model_name="topup",
            constraint=models.CheckConstraint(condition=models.Q(("amount__gt", 0)), name="top_up_amount_positive"),
        ),
        migrations.AddConstraint(
            model_name="topuprefund",
            constraint=models.UniqueConstraint(
                condition=models.Q(("stripe_refund_id", ""), _negated=True),
                fields=("stripe_refund_id",),
                name="one_row_per_stripe_refund",
            ),
        ),
        migrations.AddConstraint(
            model_name="topuprefund",
            constraint=models.CheckConstraint(
                condition=models.Q(("amount__gt", 0)), name="top_up_refund_amount_positive"
            ),
        ),
    ]
