"""Agents and teams through the management pages and their services."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client

from amparo.accounts import services
from amparo.accounts.models import Role, TeamMembership, User
from amparo.accounts.tests.helpers import enable_two_factor
from amparo.accounts.twofactor import two_factor_enabled
from amparo.core.errors import Forbidden
from amparo.testing.factories import AgentFactory


@pytest.fixture
def supervisor(db):  # type: ignore[no-untyped-def]
    return AgentFactory(email="sonia@example.com", name="Sônia Reis", role=Role.SUPERVISOR)


@pytest.fixture
def sup_client(client: Client, supervisor) -> Client:  # type: ignore[no-untyped-def]
    client.force_login(supervisor)
    return client


def test_invite_agent_sends_email_job(
    sup_client: Client, team_a, settings, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    response = sup_client.post(
        "/manage/agents/new/",
        {"name": "Joana Lima", "email": "joana@example.com", "role": "agent", "teams": [team_a.pk]},
    )
    assert response.status_code == 302
    joana = User.objects.get(email="joana@example.com")
    assert joana.role == Role.AGENT and list(joana.teams.all()) == [team_a]
    from amparo.accounts.tasks import agent_invite_send

    agent_invite_send.call(joana.pk)
    assert mail.outbox[0].to == ["joana@example.com"]


def test_supervisor_cannot_create_an_admin(sup_client: Client) -> None:
    response = sup_client.post(
        "/manage/agents/new/",
        {"name": "Eve", "email": "eve@example.com", "role": "admin"},
    )
    assert response.status_code == 400
    assert not User.objects.filter(email="eve@example.com").exists()
    with pytest.raises(Forbidden):
        services.agent_invite(
            actor=User.objects.get(email="sonia@example.com"),
            email="eve@example.com",
            name="Eve",
            role=Role.ADMIN,
        )


def test_admin_can_create_an_admin(client: Client, admin_agent) -> None:  # type: ignore[no-untyped-def]
    client.force_login(admin_agent)
    response = client.post(
        "/manage/agents/new/",
        {
            "name": "Rui",
            "email": "rui@example.com",
            "role": "admin",
            "password": "uma-senha-boa-longa",
        },
    )
    assert response.status_code == 302
    rui = User.objects.get(email="rui@example.com")
    assert rui.role == Role.ADMIN and rui.is_staff and rui.check_password("uma-senha-boa-longa")


def test_duplicate_email_shows_error(sup_client: Client, agent_a) -> None:  # type: ignore[no-untyped-def]
    response = sup_client.post(
        "/manage/agents/new/", {"name": "Outra Ana", "email": agent_a.email, "role": "agent"}
    )
    assert response.status_code == 400
    assert "A user with this email already exists." in response.content.decode()
    assert User.objects.filter(email=agent_a.email).count() == 1


def test_deactivate_signs_out_and_blocks(sup_client: Client, agent_a) -> None:  # type: ignore[no-untyped-def]
    other = Client()
    other.force_login(agent_a)
    assert sup_client.post(f"/manage/agents/{agent_a.pk}/deactivate/").status_code == 302
    agent_a.refresh_from_db()
    assert not agent_a.is_active
    assert other.get("/account/profile/").status_code == 302


def test_supervisor_cannot_touch_an_admin(sup_client: Client, admin_agent) -> None:  # type: ignore[no-untyped-def]
    sup_client.post(f"/manage/agents/{admin_agent.pk}/deactivate/")
    admin_agent.refresh_from_db()
    assert admin_agent.is_active
    response = sup_client.post(f"/manage/agents/{admin_agent.pk}/", {"name": "X", "role": "agent"})
    assert response.status_code == 400
    admin_agent.refresh_from_db()
    assert admin_agent.role == Role.ADMIN


def test_reset_two_factor(sup_client: Client, agent_a) -> None:  # type: ignore[no-untyped-def]
    enable_two_factor(agent_a)
    sup_client.post(f"/manage/agents/{agent_a.pk}/reset_two_factor/")
    assert not two_factor_enabled(agent_a)


def test_agent_cannot_call_management_services(agent_a, agent_b) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(Forbidden):
        services.agent_set_active(actor=agent_a, agent=agent_b, active=False)
    with pytest.raises(Forbidden):
        services.team_create(actor=agent_a, name="Rogue")
    agent_b.refresh_from_db()
    assert agent_b.is_active


def test_team_create_rename_and_members(sup_client: Client, agent_a, agent_b) -> None:  # type: ignore[no-untyped-def]
    response = sup_client.post("/manage/teams/", {"name": "Vendas", "description": ""})
    assert response.status_code == 302
    team_url = response["Location"]
    team_id = int(team_url.rstrip("/").split("/")[-1])
    assert (
        sup_client.post(team_url, {"name": "Vendas B2B", "description": "Empresas"}).status_code
        == 302
    )
    partial = sup_client.post(
        f"{team_url}members/add/", {"user": agent_a.pk, "is_lead": "on"}, HTTP_HX_REQUEST="true"
    )
    assert partial.status_code == 200
    assert partial.content.decode().lstrip().startswith('<div id="team-members">')
    sup_client.post(f"{team_url}members/add/", {"user": agent_b.pk})
    assert TeamMembership.objects.get(team_id=team_id, user=agent_a).is_lead
    sup_client.post(f"{team_url}members/lead/", {"user": agent_a.pk, "is_lead": "0"})
    assert not TeamMembership.objects.get(team_id=team_id, user=agent_a).is_lead
    sup_client.post(f"{team_url}members/remove/", {"user": agent_b.pk})
    assert not TeamMembership.objects.filter(team_id=team_id, user=agent_b).exists()
    assert "Vendas B2B" in sup_client.get("/manage/teams/").content.decode()


def test_team_rename_to_existing_name_is_refused(sup_client: Client, team_a, team_b) -> None:  # type: ignore[no-untyped-def]
    response = sup_client.post(
        f"/manage/teams/{team_b.pk}/", {"name": "suporte", "description": ""}
    )
    assert response.status_code == 400
    assert "A team with this name already exists." in response.content.decode()
    team_b.refresh_from_db()
    assert team_b.name == "Financeiro"
