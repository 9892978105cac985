"""Publishing realtime events to websocket groups, only after the transaction commits.

Group names are built here so publishers and consumers agree on them:
``team.<id>`` for a team's tickets, ``triage`` for tickets with no team, ``agent.<id>``
for one agent's assignments, ``admins`` for everything, ``ticket.<id>`` for one ticket.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

logger = logging.getLogger(__name__)

# In the embedded mode web and worker share one process; a worker thread hands its events to
# the web server's event loop so the in-memory channel layer sees them.
_web_loop: asyncio.AbstractEventLoop | None = None
_lock = threading.Lock()


def register_web_loop(loop: asyncio.AbstractEventLoop) -> None:
    global _web_loop
    with _lock:
        _web_loop = loop


def team_group(team_id: int | None) -> str:
    return f"team.{team_id}" if team_id else "triage"


def agent_group(agent_id: int) -> str:
    return f"agent.{agent_id}"


def ticket_group(ticket_id: int) -> str:
    return f"ticket.{ticket_id}"


ADMINS_GROUP = "admins"


def _send(groups: list[str], event: dict[str, Any]) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    message = {"type": "amparo.event", "event": event}
    loop = _web_loop
    for group in dict.fromkeys(groups):
        try:
            if loop is not None and loop.is_running() and not _in_loop(loop):
                asyncio.run_coroutine_threadsafe(layer.group_send(group, message), loop)
            else:
                async_to_sync(layer.group_send)(group, message)
        except Exception:
            # Realtime is best effort: the data is committed and pages show it on reload.
            logger.exception("realtime publish to %s failed", group)


def _in_loop(loop: asyncio.AbstractEventLoop) -> bool:
    try:
        return asyncio.get_running_loop() is loop
    except RuntimeError:
        return False


def publish_on_commit(groups: list[str], event: dict[str, Any]) -> None:
    """Sends ``event`` to ``groups`` once the surrounding transaction commits (now if none)."""
    transaction.on_commit(lambda: _send(groups, event))
