"""Models for reviews of providers and personal assistants, replies and moderation (issue #12)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("marketplace", "0004_payments"),
    ]

    operations = []
