"""Shared pytest fixtures. Tests run on SQLite by default, on PostgreSQL when DATABASE_URL is set."""

from __future__ import annotations

import os
import tempfile

os.environ.setdefault("AMPARO_DATA_DIR", tempfile.mkdtemp(prefix="amparo-test-"))
os.environ.setdefault("AMPARO_OUTBOUND_ALLOW_PRIVATE", "false")

import pytest

pytest_plugins = ["amparo.testing.browser"]


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def team_a(db):  # type: ignore[no-untyped-def]
    from amparo.testing.factories import TeamFactory

    return TeamFactory(name="Suporte")


@pytest.fixture
def team_b(db):  # type: ignore[no-untyped-def]
    from amparo.testing.factories import TeamFactory

    return TeamFactory(name="Financeiro")


@pytest.fixture
def agent_a(team_a):  # type: ignore[no-untyped-def]
    from amparo.testing.factories import AgentFactory

    return AgentFactory(email="ana@example.com", name="Ana Souza", teams=[team_a])


@pytest.fixture
def agent_b(team_b):  # type: ignore[no-untyped-def]
    from amparo.testing.factories import AgentFactory

    return AgentFactory(email="bruno@example.com", name="Bruno Lima", teams=[team_b])


@pytest.fixture
def admin_agent(db):  # type: ignore[no-untyped-def]
    from amparo.accounts.models import Role
    from amparo.testing.factories import AgentFactory

    return AgentFactory(email="admin@example.com", name="Admin", role=Role.ADMIN)


@pytest.fixture
def contact(db):  # type: ignore[no-untyped-def]
    from amparo.testing.factories import ContactFactory

    return ContactFactory(name="Maria da Silva", identities=[("email", "maria@example.org")])


class ApiClient:
    """A Django test client that sends a bearer token and JSON."""

    def __init__(self, token: str):
        from django.test import Client

        self.client = Client()
        self.headers = {"Authorization": f"Bearer {token}"}

    def _call(self, method: str, path: str, data=None, headers=None):  # type: ignore[no-untyped-def]
        import json

        kwargs = {"headers": {**self.headers, **(headers or {})}}
        if data is not None:
            kwargs["data"] = data if isinstance(data, str | bytes) else json.dumps(data)
            kwargs["content_type"] = "application/json"
        return getattr(self.client, method)(f"/api/v1{path}", **kwargs)

    def get(self, path, **kw):  # type: ignore[no-untyped-def]
        return self._call("get", path, **kw)

    def post(self, path, data=None, **kw):  # type: ignore[no-untyped-def]
        return self._call("post", path, data if data is not None else {}, **kw)

    def patch(self, path, data=None, **kw):  # type: ignore[no-untyped-def]
        return self._call("patch", path, data if data is not None else {}, **kw)

    def delete(self, path, **kw):  # type: ignore[no-untyped-def]
        return self._call("delete", path, **kw)


@pytest.fixture
def api_for():  # type: ignore[no-untyped-def]
    from amparo.accounts.models import TokenScope
    from amparo.accounts.services import api_token_create

    def make(user, scope=TokenScope.WRITE):  # type: ignore[no-untyped-def]
        _token, raw = api_token_create(user=user, name="test", scope=scope)
        return ApiClient(raw)

    return make
