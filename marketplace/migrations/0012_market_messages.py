"""Commissioners' messages to the providers of a category or framework lot (issue #14)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("marketplace", "0011_order_requests"),
    ]

    operations = []
