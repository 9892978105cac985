"""The ticket page: timeline, composer, inline changes, followers, merge, permissions."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from amparo.core.actors import Actor
from amparo.core.models import CustomFieldDefinition
from amparo.crm.services import contact_create
from amparo.testing.factories import make_ticket
from amparo.tickets.models import Macro, Message, Priority, Status, Ticket
from amparo.tickets.services import message_add, ticket_set_tags

pytestmark = pytest.mark.django_db

HX = {"HX-Request": "true"}


@pytest.fixture
def ticket(team_a, contact):
    return make_ticket(contact=contact, team=team_a, subject="Erro na nota fiscal")


@pytest.fixture
def desk(client, agent_a):
    agent_a.language = "en"  # assertions read the English texts
    agent_a.save(update_fields=["language"])
    client.force_login(agent_a)
    return client


def test_timeline_merges_messages_notes_and_events_safely(desk, agent_a, ticket, contact):
    message_add(
        ticket=ticket,
        actor=Actor.of_contact(contact),
        body_html='<p>Segue o print</p><script>alert("x")</script><img src=x onerror=alert(1)>',
        channel="whatsapp",
    )
    message_add(
        ticket=ticket, actor=Actor.of_agent(agent_a), body_text="Cliente VIP", is_internal=True
    )
    ticket_set_tags(ticket=ticket, actor=Actor.of_agent(agent_a), add=["fiscal"])
    html = desk.get(f"/desk/tickets/{ticket.pk}/").content.decode()
    assert "Olá, o sistema mostra um erro" in html
    assert "Segue o print" in html
    assert "alert(" not in html and "onerror" not in html
    assert "WhatsApp" in html and "Email" in html
    assert "Internal note" in html and "Cliente VIP" in html
    assert "Tags set to fiscal" in html
    assert "maria@example.org" in html
    assert f'href="/contacts/{contact.pk}/"' in html


def test_customer_sidebar_shows_formatted_phone_and_other_tickets(desk, team_a, team_b):
    person = contact_create(
        name="João Pereira", identities=[("email", "joao@example.org"), ("phone", "+5511987654321")]
    )
    current = make_ticket(contact=person, team=team_a, subject="Atual")
    make_ticket(contact=person, team=team_a, subject="Chamado antigo por telefone", channel="phone")
    make_ticket(contact=person, team=team_b, subject="Chamado do financeiro")
    html = desk.get(f"/desk/tickets/{current.pk}/").content.decode()
    assert "(11) 98765-4321" in html
    assert "Chamado antigo por telefone" in html
    assert "Chamado do financeiro" not in html  # agent A may not see team B's tickets


def test_agent_of_another_team_gets_404_everywhere(client, agent_b, ticket):
    client.force_login(agent_b)
    base = f"/desk/tickets/{ticket.pk}"
    for url in (f"{base}/", f"{base}/timeline/", f"{base}/properties/"):
        assert client.get(url).status_code == 404, url
    posts = {
        "update/": {"field": "status", "value": "solved"},
        "follow/": {"follow": "1"},
        "reply/": {"kind": "reply", "body": "intrometido"},
        "macro/": {"macro": "1"},
        "merge/": {"target": "1"},
    }
    for action, data in posts.items():
        assert client.post(f"{base}/{action}", data, headers=HX).status_code == 404, action
    ticket.refresh_from_db()
    assert ticket.status == Status.NEW
    assert not Message.objects.filter(body_text__contains="intrometido").exists()


def test_public_reply_with_signature_and_attachment(desk, agent_a, ticket):
    agent_a.signature = "Ana — Suporte"
    agent_a.save()
    upload = SimpleUploadedFile("log.txt", b"linha 1\nlinha 2\n", content_type="text/plain")
    response = desk.post(
        f"/desk/tickets/{ticket.pk}/reply/",
        {
            "kind": "reply",
            "body": "Pode tentar de novo?",
            "attachments": [upload],
            "status_after": "pending",
        },
        headers=HX,
    )
    assert response.status_code == 200
    reply = Message.objects.filter(ticket=ticket, author_agent=agent_a).get()
    assert reply.body_text == "Pode tentar de novo?\n\nAna — Suporte"
    assert not reply.is_internal
    assert reply.attachments.get().filename == "log.txt"
    html = response.content.decode()
    assert 'id="timeline"' in html and "Pode tentar de novo?" in html
    assert f"/attachments/{reply.attachments.get().pk}/" in html
    ticket.refresh_from_db()
    assert ticket.status == Status.PENDING


def test_internal_note_has_no_signature(desk, agent_a, ticket):
    agent_a.signature = "Ana"
    agent_a.save()
    desk.post(f"/desk/tickets/{ticket.pk}/reply/", {"kind": "note", "body": "Só para a equipe"})
    note = Message.objects.get(ticket=ticket, author_agent=agent_a)
    assert note.is_internal and note.body_text == "Só para a equipe"


def test_empty_reply_is_refused_with_a_message(desk, ticket):
    before = Message.objects.count()
    response = desk.post(
        f"/desk/tickets/{ticket.pk}/reply/", {"kind": "reply", "body": "  "}, headers=HX
    )
    assert response.status_code == 400
    assert "Write a message or attach a file." in response.content.decode()
    response = desk.post(
        f"/desk/tickets/{ticket.pk}/reply/", {"kind": "shout", "body": "x"}, headers=HX
    )
    assert response.status_code == 400
    assert Message.objects.count() == before


def test_inline_changes(desk, agent_a, team_b, ticket):
    url = f"/desk/tickets/{ticket.pk}/update/"
    assert desk.post(url, {"field": "status", "value": "pending"}, headers=HX).status_code == 200
    assert desk.post(url, {"field": "priority", "value": "4"}, headers=HX).status_code == 200
    assert (
        desk.post(url, {"field": "assignee", "value": str(agent_a.pk)}, headers=HX).status_code
        == 200
    )
    response = desk.post(url, {"field": "tags", "value": "nota-fiscal, urgente"}, headers=HX)
    assert "Saved." in response.content.decode()
    ticket.refresh_from_db()
    assert ticket.status == Status.PENDING
    assert ticket.priority == Priority.URGENT
    assert ticket.assignee == agent_a
    assert sorted(t.name for t in ticket.tags.all()) == ["nota-fiscal", "urgente"]
    desk.post(url, {"field": "tags", "value": "urgente"}, headers=HX)
    assert [t.name for t in ticket.tags.all()] == ["urgente"]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("status", "exploded"),
        ("priority", "9"),
        ("team", "999999"),
        ("assignee", "abc"),
        ("nope", "1"),
    ],
)
def test_bad_inline_values_are_refused_and_change_nothing(desk, ticket, field, value):
    response = desk.post(
        f"/desk/tickets/{ticket.pk}/update/", {"field": field, "value": value}, headers=HX
    )
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    fresh = Ticket.objects.get(pk=ticket.pk)
    assert (fresh.status, fresh.priority, fresh.team_id, fresh.assignee_id) == (
        ticket.status,
        ticket.priority,
        ticket.team_id,
        ticket.assignee_id,
    )


def test_custom_fields(desk, ticket):
    CustomFieldDefinition.objects.create(
        target="ticket", key="pedido", label="Nº do pedido", field_type="number"
    )
    CustomFieldDefinition.objects.create(
        target="ticket", key="produto", label="Produto", field_type="choice", choices=["ERP", "PDV"]
    )
    url = f"/desk/tickets/{ticket.pk}/update/"
    html = desk.get(f"/desk/tickets/{ticket.pk}/").content.decode()
    assert "Nº do pedido" in html and "PDV" in html
    assert desk.post(url, {"field": "cf_pedido", "value": "1234"}, headers=HX).status_code == 200
    assert desk.post(url, {"field": "cf_produto", "value": "PDV"}, headers=HX).status_code == 200
    bad = desk.post(url, {"field": "cf_pedido", "value": "mil"}, headers=HX)
    assert bad.status_code == 400 and "Enter a number." in bad.content.decode()
    assert desk.post(url, {"field": "cf_produto", "value": "Outro"}, headers=HX).status_code == 400
    ticket.refresh_from_db()
    assert ticket.custom_fields == {"pedido": 1234, "produto": "PDV"}


def test_follow_and_unfollow(desk, agent_a, ticket):
    url = f"/desk/tickets/{ticket.pk}/follow/"
    response = desk.post(url, {"follow": "1"}, headers=HX)
    assert "Unfollow" in response.content.decode()
    assert ticket.follower_agents.filter(pk=agent_a.pk).exists()
    desk.post(url, {"follow": "0"}, headers=HX)
    assert not ticket.follower_agents.exists()


def test_merge_into_another_ticket(desk, ticket, team_a, team_b, contact):
    target = make_ticket(contact=contact, team=team_a, subject="Principal")
    response = desk.post(f"/desk/tickets/{ticket.pk}/merge/", {"target": target.pk})
    assert response["Location"] == f"/desk/tickets/{target.pk}/"
    ticket.refresh_from_db()
    assert ticket.merged_into_id == target.pk
    # The merged ticket's page now leads to the target.
    assert desk.get(f"/desk/tickets/{ticket.pk}/")["Location"] == f"/desk/tickets/{target.pk}/"


def test_merge_into_an_invisible_ticket_is_refused(desk, ticket, team_b, contact):
    hidden = make_ticket(contact=contact, team=team_b)
    desk.post(f"/desk/tickets/{ticket.pk}/merge/", {"target": hidden.pk})
    desk.post(f"/desk/tickets/{ticket.pk}/merge/", {"target": "abc"})
    ticket.refresh_from_db()
    assert ticket.merged_into_id is None


def test_macro_fills_composer_and_applies_actions(desk, agent_a, ticket, team_b):
    macro = Macro.objects.create(
        name="Aguardar cliente",
        body="Olá {{ customer.first_name }}, aguardamos seu retorno sobre o #{{ ticket.number }}.",
        actions={"status": "pending", "add_tags": ["aguardando"]},
    )
    other_team = Macro.objects.create(name="Só financeiro", body="x", team=team_b)
    response = desk.post(f"/desk/tickets/{ticket.pk}/macro/", {"macro": macro.pk}, headers=HX)
    html = response.content.decode()
    assert f"Olá Maria, aguardamos seu retorno sobre o #{ticket.pk}." in html
    ticket.refresh_from_db()
    assert ticket.status == Status.PENDING
    assert [t.name for t in ticket.tags.all()] == ["aguardando"]
    assert not Message.objects.filter(ticket=ticket, author_agent=agent_a).exists()  # not sent
    refused = desk.post(f"/desk/tickets/{ticket.pk}/macro/", {"macro": other_team.pk}, headers=HX)
    assert refused.status_code == 400


def test_macro_picker_offers_the_tickets_team_macros_even_to_an_administrator(
    client, admin_agent, ticket, team_a, team_b
):
    Macro.objects.create(name="Saudação geral", body="Olá")
    Macro.objects.create(name="Roteiro do suporte", body="x", team=team_a)
    Macro.objects.create(name="Boleto do financeiro", body="x", team=team_b)
    client.force_login(admin_agent)
    html = client.get(f"/desk/tickets/{ticket.pk}/").content.decode()
    assert "Saudação geral" in html and "Roteiro do suporte" in html
    assert "Boleto do financeiro" not in html


@pytest.mark.parametrize("messages", [3, 30])
def test_ticket_page_query_count_does_not_grow_with_messages(
    client, agent_a, ticket, contact, messages, django_assert_max_num_queries
):
    for i in range(messages):
        author = Actor.of_agent(agent_a) if i % 2 else Actor.of_contact(contact)
        message_add(
            ticket=ticket,
            actor=author,
            body_text=f"Mensagem {i}",
            is_internal=i % 5 == 0 and i % 2 == 1,
            attachments=[],
        )
    client.force_login(agent_a)
    client.get(f"/desk/tickets/{ticket.pk}/")
    with django_assert_max_num_queries(TICKET_QUERIES) as captured:
        response = client.get(f"/desk/tickets/{ticket.pk}/")
    assert response.status_code == 200
    assert len(captured.captured_queries) == TICKET_QUERIES


# Session, user, agent's teams, branding, ticket (+ tags), messages (+ attachments), events,
# ticket custom fields, followers, teams, agents (+ their teams), macros, identities, contact
# attributes, other tickets (+ tags), messages with an original .eml; no query per message.
TICKET_QUERIES = 19


def test_moving_a_ticket_out_of_my_teams_sends_me_back_to_the_queue(desk, ticket, team_b):
    response = desk.post(
        f"/desk/tickets/{ticket.pk}/update/", {"field": "team", "value": team_b.pk}, headers=HX
    )
    assert response.status_code == 204
    assert response["HX-Redirect"] == "/desk/"
    ticket.refresh_from_db()
    assert ticket.team == team_b
    html = desk.get("/desk/").content.decode()
    assert "moved out of your teams" in html


def test_back_link_returns_to_the_same_view(desk, ticket):
    html = desk.get(f"/desk/tickets/{ticket.pk}/?back=/desk/%3Fview%3Dopen").content.decode()
    assert 'href="/desk/?view=open" data-back-to-queue' in html
    html = desk.get(f"/desk/tickets/{ticket.pk}/?back=https://evil.example/").content.decode()
    assert 'href="/desk/" data-back-to-queue' in html


def test_reply_collision_asks_before_answering_the_customer_twice(desk, agent_a, ticket, team_a):
    from amparo.testing.factories import AgentFactory

    seen = Message.objects.filter(ticket=ticket).latest("id").pk
    bruno = AgentFactory(email="bruno.c@example.com", name="Bruno Costa", teams=[team_a])
    message_add(ticket=ticket, actor=Actor.of_agent(bruno), body_text="Já resolvi, Maria!")
    url = f"/desk/tickets/{ticket.pk}/reply/"
    data = {"kind": "reply", "body": "Oi Maria, vou verificar.", "seen": seen}
    response = desk.post(url, data, headers=HX)
    html = response.content.decode()
    assert response.status_code == 409
    assert "Bruno Costa replied to the customer while you were writing" in html
    assert "Oi Maria, vou verificar." in html  # the draft is kept
    assert "Já resolvi, Maria!" in html  # and the other reply is shown
    assert not Message.objects.filter(author_agent=agent_a).exists()
    # Notes never collide; sending anyway sends.
    assert desk.post(url, {**data, "kind": "note"}, headers=HX).status_code == 200
    assert desk.post(url, {**data, "send_anyway": "1"}, headers=HX).status_code == 200
    assert Message.objects.filter(author_agent=agent_a).count() == 2
