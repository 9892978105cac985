"""The agent websocket delivers the events of tickets the agent may see, and nothing else."""

from __future__ import annotations

import json

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from channels.testing import WebsocketCommunicator
from django.contrib.auth.models import AnonymousUser

from amparo.core.actors import Actor
from amparo.core.consumers import AgentEventsConsumer
from amparo.testing.factories import make_ticket
from amparo.tickets.services import message_add

pytestmark = pytest.mark.django_db(transaction=True)


async def _connect(user):
    communicator = WebsocketCommunicator(AgentEventsConsumer.as_asgi(), "/ws/agent/")
    communicator.scope["user"] = user
    connected, _code = await communicator.connect(timeout=10)
    return communicator, connected


# Waits are generous: CI machines are busy, and a wait only costs time when something is wrong.
WAIT = 10


async def _events(communicator, quiet=1.5):
    """Everything received until the socket stays quiet for ``quiet`` seconds."""
    received = []
    while not await communicator.receive_nothing(timeout=quiet):
        received.append(json.loads(await communicator.receive_from(timeout=WAIT)))
    return received


def test_agent_receives_only_events_of_tickets_they_may_see(agent_a, team_a, team_b, contact):
    async def scenario():
        communicator, connected = await _connect(agent_a)
        assert connected
        visible = await sync_to_async(make_ticket)(contact=contact, team=team_a, subject="Visível")
        hidden = await sync_to_async(make_ticket)(contact=contact, team=team_b, subject="Oculto")
        await sync_to_async(message_add)(
            ticket=hidden, actor=Actor.of_contact(contact), body_text="segredo do financeiro"
        )
        events = await _events(communicator)
        await communicator.disconnect()
        return visible, hidden, events

    visible, hidden, events = async_to_sync(scenario)()
    ticket_ids = {e.get("ticket_id") for e in events}
    assert visible.pk in ticket_ids
    assert hidden.pk not in ticket_ids
    assert "segredo" not in json.dumps(events)


def test_watching_an_invisible_ticket_is_refused(agent_a, team_b, contact):
    hidden = make_ticket(contact=contact, team=team_b)

    async def scenario():
        communicator, _ = await _connect(agent_a)
        await communicator.send_to(
            text_data=json.dumps({"action": "watch", "ticket_id": hidden.pk})
        )
        reply = json.loads(await communicator.receive_from(timeout=WAIT))
        await sync_to_async(message_add)(
            ticket=hidden, actor=Actor.of_contact(contact), body_text="não deveria chegar"
        )
        later = await _events(communicator)
        await communicator.disconnect()
        return reply, later

    reply, later = async_to_sync(scenario)()
    assert reply["type"] == "error"
    assert reply["code"] == "not_found"
    assert all(e.get("ticket_id") != hidden.pk for e in later)


def test_anonymous_and_customers_are_refused(db):
    async def scenario():
        _, connected = await _connect(AnonymousUser())
        return connected

    assert async_to_sync(scenario)() is False


@pytest.mark.parametrize(
    "frame",
    [
        "not json",
        json.dumps([1, 2]),
        json.dumps({"action": "rm -rf"}),
        json.dumps({"action": "watch", "ticket_id": "1"}),
        "x" * 5000,
    ],
)
def test_bad_frames_get_an_error_frame_and_the_socket_stays_open(agent_a, frame):
    async def scenario():
        communicator, _ = await _connect(agent_a)
        await communicator.send_to(text_data=frame)
        reply = json.loads(await communicator.receive_from(timeout=WAIT))
        await communicator.send_to(text_data=json.dumps({"action": "ping"}))
        pong = json.loads(await communicator.receive_from(timeout=WAIT))
        await communicator.disconnect()
        return reply, pong

    reply, pong = async_to_sync(scenario)()
    assert reply["type"] == "error"
    assert pong["type"] == "pong"


def test_an_idle_socket_on_the_redis_layer_keeps_waiting_for_events():
    """channels-redis waits for a message with a 5-second blocking pop; with redis-py 8's
    default 5-second socket timeout the wait itself failed and every idle websocket was torn
    down. With Amparo's layer settings a receive waits past that and still gets the event."""
    import asyncio
    import os
    import time

    from channels_redis.core import RedisChannelLayer

    from amparo.config.env import redis_channel_layer

    url = os.environ.get("TEST_REDIS_URL") or "redis://127.0.0.1:6379/0"
    config = redis_channel_layer(url, f"amparo-test-{os.getpid()}")["CONFIG"]

    async def scenario():
        layer = RedisChannelLayer(**config)
        channel = await layer.new_channel()
        started = time.monotonic()
        waiting = asyncio.ensure_future(layer.receive(channel))
        await asyncio.sleep(7)  # longer than both the blocking pop and redis-py's default
        await layer.send(channel, {"type": "ticket.event", "ticket_id": 1})
        message = await asyncio.wait_for(waiting, timeout=WAIT)
        await layer.flush()
        return message, time.monotonic() - started

    message, waited = async_to_sync(scenario)()
    assert message == {"type": "ticket.event", "ticket_id": 1}
    assert waited >= 7
