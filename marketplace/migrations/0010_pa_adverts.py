"""PA recruitment (issue #13): adverts, replies, shortlists, meetings and the employer's checklist."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("marketplace", "0009_help_requests"),
    ]

    operations: list = []
