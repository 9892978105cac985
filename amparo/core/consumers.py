"""The agent's websocket: events of the tickets that agent may see, and nothing else.

Groups are chosen on connect from the agent's role and teams (see core.realtime). An agent
may also watch one ticket closely ({"action": "watch", "ticket_id": N}); the ticket is looked
up through the permission-aware selector first, so a ticket the agent cannot see is refused.

Presence (collision warnings): watching announces "viewing" to the ticket's group, and
{"action": "typing", "ticket_id": N} announces "typing"; unwatching or disconnecting announces
"left". Only sockets that passed the visibility check are in a ticket's group, so presence,
like every event, reaches only agents allowed to see the ticket. A newcomer's announcement
carries ``hello`` and the agents already there answer it, so everyone learns who is present.
"""

from __future__ import annotations

import json
import time
from typing import Any

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer

from amparo.core.errors import NotFound
from amparo.core.realtime import ADMINS_GROUP, agent_group, team_group, ticket_group

MAX_FRAME = 4096
MAX_WATCHED = 20
# Typing is announced at most this often per socket, whatever the client sends.
TYPING_INTERVAL = 1.0
ACTIONS = {"watch", "unwatch", "typing", "ping"}


class AgentEventsConsumer(AsyncWebsocketConsumer):
    groups_joined: list[str]
    last_typing: float = 0.0

    async def connect(self) -> None:
        user = self.scope.get("user")
        if user is None or not user.is_authenticated or not user.is_agent or not user.is_active:
            await self.close(code=4401)
            return
        self.groups_joined = await database_sync_to_async(self._groups_for)(user)
        for group in self.groups_joined:
            await self.channel_layer.group_add(group, self.channel_name)
        await self.accept()

    @staticmethod
    def _groups_for(user: Any) -> list[str]:
        from amparo.accounts.selectors import team_ids_for

        if user.sees_all_tickets:
            return [ADMINS_GROUP]
        return [
            team_group(None),
            agent_group(user.pk),
            *[team_group(t) for t in team_ids_for(user)],
        ]

    async def disconnect(self, code: int) -> None:
        for group in getattr(self, "groups_joined", []):
            if group.startswith("ticket."):
                await self._announce(group, "left")
            await self.channel_layer.group_discard(group, self.channel_name)

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        if text_data is None or len(text_data) > MAX_FRAME:
            await self._error("invalid_frame", "Send JSON text frames of at most 4 KiB.")
            return
        try:
            data = json.loads(text_data)
        except ValueError:
            await self._error("invalid_json", "The frame is not valid JSON.")
            return
        if not isinstance(data, dict) or data.get("action") not in ACTIONS:
            await self._error("unknown_action", "Unknown action.")
            return
        if data["action"] == "ping":
            await self.send(text_data=json.dumps({"type": "pong"}))
            return
        ticket_id = data.get("ticket_id")
        if not isinstance(ticket_id, int) or isinstance(ticket_id, bool):
            await self._error("invalid_ticket", "ticket_id must be an integer.")
            return
        group = ticket_group(ticket_id)
        if data["action"] == "unwatch":
            if group in self.groups_joined:
                self.groups_joined.remove(group)
                await self._announce(group, "left")
                await self.channel_layer.group_discard(group, self.channel_name)
            return
        if data["action"] == "typing":
            if group not in self.groups_joined:
                await self._error("not_watching", "Watch the ticket first.")
                return
            now = time.monotonic()
            if now - self.last_typing >= TYPING_INTERVAL:
                self.last_typing = now
                await self._announce(group, "typing")
            return
        if group not in self.groups_joined and (
            sum(g.startswith("ticket.") for g in self.groups_joined) >= MAX_WATCHED
        ):
            await self._error("too_many", "Unwatch a ticket before watching another.")
            return
        if not await database_sync_to_async(self._may_see)(ticket_id):
            await self._error("not_found", "Ticket not found.")
            return
        if group not in self.groups_joined:
            self.groups_joined.append(group)
            await self.channel_layer.group_add(group, self.channel_name)
        await self.send(text_data=json.dumps({"type": "watching", "ticket_id": ticket_id}))
        await self._announce(group, "viewing", hello=True)

    def _may_see(self, ticket_id: int) -> bool:
        from amparo.tickets.selectors import ticket_get_for_agent

        try:
            ticket_get_for_agent(agent=self.scope["user"], ticket_id=ticket_id)
        except NotFound:
            return False
        return True

    async def _error(self, code: str, message: str) -> None:
        await self.send(text_data=json.dumps({"type": "error", "code": code, "message": message}))

    async def amparo_event(self, message: dict[str, Any]) -> None:
        event = message["event"]
        await self.send(text_data=json.dumps(event, default=str))
        changes = event.get("changes") if isinstance(event.get("changes"), dict) else {}
        ticket_id = event.get("ticket_id")
        if not isinstance(ticket_id, int) or not ({"team", "assignee"} & set(changes)):
            return
        # The ticket moved: like its previous team, this socket hears about the move itself,
        # but stops watching the ticket if the agent may no longer see it.
        group = ticket_group(ticket_id)
        if group in self.groups_joined and not await database_sync_to_async(self._may_see)(
            ticket_id
        ):
            self.groups_joined.remove(group)
            await self._announce(group, "left")
            await self.channel_layer.group_discard(group, self.channel_name)
            await self.send(text_data=json.dumps({"type": "unwatched", "ticket_id": ticket_id}))

    async def _announce(self, group: str, state: str, *, hello: bool = False) -> None:
        user = self.scope["user"]
        await self.channel_layer.group_send(
            group,
            {
                "type": "amparo.presence",
                "sender": self.channel_name,
                "ticket_id": int(group.split(".", 1)[1]),
                "agent_id": user.pk,
                "name": user.name or user.email,
                "state": state,
                "hello": hello,
            },
        )

    async def amparo_presence(self, message: dict[str, Any]) -> None:
        if message["sender"] == self.channel_name:
            return
        group = ticket_group(message["ticket_id"])
        if group not in getattr(self, "groups_joined", []):
            return
        if message["hello"]:
            # Answer a newcomer so their page shows who was already here.
            await self._announce(group, "viewing")
        await self.send(
            text_data=json.dumps(
                {
                    "type": "presence",
                    "ticket_id": message["ticket_id"],
                    "agent_id": message["agent_id"],
                    "name": message["name"],
                    "state": message["state"],
                }
            )
        )
