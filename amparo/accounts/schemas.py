"""API schemas of agents and teams (read-only through the API)."""

from __future__ import annotations

from typing import Any

from ninja import Schema


class TeamOut(Schema):
    id: int
    name: str
    description: str


class AgentOut(Schema):
    id: int
    name: str
    email: str
    role: str
    availability: str
    language: str
    time_zone: str
    team_ids: list[int]

    @staticmethod
    def resolve_team_ids(obj: Any) -> list[int]:
        return [t.pk for t in obj.teams.all()]


class AgentPage(Schema):
    items: list[AgentOut]
    next_cursor: str | None
