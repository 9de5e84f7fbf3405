"""Encryption at rest of applicants' personal data (Fernet, keys from the environment).

``MEMBERS_ENCRYPTION_KEYS`` lists Fernet keys, newest first: the first encrypts, every one
decrypts, so a new key can be put in front of the old one and ``iskra
rotate_encryption_key`` re-encrypts the stored data before the old key is removed.
"""

from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models


@lru_cache(maxsize=4)
def _cipher(keys):
    return MultiFernet([Fernet(key) for key in keys])


def cipher():
    """Return the MultiFernet of the configured keys (read at call time)."""
    return _cipher(tuple(settings.MEMBERS_ENCRYPTION_KEYS))


def encrypt(text):
    """Return ``text`` encrypted with the newest key, as an ASCII token."""
    return cipher().encrypt(text.encode("utf-8")).decode("ascii")


def decrypt(token):
    """Return the text of ``token``; fail loudly when no configured key opens it."""
    try:
        return cipher().decrypt(token.encode("ascii")).decode("utf-8")
    except InvalidToken:
        raise ImproperlyConfigured(
            "Stored membership data cannot be decrypted with MEMBERS_ENCRYPTION_KEYS: "
            "the key that encrypted it is missing from the list."
        ) from None


class EncryptedTextField(models.TextField):
    """A text field stored encrypted; Python code sees the plain text.

    Every value, the empty string included, is stored as a token, so the table shows
    neither the data nor which fields an applicant left empty. Encrypted values cannot be
    searched or filtered in SQL.
    """

    def from_db_value(self, value, expression, connection):
        return None if value is None else decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return None if value is None else encrypt(value)

    # Backups write the sealed token, never the plain text (iskra.core.backup_format).
    def seal(self, value):
        return encrypt(value)

    def unseal(self, token):
        return decrypt(token)
