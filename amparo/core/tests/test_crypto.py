from __future__ import annotations

import pytest

from amparo.core import crypto


def test_round_trip_hides_the_value():
    token = crypto.encrypt("senha-do-imap ✓")
    assert "senha" not in token
    assert token != crypto.encrypt("senha-do-imap ✓")  # random IV every time
    assert crypto.decrypt(token) == "senha-do-imap ✓"


def test_other_secret_key_cannot_decrypt(settings):
    token = crypto.encrypt("s3cret")
    settings.SECRET_KEY = "a-completely-different-key"
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(token)


def test_fallback_key_still_decrypts_after_rotation(settings):
    old_key = settings.SECRET_KEY
    token = crypto.encrypt("s3cret")
    settings.SECRET_KEY = "the-new-key"
    settings.SECRET_KEY_FALLBACKS = [old_key]
    assert crypto.decrypt(token) == "s3cret"


def test_tampered_token_is_refused():
    token = crypto.encrypt("s3cret")
    tampered = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(tampered)
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt("not a token ✗")
