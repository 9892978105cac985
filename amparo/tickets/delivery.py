"""The outbound side of channels: each channel registers how a public reply reaches the customer.

The ticket services only know that a reply on channel X must be delivered; the inbox package
registers one sender per channel (email, WhatsApp, …). A channel with no sender (the web
portal) needs no delivery: the customer reads the reply there.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from contextvars import ContextVar

_senders: dict[str, Callable[[int], None]] = {}
_suppressed: ContextVar[bool] = ContextVar("delivery_suppressed", default=False)


def register_sender(channel: str, enqueue: Callable[[int], None]) -> None:
    """``enqueue(message_id)`` must store a delivery job in the current transaction."""
    _senders[channel] = enqueue


def sender_for(channel: str) -> Callable[[int], None] | None:
    if _suppressed.get():
        return None
    return _senders.get(channel)


@contextlib.contextmanager
def suppressed() -> Iterator[None]:
    """Replies written inside reach nobody: for demo and imported history, never real people."""
    token = _suppressed.set(True)
    try:
        yield
    finally:
        _suppressed.reset(token)
