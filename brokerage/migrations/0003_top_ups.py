"""Models for top-ups and assessed contributions (issue #12)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("brokerage", "0002_direct_payments_and_monitoring"),
    ]

    operations = []
