"""Demand signals from more than searches (issue #13): a PA advert nobody answered."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("directory_search", "0003_gin_without_pending_list"),
    ]

    operations = [
        migrations.AddField(
            model_name="demandsignal",
            name="source",
            field=models.CharField(
                choices=[("search", "A search"), ("pa_advert", "A PA advert with no replies")],
                default="search",
                max_length=10,
            ),
        ),
    ]
