"""The management lists cost the same number of queries with few or many rows."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from amparo.accounts.models import Role
from amparo.accounts.services import team_add_member
from amparo.backoffice.services import macro_save, tag_save
from amparo.testing.factories import AgentFactory, TeamFactory


def _populate(start: int, stop: int) -> None:
    for i in range(start, stop):
        team = TeamFactory(name=f"Equipe {i}")
        agent = AgentFactory(email=f"a{i}@example.com")
        team_add_member(team=team, user=agent, is_lead=i % 2 == 0)
        tag_save(actor=None, name=f"tag-{i}", color="#112233")
        macro_save(actor=None, name=f"Macro {i}", body="Olá", team=team)


def _count(client: Client, path: str) -> int:
    client.get(path)  # warm the session row
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize(
    "path", ["/manage/agents/", "/manage/teams/", "/manage/tags/", "/manage/macros/"]
)
def test_list_queries_do_not_grow_with_rows(client: Client, db, path: str) -> None:  # type: ignore[no-untyped-def]
    client.force_login(AgentFactory(email="sup@example.com", role=Role.SUPERVISOR))
    _populate(0, 2)
    few = _count(client, path)
    _populate(2, 10)
    assert _count(client, path) == few
