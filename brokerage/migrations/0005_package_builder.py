"""Package builder (issue #13): weekly times of plan lines, and a draft plan sent to the family to agree."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("brokerage", "0004_service_funds"),
    ]

    operations: list = []
