"""/api/v1/agents, /api/v1/teams (read) and /api/v1/me."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router

from amparo.accounts import selectors
from amparo.accounts.models import User
from amparo.accounts.schemas import AgentOut, AgentPage, TeamOut
from amparo.api.pagination import keyset_page
from amparo.core.errors import NotFound

router = Router()


def _viewer(request: HttpRequest) -> User:
    user = request.auth  # type: ignore[attr-defined]
    assert isinstance(user, User)
    return user


@router.get("/me", response=AgentOut, tags=["agents"], summary="The agent behind the token")
def me(request: HttpRequest) -> object:
    return selectors.agent_list(viewer=_viewer(request)).get(pk=_viewer(request).pk)


@router.get("/agents", response=AgentPage, tags=["agents"], summary="List agents")
def list_agents(
    request: HttpRequest, cursor: str | None = None, limit: int = 50
) -> dict[str, object]:
    items, next_cursor = keyset_page(
        selectors.agent_list(viewer=_viewer(request)), order="id", cursor=cursor, limit=limit
    )
    return {"items": items, "next_cursor": next_cursor}


@router.get("/agents/{int:agent_id}", response=AgentOut, tags=["agents"], summary="Read an agent")
def get_agent(request: HttpRequest, agent_id: int) -> object:
    agent = selectors.agent_list(viewer=_viewer(request)).filter(pk=agent_id).first()
    if agent is None:
        raise NotFound("Agent not found.")
    return agent


@router.get("/teams", response=list[TeamOut], tags=["teams"], summary="List teams")
def list_teams(request: HttpRequest) -> object:
    return list(selectors.team_list(viewer=_viewer(request)))


@router.get("/teams/{int:team_id}", response=TeamOut, tags=["teams"], summary="Read a team")
def get_team(request: HttpRequest, team_id: int) -> object:
    team = selectors.team_list(viewer=_viewer(request)).filter(pk=team_id).first()
    if team is None:
        raise NotFound("Team not found.")
    return team
