"""Who may open the management pages: supervisors and administrators only."""

from __future__ import annotations

import pytest
from django.test import Client

from amparo.accounts.models import Role
from amparo.testing.factories import AgentFactory

PAGES = [
    "/manage/",
    "/manage/agents/",
    "/manage/agents/new/",
    "/manage/teams/",
    "/manage/macros/",
    "/manage/macros/new/",
    "/manage/tags/",
    "/manage/fields/",
    "/manage/fields/new/",
    "/manage/branding/",
]


@pytest.fixture
def supervisor(db):  # type: ignore[no-untyped-def]
    return AgentFactory(email="sonia@example.com", name="Sônia Reis", role=Role.SUPERVISOR)


@pytest.mark.parametrize("path", PAGES)
def test_supervisor_sees_every_page(client: Client, supervisor, path: str) -> None:  # type: ignore[no-untyped-def]
    client.force_login(supervisor)
    response = client.get(path)
    assert response.status_code == 200
    assert "<h1>" in response.content.decode()


@pytest.mark.parametrize("path", PAGES)
def test_plain_agent_gets_404(client: Client, agent_a, path: str) -> None:  # type: ignore[no-untyped-def]
    client.force_login(agent_a)
    assert client.get(path).status_code == 404


def test_customer_gets_404(client: Client, db) -> None:  # type: ignore[no-untyped-def]
    from amparo.accounts.models import User

    customer = User.objects.create_user(
        "cliente@example.org", "x", name="Cliente", role=Role.CUSTOMER
    )
    client.force_login(customer)
    for path in PAGES:
        assert client.get(path).status_code == 404


def test_anonymous_is_sent_to_sign_in(client: Client, db) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/manage/tags/")
    assert response.status_code == 302
    assert response["Location"] == "/account/login/?next=%2Fmanage%2Ftags%2F"


def test_agent_cannot_post_to_management_pages(client: Client, agent_a) -> None:  # type: ignore[no-untyped-def]
    from amparo.tickets.models import Tag

    client.force_login(agent_a)
    assert client.post("/manage/tags/", {"name": "vip", "color": "#112233"}).status_code == 404
    assert not Tag.objects.exists()


def test_administrators_find_mail_and_webhooks_from_the_overview(client: Client, db) -> None:  # type: ignore[no-untyped-def]
    from django.core.files.base import ContentFile

    from amparo.inbox.models import QuarantinedMail

    admin = AgentFactory(email="root@example.com", name="Root", role=Role.ADMIN)
    QuarantinedMail.objects.create(reason="loop", raw=ContentFile(b"x", name="x.eml"), sha256="0")
    client.force_login(admin)
    page = client.get("/manage/").content.decode()
    assert "Mail quarantine" in page and '<span class="badge badge-new">1</span>' in page
    for url in ("/admin/inbox/mailbox/", "/admin/webhooks/webhooksubscription/"):
        assert url in page
        assert client.get(url).status_code == 200


def test_supervisors_are_not_sent_to_the_django_admin(client: Client, supervisor) -> None:  # type: ignore[no-untyped-def]
    client.force_login(supervisor)
    assert "/admin/" not in client.get("/manage/").content.decode()
