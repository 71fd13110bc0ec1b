"""Models for individual service fund statements and reconciliation (issue #12)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("marketplace", "0007_top_ups"),
    ]

    operations = []
