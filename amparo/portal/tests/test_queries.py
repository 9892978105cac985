"""The portal's pages cost the same number of queries however many rows they show."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from amparo.core.actors import Actor
from amparo.testing.factories import make_ticket
from amparo.tickets.services import NewAttachment, message_add

pytestmark = pytest.mark.django_db


def count_queries(client, url: str) -> int:
    client.get(url)  # the first request of a session does one-off work (session, caches)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("query", ["", "?show=open", "?show=open&page=2", "?show=done"])
def test_request_list_queries_do_not_grow_with_requests(customer_client, customer, query):
    for _ in range(3):
        make_ticket(contact=customer)
    few = count_queries(customer_client, f"/portal/{query}")
    for _ in range(27):
        make_ticket(contact=customer)
    assert count_queries(customer_client, f"/portal/{query}") == few


def test_request_page_queries_do_not_grow_with_messages(customer_client, customer, agent_a):
    ticket = make_ticket(contact=customer)
    few = count_queries(customer_client, f"/portal/requests/{ticket.pk}/")
    for n in range(6):
        message_add(
            ticket=ticket,
            actor=Actor.of_agent(agent_a),
            body_text=f"resposta {n}",
            attachments=[NewAttachment(filename=f"{n}.txt", data=b"x")],
        )
    assert count_queries(customer_client, f"/portal/requests/{ticket.pk}/") == few
