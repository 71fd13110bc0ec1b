"""Family workspace (issue #13): a family's request for help from their broker or lead professional."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("marketplace", "0008_service_funds"),
    ]

    operations: list = []
