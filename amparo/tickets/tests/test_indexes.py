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
