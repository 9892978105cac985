"""Search through every door (desk queue, REST API, customer portal): it only ever narrows what
the viewer may already see, and combines with filters, sorting and pagination."""

from __future__ import annotations

import re

import pytest

from amparo.core.actors import Actor
from amparo.desk.filters import QueueSpec
from amparo.desk.selectors import queue_count, queue_page
from amparo.testing.factories import ContactFactory, make_ticket
from amparo.tickets.models import Status
from amparo.tickets.selectors import TicketFilters
from amparo.tickets.services import message_add

pytestmark = pytest.mark.django_db


def test_an_agent_finds_only_tickets_of_their_teams(team_a, team_b, agent_a, admin_agent):
    mine = make_ticket(team=team_a, subject="Roteador com defeito")
    theirs = make_ticket(team=team_b, subject="Roteador na fatura")
    triage = make_ticket(subject="Roteador novo")  # no team yet: every agent's triage
    spec = [QueueSpec(text="roteador")]
    tickets, _cursor = queue_page(agent=agent_a, specs=spec, cursor=None)
    assert {t.pk for t in tickets} == {mine.pk, triage.pk}
    assert queue_count(agent=agent_a, specs=spec) == (2, False)
    tickets, _cursor = queue_page(agent=admin_agent, specs=spec, cursor=None)
    assert {t.pk for t in tickets} == {mine.pk, theirs.pk, triage.pk}
    # Not even a number typed in finds another team's ticket.
    tickets, _cursor = queue_page(
        agent=agent_a, specs=[QueueSpec(text=f"#{theirs.pk}")], cursor=None
    )
    assert tickets == []


def test_the_desk_search_box(client_for, team_a, team_b, agent_a):
    wanted = make_ticket(team=team_a, subject="Senha do Wi-Fi", body="Esqueci a senha")
    make_ticket(team=team_b, subject="Senha do portal")
    html = client_for(agent_a).get("/desk/", {"view": "open", "q": "senha wi"}).content.decode()
    assert f"#{wanted.pk}" in html
    assert "Senha do portal" not in html


def test_search_combines_with_filters_sort_and_keyset_pages(team_a, agent_a):
    contact = ContactFactory()
    matching = [
        make_ticket(contact=contact, team=team_a, subject=f"Boleto {n}", body="segunda via")
        for n in range(7)
    ]
    make_ticket(contact=contact, team=team_a, subject="Outro assunto", body="nada")
    for ticket in matching[:2]:
        ticket.status = Status.PENDING
        ticket.save()
    open_filter = QueueSpec(
        filters=TicketFilters(status=[Status.NEW, Status.OPEN]), text='"segunda via"'
    )
    first, cursor = queue_page(agent=agent_a, specs=[open_filter], cursor=None, limit=3)
    assert cursor
    second, cursor = queue_page(agent=agent_a, specs=[open_filter], cursor=cursor, limit=3)
    assert cursor is None
    got = [t.pk for t in first + second]
    assert sorted(got) == sorted(t.pk for t in matching[2:])
    assert len(set(got)) == len(got)
    updated = [t.updated_at for t in first + second]
    assert updated == sorted(updated, reverse=True)


def test_the_api_q_parameter(api_for, team_a, team_b, agent_a):
    mine = make_ticket(team=team_a, subject="Antena desalinhada")
    make_ticket(team=team_b, subject="Antena na cobrança")
    other = make_ticket(team=team_a, subject="Antena nova")
    other.status = Status.SOLVED
    other.save()
    api = api_for(agent_a)
    body = api.get("/tickets?q=antena&status=open&status=new").json()
    assert [t["id"] for t in body["items"]] == [mine.pk]
    page = api.get("/tickets?q=antena&limit=1&order=id").json()
    assert [t["id"] for t in page["items"]] == [mine.pk]
    rest = api.get(f"/tickets?q=antena&limit=1&order=id&cursor={page['next_cursor']}").json()
    assert [t["id"] for t in rest["items"]] == [other.pk]
    assert rest["next_cursor"] is None
    assert api.get("/tickets?q=" + "x" * 201).status_code == 422


