from django.db import models

from accounts import crypto


class EncryptedTextField(models.TextField):
    """Stores the value encrypted; Python code sees plain text. Cannot be searched or ordered by.

    Keep a masked copy (e.g. the last four characters) in a separate field when people need to
    recognise the value, so that pages never have to decrypt it.
    """

    description = "Text encrypted at rest"

    def from_db_value(self, value, expression, connection):  # type: ignore[no-untyped-def]
        if value is None or value == "":
            return value
        return crypto.decrypt(value)

    def get_prep_value(self, value):  # type: ignore[no-untyped-def]
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return crypto.encrypt(value)

    def get_lookup(self, lookup_name):  # type: ignore[no-untyped-def]
        # Each encryption uses a fresh random IV, so even "exact" could never match: only isnull works.
        if lookup_name != "isnull":
            raise TypeError(f"An encrypted field cannot be filtered with '{lookup_name}'")
        return super().get_lookup(lookup_name)
