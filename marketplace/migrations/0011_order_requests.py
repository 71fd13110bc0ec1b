"""Orders that wait on a budget-holding manager (issue #13): escalations beyond delegated authority and orders with a provider the broker's organisation has an interest in."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("marketplace", "0010_pa_adverts"),
    ]

    operations: list = []