def test_the_api_searches_internal_notes_for_agents(api_for, team_a, agent_a):
    ticket = make_ticket(team=team_a, subject="Visita técnica")
    message_add(
        ticket=ticket,
        actor=Actor.of_agent(agent_a),
        body_text="Cliente pediu sigilo",
        is_internal=True,
    )
    items = api_for(agent_a).get("/tickets?q=sigilo").json()["items"]
    assert [t["id"] for t in items] == [ticket.pk]


def _portal_numbers(client, **params):  # type: ignore[no-untyped-def]
    html = client.get("/portal/", params).content.decode()
    return {int(n) for n in re.findall(r'class="num">#(\d+)<', html)}, html


def test_customers_search_their_own_tickets_without_internal_notes(customer_of, agent_a):
    from django.test import Client

    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    maria = customer_of("Maria da Silva", "maria@example.org")
    joao = customer_of("João Pereira", "joao@example.net")
    hers = make_ticket(contact=maria, subject="Fatura duplicada", body="Cobrança em dobro")
    his = make_ticket(contact=joao, subject="Fatura atrasada", body="Cobrança em dobro")
    message_add(
        ticket=hers,
        actor=Actor.of_agent(agent_a),
        body_text="Cliente inadimplente, cuidado",
        is_internal=True,
    )
    client.force_login(maria.user)
    assert _portal_numbers(client, q="cobranca dobro")[0] == {hers.pk}
    assert _portal_numbers(client, q="fatura")[0] == {hers.pk}
    assert _portal_numbers(client, q="atrasada")[0] == set()
    assert _portal_numbers(client, q=f"#{his.pk}")[0] == set()
    numbers, html = _portal_numbers(client, q="inadimplente")
    assert numbers == set()
    assert "No request matches your search." in html
    numbers, html = _portal_numbers(client, q="fatura", show="done")
    assert numbers == set()
    assert 'name="show" value="done"' in html


def test_customers_find_tickets_they_are_copied_on(customer_of, agent_a):
    from amparo.tickets.selectors import ticket_list_for_customer
    from amparo.tickets.services import ticket_add_contact_follower

    maria = customer_of("Maria da Silva", "maria@example.org")
    joao = customer_of("João Pereira", "joao@example.net")
    copied = make_ticket(contact=joao, subject="Mudança de endereço", body="Rua nova")
    alone = make_ticket(contact=joao, subject="Mudança de plano", body="Plano maior")
    ticket_add_contact_follower(ticket=copied, actor=Actor.of_agent(agent_a), contact=maria)
    found = ticket_list_for_customer(contact=maria, text="mudança")
    assert [t.pk for t in found] == [copied.pk]
    assert {t.pk for t in ticket_list_for_customer(contact=joao, text="mudanca")} == {
        copied.pk,
        alone.pk,
    }


@pytest.mark.parametrize("shares", [True, False])
def test_customers_find_their_organizations_tickets_when_it_shares_them(customer_of, shares):
    from amparo.crm.services import contact_update
    from amparo.testing.factories import OrganizationFactory
    from amparo.tickets.selectors import ticket_list_for_customer

    org = OrganizationFactory(name="Padaria Pão Bom", shares_tickets=shares)
    maria = customer_of("Maria da Silva", "maria@example.org")
    joao = customer_of("João Pereira", "joao@example.net")
    for contact in (maria, joao):
        contact_update(contact=contact, organization=org)
    maria.refresh_from_db()
    colleague = make_ticket(contact=joao, subject="Forno quebrado")
    make_ticket(subject="Forno novo")  # someone else's
    found = {t.pk for t in ticket_list_for_customer(contact=maria, text="forno")}
    assert found == ({colleague.pk} if shares else set())
