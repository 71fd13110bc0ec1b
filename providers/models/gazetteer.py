from django.db import models


class Postcode(models.Model):
    """A postcode (full unit, e.g. "CV1 2GT") or district (e.g. "CV1") with its centre and council area.

    Filled by ``manage.py import_postcodes`` from the ONS Postcode Directory or a simple CSV.
    """

    class Kind(models.TextChoices):
        UNIT = "unit", "Full postcode"
        DISTRICT = "district", "Postcode district"

    postcode = models.CharField(max_length=8, unique=True, help_text="Normalised: upper case, one space")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    district = models.CharField(max_length=4, db_index=True)
    latitude = models.DecimalField(max_digits=9, decimal_places=6)
    longitude = models.DecimalField(max_digits=9, decimal_places=6)
    council_code = models.CharField("council area code (ONS)", max_length=9, blank=True, db_index=True)
    council_name = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["postcode"]

    def __str__(self) -> str:
        return self.postcode
