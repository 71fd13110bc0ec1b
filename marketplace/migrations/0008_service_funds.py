"""Models for individual service fund statements and reconciliation (issue #12): a payment run's item can pay
a due instalment of an individual service fund to the provider that holds it."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("brokerage", "0004_service_funds"),
        ("marketplace", "0007_top_ups"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="paymentitem",
            name="payment_item_pays_one_thing",
        ),
        migrations.AddField(
            model_name="paymentitem",
            name="isf_instalment",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="payment_items",
                to="brokerage.servicefundinstalment",
            ),
        ),
        migrations.AddConstraint(
            model_name="paymentitem",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(
                        ("instalment__isnull", True),
                        ("invoice__isnull", False),
                        ("isf_instalment__isnull", True),
                        ("purchase__isnull", True),
                    ),
                    models.Q(
                        ("instalment__isnull", False),
                        ("invoice__isnull", True),
                        ("isf_instalment__isnull", True),
                        ("purchase__isnull", True),
                    ),
                    models.Q(
                        ("instalment__isnull", True),
                        ("invoice__isnull", True),
                        ("isf_instalment__isnull", True),
                        ("purchase__isnull", False),
                    ),
                    models.Q(
                        ("instalment__isnull", True),
                        ("invoice__isnull", True),
                        ("isf_instalment__isnull", False),
                        ("purchase__isnull", True),
                    ),
                    _connector="OR",
                ),
                name="payment_item_pays_one_thing",
            ),
        ),
        migrations.AddConstraint(
            model_name="paymentitem",
            constraint=models.UniqueConstraint(
                condition=models.Q(("isf_instalment__isnull", False), ("status__in", ("pending", "sent", "paid"))),
                fields=("isf_instalment",),
                name="one_live_payment_item_per_isf_instalment",
            ),
        ),
    ]
