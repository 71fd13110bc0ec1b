"""Models for complaints about a service, responses and escalation (issue #12)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("marketplace", "0005_reviews"),
    ]

    operations = []
