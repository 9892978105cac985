"""Password reset by email, through Django's views and our templates and emails."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client

from amparo.testing.factories import PASSWORD, AgentFactory

NEW_PASSWORD = "uma-senha-nova-bem-longa"


@pytest.fixture(autouse=True)
def _locmem_mail(settings):  # type: ignore[no-untyped-def]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def _link(body: str) -> str:
    match = re.search(r"https?://[^/\s]+(/account/reset/\S+/)", body)
    assert match, body
    return match.group(1)


def test_reset_email_is_sent_and_link_sets_a_new_password(client: Client, db) -> None:  # type: ignore[no-untyped-def]
    agent = AgentFactory(email="elisa@example.com", name="Elisa Prado", language="en")
    response = client.post("/account/password-reset/", {"email": "ELISA@example.com"})
    assert response.status_code == 302
    assert response["Location"] == "/account/password-reset/sent/"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["elisa@example.com"]
    assert message.subject == "Choose a new password for Amparo"
    assert "Hello, Elisa." in message.body

    link = _link(message.body)
    page = client.get(link, follow=True)
    assert page.status_code == 200
    assert "Choose a new password" in page.content.decode()
    form_url = page.redirect_chain[-1][0]
    done = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302
    assert done["Location"] == "/account/reset/done/"

    agent.refresh_from_db()
    assert agent.check_password(NEW_PASSWORD)
    assert not agent.check_password(PASSWORD)
    # The link works once.
    again = client.get(link, follow=True)
    assert "This link no longer works" in again.content.decode()


def test_reset_email_is_in_the_users_language(client: Client, db) -> None:  # type: ignore[no-untyped-def]
    AgentFactory(email="fabio@example.com", name="Fábio Ramos", language="pt-br")
    client.post(
        "/account/password-reset/", {"email": "fabio@example.com"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert mail.outbox[0].subject == "Escolha uma nova senha para Amparo"
    assert "Olá, Fábio." in mail.outbox[0].body


def test_unknown_address_gets_the_same_answer_and_no_email(client: Client, db) -> None:  # type: ignore[no-untyped-def]
    response = client.post("/account/password-reset/", {"email": "ninguem@example.com"})
    assert response.status_code == 302
    assert response["Location"] == "/account/password-reset/sent/"
    assert mail.outbox == []


def test_invited_agent_receives_link_to_choose_password(client: Client, db) -> None:  # type: ignore[no-untyped-def]
    from amparo.accounts.services import agent_invite
    from amparo.accounts.tasks import agent_invite_send

    agent = agent_invite(actor=None, email="gil@example.com", name="Gil Torres")
    assert not agent.has_usable_password()
    agent_invite_send.call(agent.pk)
    assert len(mail.outbox) == 1
    link = _link(mail.outbox[0].body)
    page = client.get(link, follow=True)
    form_url = page.redirect_chain[-1][0]
    client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    agent.refresh_from_db()
    assert agent.check_password(NEW_PASSWORD)
    # Running the job again (a retry) sends nothing more.
    agent_invite_send.call(agent.pk)
    assert len(mail.outbox) == 1


def test_reset_requests_are_limited_per_address(client: Client, db) -> None:  # type: ignore[no-untyped-def]
    AgentFactory(email="hugo@example.com")
    for _i in range(5):
        response = client.post("/account/password-reset/", {"email": "hugo@example.com"})
        assert response["Location"] == "/account/password-reset/sent/"
    assert len(mail.outbox) == 3
