"""Every lookup by a ticket foreign key has an index, and only one."""

from __future__ import annotations

import pytest
from django.db import connection

from amparo.tickets.models import Attachment, Message, Ticket, TicketEvent

pytestmark = pytest.mark.django_db

# Foreign keys whose lookups (filters, and deletes of the related row) are served by a
# composite index that starts with them; a one-column index of their own would only cost.
COVERED = [
    (Ticket, "contact"),
    (Ticket, "organization"),
    (Ticket, "team"),
    (Ticket, "assignee"),
    (Message, "ticket"),
    (TicketEvent, "ticket"),
    (Attachment, "message"),
]


def indexes_starting_with(model, column: str) -> list[list[str]]:
    """Plain (not unique) indexes whose first column is ``column``."""
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, model._meta.db_table)
    return [
        info["columns"]
        for info in constraints.values()
        if info["index"] and not info["unique"] and info["columns"][:1] == [column]
    ]


@pytest.mark.parametrize(("model", "field"), COVERED)
def test_covered_foreign_keys_have_exactly_one_index(model, field):
    column = model._meta.get_field(field).column
    assert len(indexes_starting_with(model, column)) == 1


@pytest.mark.parametrize(
    ("model", "field"),
    [
        (Ticket, "merged_into"),
        (Message, "author_contact"),
        (Message, "author_agent"),
        (Attachment, "ticket"),
        (TicketEvent, "actor_agent"),
        (TicketEvent, "actor_contact"),
    ],
)
def test_other_foreign_keys_keep_their_index(model, field):
    assert indexes_starting_with(model, model._meta.get_field(field).column)


def test_merged_into_index_holds_only_merged_tickets():
    """Only merged tickets are in ticket_merged_into_idx: a lookup by merged_into_id uses it,
    and SQLite's planner can no longer walk it for a list of unmerged tickets (every ticket,
    oldest first), which made the "All open" queue take 319 ms at a million tickets."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT sql FROM sqlite_master WHERE name = %s", ["ticket_merged_into_idx"]
            )
        else:
            cursor.execute(
                "SELECT indexdef FROM pg_indexes WHERE indexname = %s", ["ticket_merged_into_idx"]
            )
        definition = cursor.fetchone()[0]
    assert "merged_into_id" in definition and "IS NOT NULL" in definition.upper()
    if connection.vendor == "sqlite":  # PostgreSQL's plans depend on its statistics instead
        assert "ticket_merged_into_idx" in Ticket.objects.filter(merged_into_id=1).explain()
        unmerged = Ticket.objects.filter(merged_into__isnull=True, status__in=["new", "open"])
        assert "ticket_merged_into_idx" not in unmerged.explain()


def test_an_agents_list_walks_its_order_index(agent_a, team_a, team_b, contact):
    """The agent's whole list (no status filter, the API's default) is read in the order of
    ticket_updated_idx and stops after a page; on SQLite an OR of indexed columns used to
    collect every visible ticket and sort them (560 ms at a million tickets)."""
    from amparo.testing.factories import make_ticket
    from amparo.tickets.selectors import ticket_list_for_agent

    own = make_ticket(contact=contact, team=team_a)
    teamless = make_ticket(contact=contact)
    assigned = make_ticket(contact=contact, team=team_b, assignee=agent_a)
    hidden = make_ticket(contact=contact, team=team_b)
    listed = ticket_list_for_agent(agent=agent_a).order_by("-updated_at", "-id")
    assert {t.pk for t in listed} == {own.pk, teamless.pk, assigned.pk}
    assert hidden.pk not in {t.pk for t in listed}
    if connection.vendor == "sqlite":  # PostgreSQL's plans depend on its statistics instead
        plan = ticket_list_for_agent(agent=agent_a).order_by("-updated_at", "-id").explain()
        assert "MULTI-INDEX OR" not in plan and "TEMP B-TREE FOR ORDER BY" not in plan, plan
