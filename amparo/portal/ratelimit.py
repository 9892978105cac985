"""Fixed-window counters in the cache (Redis when configured), shared by every web process."""

from __future__ import annotations

import hashlib
import time

from django.core.cache import cache


def _key(scope: str, subject: str, window: int) -> str:
    # Hashed so addresses and IPs are not readable in the cache, and keys stay short.
    digest = hashlib.sha256(subject.strip().lower().encode()).hexdigest()[:32]
    return f"amparo:rl:{scope}:{digest}:{int(time.time()) // window}"


def hit(scope: str, subject: str, *, limit: int, window: int = 3600) -> bool:
    """Counts one attempt; False when ``subject`` already made ``limit`` in this window."""
    if limit <= 0:
        return True
    key = _key(scope, subject, window)
    if cache.add(key, 1, timeout=window + 60):
        return True
    try:
        count = cache.incr(key)
    except ValueError:
        # Expired between add and incr: this is the first attempt of a new window.
        cache.add(key, 1, timeout=window + 60)
        return True
    return count <= limit
