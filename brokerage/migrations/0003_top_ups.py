"""Models for top-ups and assessed contributions (issue #12): a ledger transaction kind for a top-up refunded."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("brokerage", "0002_direct_payments_and_monitoring"),
    ]

    operations = [
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
    ]
