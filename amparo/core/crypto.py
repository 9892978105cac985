"""Symmetric encryption of secrets kept in the database (webhook secrets, mailbox passwords).

Keys are derived from ``settings.SECRET_KEY`` with HKDF, so a stolen database dump alone does not
reveal them. ``SECRET_KEY_FALLBACKS`` still decrypt, which lets an operator rotate the secret key
without losing stored secrets (re-encrypt them with :func:`encrypt` at leisure).
"""

from __future__ import annotations

import base64
import functools

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

# A fixed, purpose-specific label: keys derived here never equal keys Django derives elsewhere.
_INFO = b"amparo.core.crypto.v1"


class DecryptionError(Exception):
    """The value was not encrypted with the current secret key nor any fallback."""


def _derive(secret_key: str) -> Fernet:
    raw = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_INFO).derive(
        secret_key.encode()
    )
    return Fernet(base64.urlsafe_b64encode(raw))


@functools.lru_cache(maxsize=8)
def _fernet(secret_key: str, fallbacks: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([_derive(secret_key), *(_derive(key) for key in fallbacks)])


def _current() -> MultiFernet:
    fallbacks = tuple(getattr(settings, "SECRET_KEY_FALLBACKS", ()) or ())
    return _fernet(settings.SECRET_KEY, fallbacks)


def encrypt(value: str) -> str:
    """An opaque ASCII token holding ``value``; authenticated, so tampering is detected."""
    return _current().encrypt(value.encode()).decode("ascii")


def decrypt(token: str) -> str:
    try:
        return _current().decrypt(token.encode("ascii")).decode()
    except (InvalidToken, UnicodeError) as exc:
        raise DecryptionError("stored secret cannot be decrypted with the current keys") from exc
