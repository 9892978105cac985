"""What happens after a ticket changes: realtime events and outbound webhooks, both on commit."""

from __future__ import annotations

from typing import Any

from amparo.core.realtime import (
    ADMINS_GROUP,
    agent_group,
    publish_on_commit,
    team_group,
    ticket_group,
)
from amparo.tickets.models import Message, Ticket


def ticket_payload(ticket: Ticket) -> dict[str, Any]:
    return {
        "id": ticket.pk,
        "subject": ticket.subject,
        "status": ticket.status,
        "priority": ticket.priority,
        "channel": ticket.channel,
        "contact_id": ticket.contact_id,
        "organization_id": ticket.organization_id,
        "team_id": ticket.team_id,
        "assignee_id": ticket.assignee_id,
        "language": ticket.language,
        "custom_fields": ticket.custom_fields,
        "created_at": ticket.created_at.isoformat() if ticket.created_at else None,
        "updated_at": ticket.updated_at.isoformat() if ticket.updated_at else None,
    }


def message_payload(message: Message) -> dict[str, Any]:
    return {
        "id": message.pk,
        "ticket_id": message.ticket_id,
        "author_kind": message.author_kind,
        "author_agent_id": message.author_agent_id,
        "author_contact_id": message.author_contact_id,
        "is_internal": message.is_internal,
        "channel": message.channel,
        "body_text": message.body_text,
        "created_at": message.created_at.isoformat() if message.created_at else None,
    }


UNCHANGED: Any = object()


def groups_for(
    ticket: Ticket, *, previous_team_id: Any = UNCHANGED, previous_assignee_id: int | None = None
) -> list[str]:
    """Everyone who may see the ticket, before and after the change.

    ``previous_team_id`` is the team before a change (None meaning the triage queue); leave it
    out when the team did not change.
    """
    groups = [ADMINS_GROUP, team_group(ticket.team_id), ticket_group(ticket.pk)]
    if ticket.assignee_id:
        groups.append(agent_group(ticket.assignee_id))
    if previous_team_id is not UNCHANGED and previous_team_id != ticket.team_id:
        groups.append(team_group(previous_team_id))
    if previous_assignee_id and previous_assignee_id != ticket.assignee_id:
        groups.append(agent_group(previous_assignee_id))
    return groups


def ticket_changed(
    ticket: Ticket,
    event_type: str,
    data: dict[str, Any] | None = None,
    *,
    previous_team_id: Any = UNCHANGED,
    previous_assignee_id: int | None = None,
) -> None:
    from amparo.webhooks.services import webhook_emit

    payload = {"ticket": ticket_payload(ticket), **(data or {})}
    groups = groups_for(
        ticket,
        previous_team_id=previous_team_id,
        previous_assignee_id=previous_assignee_id,
    )
    publish_on_commit(groups, {"type": event_type, "ticket_id": ticket.pk, **payload})
    webhook_emit(event=event_type, payload=payload)


def message_created(message: Message) -> None:
    from amparo.webhooks.services import webhook_emit

    ticket = message.ticket
    payload = {"ticket": ticket_payload(ticket), "message": message_payload(message)}
    publish_on_commit(
        groups_for(ticket),
        {"type": "message.created", "ticket_id": ticket.pk, **payload},
    )
    webhook_emit(event="message.created", payload=payload)
