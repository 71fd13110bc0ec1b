"""An offer's rating from families' published reviews (issue #12), kept on the offer by providers.services.ratings."""

from decimal import Decimal

import django.core.validators
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("providers", "0006_profile_changes_returned_reason"),
    ]

    operations = [
        migrations.AddField(
            model_name="offer",
            name="rating_average",
            field=models.DecimalField(
                blank=True,
                decimal_places=2,
                help_text="The average of the published reviews' ratings (1 to 5); empty when there are none",
                max_digits=3,
                null=True,
                validators=[
                    django.core.validators.MinValueValidator(Decimal("1")),
                    django.core.validators.MaxValueValidator(Decimal("5")),
                ],
            ),
        ),
        migrations.AddField(
            model_name="offer",
            name="rating_count",
            field=models.PositiveIntegerField(default=0, help_text="How many published reviews there are"),
        ),
    ]
