from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.files.uploadedfile import SimpleUploadedFile

from amparo.core.actors import Actor
from amparo.portal.expectations import expected_response_hours, parse_hours
from amparo.testing.factories import make_ticket
from amparo.tickets.models import AuthorKind, EventKind, Priority, Status, Ticket
from amparo.tickets.services import message_add, ticket_update

pytestmark = pytest.mark.django_db


def test_list_shows_own_requests_newest_first(customer_client, customer):
    make_ticket(contact=customer, subject="Primeiro")
    make_ticket(contact=customer, subject="Segundo")
    page = customer_client.get("/portal/").content.decode()
    assert page.index("Segundo") < page.index("Primeiro")
    assert "Received" in page


def test_empty_list_invites_a_first_request(customer_client):
    page = customer_client.get("/portal/").content.decode()
    assert "No requests yet" in page


def test_anonymous_home_offers_both_ways_in(client, db):
    page = client.get("/portal/").content.decode()
    assert "/portal/requests/new/" in page and "/portal/sign-in/" in page


def test_reply_is_added_as_the_customer_on_the_web_channel(customer_client, customer):
    ticket = make_ticket(contact=customer)
    response = customer_client.post(
        f"/portal/requests/{ticket.pk}/reply/",
        {"body": "Mais detalhes", "attachments": [SimpleUploadedFile("print.png", b"\x89PNG")]},
    )
    assert response.status_code == 302
    message = ticket.messages.last()
    assert message.author_kind == AuthorKind.CONTACT and message.author_contact == customer
    assert message.channel == "web" and message.body_text == "Mais detalhes"
    assert message.attachments.get().filename == "print.png"


def test_empty_reply_is_refused(customer_client, customer):
    ticket = make_ticket(contact=customer)
    response = customer_client.post(f"/portal/requests/{ticket.pk}/reply/", {"body": "  "})
    assert response.status_code == 400
    assert "Please write a message." in response.content.decode()
    assert ticket.messages.count() == 1


def test_customer_solves_and_reopens(customer_client, customer):
    ticket = make_ticket(contact=customer)
    customer_client.post(f"/portal/requests/{ticket.pk}/status/", {"action": "solve"})
    ticket.refresh_from_db()
    assert ticket.status == Status.SOLVED
    event = ticket.events.filter(kind=EventKind.STATUS).last()
    assert event.actor_kind == "contact" and event.actor_contact == customer
    page = customer_client.get(f"/portal/requests/{ticket.pk}/").content.decode()
    assert "Reopen request" in page

    customer_client.post(f"/portal/requests/{ticket.pk}/status/", {"action": "reopen"})
    ticket.refresh_from_db()
    assert ticket.status == Status.OPEN


def test_a_closed_request_cannot_be_reopened_and_a_reply_starts_a_follow_up(
    customer_client, customer, agent_a
):
    ticket = make_ticket(contact=customer)
    ticket_update(ticket=ticket, actor=Actor.of_agent(agent_a), status=Status.CLOSED)
    response = customer_client.post(
        f"/portal/requests/{ticket.pk}/status/", {"action": "reopen"}, follow=True
    )
    assert "This request is closed" in response.content.decode()
    ticket.refresh_from_db()
    assert ticket.status == Status.CLOSED

    response = customer_client.post(f"/portal/requests/{ticket.pk}/reply/", {"body": "De novo"})
    follow_up = Ticket.objects.exclude(pk=ticket.pk).get()
    assert response["Location"] == f"/portal/requests/{follow_up.pk}/"
    assert follow_up.messages.get().body_text == "De novo"


def test_agent_replies_appear_and_the_expectation_goes_away(customer_client, customer, agent_a):
    ticket = make_ticket(contact=customer)
    page = customer_client.get(f"/portal/requests/{ticket.pk}/").content.decode()
    assert "We usually answer within 24 hours." in page
    message_add(ticket=ticket, actor=Actor.of_agent(agent_a), body_text="Já verificamos.")
    page = customer_client.get(f"/portal/requests/{ticket.pk}/").content.decode()
    assert "Já verificamos." in page and "Ana Souza" in page
    assert "We usually answer" not in page


def test_expectation_follows_priority_and_language(client, customer, settings):
    settings.EXPECTED_RESPONSE_HOURS = "urgent=1,high=4,normal=72,low=96"
    ticket = make_ticket(contact=customer, priority=Priority.URGENT)
    client.force_login(customer.user)
    page = client.get(f"/portal/requests/{ticket.pk}/").content.decode()
    assert "We usually answer within 1 hour." in page
    client.cookies["django_language"] = "pt-br"
    other = make_ticket(contact=customer)
    page = client.get(f"/portal/requests/{other.pk}/", HTTP_ACCEPT_LANGUAGE="pt-br")
    assert "Costumamos responder em até 3 dias." in page.content.decode()


def test_expected_hours_setting_is_parsed(settings):
    assert parse_hours("24") == {1: 24, 2: 24, 3: 24, 4: 24}
    assert parse_hours("urgent=2, low=48") == {Priority.URGENT: 2, Priority.LOW: 48}
    assert parse_hours("") == {}
    with pytest.raises(ImproperlyConfigured):
        parse_hours("asap=1")
    settings.EXPECTED_RESPONSE_HOURS = "high=8"
    assert expected_response_hours(Priority.HIGH) == 8
    assert expected_response_hours(Priority.LOW) is None


def test_language_switch_is_kept_on_the_customers_account(customer_client, customer):
    response = customer_client.post(
        "/portal/language/", {"language": "pt-br", "next": "/portal/account/"}
    )
    assert response["Location"] == "/portal/account/"
    customer.user.refresh_from_db()
    assert customer.user.language == "pt-br"
    page = customer_client.get("/portal/account/").content.decode()
    assert 'lang="pt-br"' in page
    # An outside "next" is ignored.
    response = customer_client.post(
        "/portal/language/", {"language": "en", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/portal/"


def test_the_conversation_refreshes_as_a_partial(customer_client, customer, agent_a):
    ticket = make_ticket(contact=customer)
    message_add(ticket=ticket, actor=Actor.of_agent(agent_a), body_text="Resposta nova")
    message_add(ticket=ticket, actor=Actor.of_agent(agent_a), body_text="SEGREDO", is_internal=True)
    response = customer_client.get(f"/portal/requests/{ticket.pk}/", HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert html.lstrip().startswith('<ol class="thread"')
    assert "Resposta nova" in html and "SEGREDO" not in html
    assert "<html" not in html


def test_list_filters_open_and_finished_requests(customer_client, customer, agent_a):
    make_ticket(contact=customer, subject="Ainda aberto")
    done = make_ticket(contact=customer, subject="Já resolvido")
    ticket_update(ticket=done, actor=Actor.of_agent(agent_a), status=Status.SOLVED)
    open_page = customer_client.get("/portal/?show=open").content.decode()
    assert "Ainda aberto" in open_page and "Já resolvido" not in open_page
    done_page = customer_client.get("/portal/?show=done").content.decode()
    assert "Já resolvido" in done_page and "Ainda aberto" not in done_page
    everything = customer_client.get("/portal/?show=bogus").content.decode()
    assert "Já resolvido" in everything and "Ainda aberto" in everything
