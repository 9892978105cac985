from __future__ import annotations

import time

from amparo.webhooks.signing import sign, verify_signature

BODY = b'{"id":"1","type":"ping"}'


def test_signature_verifies_with_the_secret_only():
    now = int(time.time())
    header = sign(["whsec_right"], BODY, now)
    assert header.startswith(f"t={now},v1=")
    assert verify_signature("whsec_right", BODY, header)
    assert not verify_signature("whsec_wrong", BODY, header)
    assert not verify_signature("whsec_right", BODY + b" ", header)


def test_stale_or_future_timestamps_are_refused():
    now = int(time.time())
    old = sign(["s"], BODY, now - 301)
    assert not verify_signature("s", BODY, old)
    assert verify_signature("s", BODY, old, tolerance=600)
    assert not verify_signature("s", BODY, sign(["s"], BODY, now + 301))
    assert verify_signature("s", BODY, sign(["s"], BODY, now - 299))


def test_malformed_headers_are_refused():
    for header in ["", "t=abc,v1=00", "v1=00", f"t={int(time.time())}", "garbage"]:
        assert not verify_signature("s", BODY, header)


def test_any_of_several_signatures_verifies():
    header = sign(["new", "old"], BODY, int(time.time()))
    assert verify_signature("new", BODY, header)
    assert verify_signature("old", BODY, header)
    assert not verify_signature("other", BODY, header)
