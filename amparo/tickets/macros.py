"""Rendering macro placeholders for one ticket and agent."""

from __future__ import annotations

import re

from amparo.accounts.models import User
from amparo.tickets.models import Macro, Ticket

_PLACEHOLDER = re.compile(r"\{\{\s*([a-z_]+)\.([a-z_]+)\s*\}\}")


def macro_render(*, macro: Macro, ticket: Ticket, agent: User) -> str:
    """The macro's text with placeholders filled; unknown placeholders are left as written."""
    values = {
        ("customer", "first_name"): ticket.contact.first_name,
        ("customer", "name"): ticket.contact.name,
        ("ticket", "number"): str(ticket.pk),
        ("ticket", "subject"): ticket.subject,
        ("agent", "name"): agent.name,
        ("agent", "first_name"): agent.first_name,
        ("agent", "signature"): agent.signature,
    }

    def fill(match: re.Match[str]) -> str:
        return values.get((match.group(1), match.group(2)), match.group(0))

    return _PLACEHOLDER.sub(fill, macro.body)
