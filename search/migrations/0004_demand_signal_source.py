"""Demand signals from more than searches (issue #13): a PA advert nobody answered."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("directory_search", "0003_gin_without_pending_list"),
    ]

    operations: list = []
