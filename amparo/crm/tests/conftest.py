from __future__ import annotations

import pytest
from django.test import Client


@pytest.fixture
def client_for():
    """A test client signed in as the given user."""

    def make(user):
        # English pages, so assertions read the msgids; pt-BR is checked on its own.
        client = Client(headers={"Accept-Language": "en"})
        client.force_login(user)
        return client

    return make


@pytest.fixture
def customer(db):
    from amparo.accounts.models import Role, User

    return User.objects.create_user(
        "cliente@example.org", "x" * 12, name="Cliente", role=Role.CUSTOMER
    )
