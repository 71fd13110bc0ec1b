import pytest
from cryptography.fernet import Fernet

from accounts import crypto


def test_values_round_trip_and_the_stored_token_does_not_contain_them():
    token = crypto.encrypt("001234567890")

    assert "001234567890" not in token
    assert crypto.decrypt(token) == "001234567890"


def test_each_encryption_is_different_so_equal_values_cannot_be_spotted():
    assert crypto.encrypt("001234567890") != crypto.encrypt("001234567890")


def test_keys_can_be_rotated_new_key_first_old_key_still_decrypts(settings):
    old_key, new_key = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [old_key]
    token = crypto.encrypt("12345678")

    settings.FIELD_ENCRYPTION_KEYS = [new_key, old_key]

    assert crypto.decrypt(token) == "12345678"
    assert Fernet(new_key.encode()).decrypt(crypto.encrypt("x").encode()) == b"x"


def test_a_value_encrypted_with_an_unknown_key_fails_loudly(settings):
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    token = crypto.encrypt("12345678")
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]

    with pytest.raises(crypto.DecryptionFailed):
        crypto.decrypt(token)


def test_without_configured_keys_one_is_derived_from_the_secret_key(settings):
    settings.FIELD_ENCRYPTION_KEYS = []

    token = crypto.encrypt("secret")

    assert Fernet(crypto.derived_key().encode()).decrypt(token.encode()) == b"secret"


@pytest.mark.parametrize(
    ("value", "masked"), [("001234567890", "•••• 7890"), ("12 34 56 78", "•••• 5678"), ("123", "•••")]
)
def test_masking_shows_only_the_last_four(value, masked):
    assert crypto.mask(value) == masked
