"""Presence over the agent websocket: who is viewing or typing, only among allowed agents."""

from __future__ import annotations

import json

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from channels.testing import WebsocketCommunicator

from amparo.core.actors import Actor
from amparo.core.consumers import AgentEventsConsumer
from amparo.testing.factories import AgentFactory, make_ticket
from amparo.tickets.services import message_add

pytestmark = pytest.mark.django_db(transaction=True)


async def _connect(user):
    communicator = WebsocketCommunicator(AgentEventsConsumer.as_asgi(), "/ws/agent/")
    communicator.scope["user"] = user
    connected, _ = await communicator.connect(timeout=10)
    assert connected
    return communicator


async def _drain(communicator, quiet=1.5):
    received = []
    while not await communicator.receive_nothing(timeout=quiet):
        received.append(json.loads(await communicator.receive_from(timeout=10)))
    return received


async def _until(communicator, wanted, timeout=10):
    """Frames received up to and including the first one ``wanted`` accepts (or a timeout)."""
    received = []
    while True:
        frame = json.loads(await communicator.receive_from(timeout=timeout))
        received.append(frame)
        if wanted(frame):
            return received


async def _watch(communicator, ticket_id):
    await communicator.send_to(text_data=json.dumps({"action": "watch", "ticket_id": ticket_id}))


async def _watched(communicator, ticket_id):
    """Watches and waits for the confirmation, whatever the machine's load."""
    await _watch(communicator, ticket_id)
    reply = json.loads(await communicator.receive_from(timeout=5))
    assert reply == {"type": "watching", "ticket_id": ticket_id}


def test_viewing_typing_and_leaving_reach_the_other_agent(agent_a, team_a, contact):
    bruno = AgentFactory(email="bruno.a@example.com", name="Bruno Alves", teams=[team_a])
    ticket = make_ticket(contact=contact, team=team_a)

    async def scenario():
        ana = await _connect(agent_a)
        await _watched(ana, ticket.pk)
        other = await _connect(bruno)
        await _watched(other, ticket.pk)
        ana_saw = await _until(ana, lambda e: e.get("agent_id") == bruno.pk)
        bruno_saw = await _until(other, lambda e: e.get("agent_id") == agent_a.pk)
        await other.send_to(text_data=json.dumps({"action": "typing", "ticket_id": ticket.pk}))
        ana_saw_typing = await _until(ana, lambda e: e.get("state") == "typing")
        await sync_to_async(message_add)(
            ticket=ticket, actor=Actor.of_agent(bruno), body_text="Respondido"
        )
        ana_saw_message = await _until(ana, lambda e: e["type"] == "message.created")
        await other.disconnect()
        ana_saw_left = await _until(ana, lambda e: e.get("state") == "left")
        await ana.disconnect()
        return ana_saw, bruno_saw, ana_saw_typing, ana_saw_message, ana_saw_left

    ana_saw, bruno_saw, typing, message, left = async_to_sync(scenario)()
    presence = {"type": "presence", "ticket_id": ticket.pk}
    assert {**presence, "agent_id": bruno.pk, "name": "Bruno Alves", "state": "viewing"} in ana_saw
    # The newcomer learns who was already there.
    assert {
        **presence,
        "agent_id": agent_a.pk,
        "name": "Ana Souza",
        "state": "viewing",
    } in bruno_saw
    assert {**presence, "agent_id": bruno.pk, "name": "Bruno Alves", "state": "typing"} in typing
    assert any(
        e["type"] == "message.created" and e["message"]["body_text"] == "Respondido"
        for e in message
    )
    assert {**presence, "agent_id": bruno.pk, "name": "Bruno Alves", "state": "left"} in left


def test_presence_never_reaches_agents_who_may_not_see_the_ticket(
    agent_a, agent_b, team_a, contact
):
    ticket = make_ticket(contact=contact, team=team_a)

    async def scenario():
        ana = await _connect(agent_a)
        await _watched(ana, ticket.pk)
        outsider = await _connect(agent_b)
        await _watch(outsider, ticket.pk)
        refused = await _drain(outsider)
        await outsider.send_to(text_data=json.dumps({"action": "typing", "ticket_id": ticket.pk}))
        not_watching = await _drain(outsider)
        ana_saw = await _drain(ana)
        await sync_to_async(message_add)(
            ticket=ticket, actor=Actor.of_contact(contact), body_text="só para a equipe A"
        )
        outsider_later = await _drain(outsider)
        await ana.disconnect()
        await outsider.disconnect()
        return refused, not_watching, ana_saw, outsider_later

    refused, not_watching, ana_saw, later = async_to_sync(scenario)()
    assert [e["code"] for e in refused] == ["not_found"]
    assert [e["code"] for e in not_watching] == ["not_watching"]
    assert not any(e.get("agent_id") == agent_b.pk for e in ana_saw)
    assert "equipe A" not in json.dumps(later)


def test_typing_is_throttled_and_bad_frames_do_not_break_presence(agent_a, team_a, contact):
    bruno = AgentFactory(email="bruno.t@example.com", name="Bruno T", teams=[team_a])
    ticket = make_ticket(contact=contact, team=team_a)

    async def scenario():
        ana = await _connect(agent_a)
        await _watched(ana, ticket.pk)
        other = await _connect(bruno)
        await _watched(other, ticket.pk)
        await _drain(ana)
        await _drain(other)
        for _ in range(5):
            await other.send_to(text_data=json.dumps({"action": "typing", "ticket_id": ticket.pk}))
        await other.send_to(text_data=json.dumps({"action": "typing", "ticket_id": True}))
        errors = await _until(other, lambda e: e["type"] == "error")
        seen = await _until(ana, lambda e: e.get("state") == "typing")
        seen += await _drain(ana, quiet=1.0)
        await ana.disconnect()
        await other.disconnect()
        return errors, seen

    errors, seen = async_to_sync(scenario)()
    assert [e.get("code") for e in errors if e["type"] == "error"] == ["invalid_ticket"]
    assert sum(e.get("state") == "typing" for e in seen) == 1


def test_watching_stops_when_the_ticket_moves_out_of_sight(
    agent_a, admin_agent, team_a, team_b, contact
):
    from amparo.tickets.services import ticket_update

    ticket = make_ticket(contact=contact, team=team_a)

    async def scenario():
        ana = await _connect(agent_a)
        await _watched(ana, ticket.pk)
        await sync_to_async(ticket_update)(
            ticket=ticket, actor=Actor.of_agent(admin_agent), team=team_b
        )
        moved = await _until(ana, lambda e: e["type"] == "unwatched")
        await sync_to_async(message_add)(
            ticket=ticket, actor=Actor.of_contact(contact), body_text="agora é do financeiro"
        )
        later = await _drain(ana)
        await ana.disconnect()
        return moved, later

    moved, later = async_to_sync(scenario)()
    assert {"type": "unwatched", "ticket_id": ticket.pk} in moved
    assert "financeiro" not in json.dumps(later)
