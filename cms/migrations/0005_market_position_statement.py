"""Market position statement pages with live figures from the commissioner's insights (issue #14)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0004_editorial_setup"),
        ("marketplace", "0012_market_messages"),
    ]

    operations = []
