"""Encryption at rest for the few fields that must be readable but must not leak: DBS certificate
numbers and bank details.

Fernet (AES-128-CBC with HMAC-SHA256) through MultiFernet, so that keys can be rotated: the first key
in FIELD_ENCRYPTION_KEYS encrypts, every key decrypts. When FIELD_ENCRYPTION_KEYS is not set, one key
is derived from SECRET_KEY with HKDF; a deployment that rotates SECRET_KEY must first set
FIELD_ENCRYPTION_KEYS to the derived key (``manage.py shell -c "from accounts.crypto import
derived_key; print(derived_key())"``) followed by nothing else, then add new keys in front of it.
"""

import base64
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings


class DecryptionFailed(Exception):
    """A stored value could not be decrypted with any configured key."""


def derived_key() -> str:
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"support-exchange field encryption v1")
    return base64.urlsafe_b64encode(hkdf.derive(settings.SECRET_KEY.encode())).decode()


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...], secret_key: str) -> MultiFernet:
    return MultiFernet([Fernet(key) for key in (keys or (derived_key(),))])


def _current() -> MultiFernet:
    return _fernet(tuple(settings.FIELD_ENCRYPTION_KEYS), settings.SECRET_KEY)


def encrypt(plain: str) -> str:
    return _current().encrypt(plain.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return _current().decrypt(token.encode()).decode()
    except InvalidToken as error:
        raise DecryptionFailed("A protected value could not be decrypted with the configured keys") from error


def mask(value: str, visible: int = 4) -> str:
    """'1234 5678 9012' → '•••• 9012': only the last ``visible`` characters are ever shown."""
    cleaned = "".join(value.split())
    if len(cleaned) <= visible:
        return "•" * len(cleaned)
    return "•••• " + cleaned[-visible:]
