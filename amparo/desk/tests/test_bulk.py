"""Bulk actions from the queue: all tickets change in one transaction, or none."""

from __future__ import annotations

import pytest

from amparo.testing.factories import make_ticket
from amparo.tickets.models import Status, Ticket, TicketEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk(client, agent_a):
    agent_a.language = "en"
    agent_a.save(update_fields=["language"])
    client.force_login(agent_a)
    return client


@pytest.fixture
def three(team_a, contact):
    return [make_ticket(contact=contact, team=team_a, subject=f"Lote {i}") for i in range(3)]


def _ids(tickets):
    return [t.pk for t in tickets]


def test_bulk_assign_status_and_tag(desk, agent_a, three):
    ids = _ids(three)
    response = desk.post("/desk/bulk/", {"tickets": ids, "action": "assign", "assignee": "me"})
    assert response.status_code == 302
    assert set(Ticket.objects.values_list("assignee_id", flat=True)) == {agent_a.pk}
    desk.post("/desk/bulk/", {"tickets": ids[:2], "action": "status", "status": "solved"})
    assert Ticket.objects.filter(status=Status.SOLVED).count() == 2
    desk.post("/desk/bulk/", {"tickets": ids, "action": "tag", "tag": "lote"})
    assert Ticket.objects.filter(tags__name="lote").count() == 3
    # Every ticket's timeline records the change, as a single edit would.
    assert TicketEvent.objects.filter(kind="assignee").count() == 3


def test_bulk_merge(desk, three):
    target, *sources = three
    desk.post("/desk/bulk/", {"tickets": _ids(three), "action": "merge", "target": target.pk})
    assert set(Ticket.objects.filter(merged_into=target).values_list("pk", flat=True)) == set(
        _ids(sources)
    )


def test_one_invisible_ticket_fails_the_whole_batch(desk, three, team_b, contact):
    hidden = make_ticket(contact=contact, team=team_b)
    response = desk.post(
        "/desk/bulk/",
        {"tickets": [*_ids(three), hidden.pk], "action": "status", "status": "solved"},
        follow=True,
    )
    assert "Nothing was changed" in response.content.decode()
    assert not Ticket.objects.filter(status=Status.SOLVED).exists()


@pytest.mark.parametrize(
    "data",
    [
        {"action": "status", "status": "solved"},  # no tickets
        {"tickets": ["abc"], "action": "status", "status": "solved"},
        {"tickets": ["1"], "action": "explode"},
        {"tickets": ["1"], "action": "status", "status": ""},
        {"tickets": ["1"], "action": "assign", "assignee": "someone"},
        {"tickets": ["1"], "action": "tag", "tag": "not a slug!"},
    ],
)
def test_bad_bulk_input_changes_nothing(desk, three, data):
    before = list(Ticket.objects.values_list("pk", "status", "assignee_id"))
    response = desk.post("/desk/bulk/", data, follow=True)
    assert response.status_code == 200
    assert "Nothing was changed" in response.content.decode()
    assert list(Ticket.objects.values_list("pk", "status", "assignee_id")) == before


def test_bulk_redirect_stays_on_site(desk, three):
    response = desk.post(
        "/desk/bulk/",
        {
            "tickets": _ids(three),
            "action": "status",
            "status": "open",
            "next": "https://evil.example/",
        },
    )
    assert response["Location"] == "/desk/"
