"""The one small interface every channel (email, chat, WhatsApp, …) implements.

Inbound: a channel works out who wrote (``contact_get_or_create_by_identity``) and which
ticket the message continues, then calls ``post_inbound``: the message is added to that
ticket, or opens a new one, idempotently by the provider's id (``external_id``).
Outbound: ``register()`` hands the ticket services a function that stores a delivery job for
a public reply in the caller's transaction; the job reports back with
``message_set_delivery``.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Any

from amparo.accounts.models import Team
from amparo.core.actors import Actor
from amparo.crm.models import Contact
from amparo.tickets.delivery import register_sender
from amparo.tickets.models import Message, Ticket
from amparo.tickets.services import (
    NewAttachment,
    message_add,
    message_find_duplicate,
    ticket_create,
)


class InboxChannel(ABC):
    #: A value of amparo.tickets.models.Channel.
    channel: str

    def register(self) -> None:
        register_sender(self.channel, self.enqueue_delivery)

    @abstractmethod
    def enqueue_delivery(self, message_id: int) -> None:
        """Store the job that delivers this public reply, in the current transaction."""


@dataclass(frozen=True)
class Posted:
    message: Message
    ticket: Ticket
    new_ticket: bool
    duplicate: bool


def post_inbound(
    *,
    channel: str,
    contact: Contact,
    ticket: Ticket | None,
    subject: str,
    external_id: str,
    body_text: str = "",
    body_html: str = "",
    team: Team | None = None,
    channel_meta: dict[str, Any] | None = None,
    attachments: list[NewAttachment] | None = None,
    actor: Actor | None = None,
    is_internal: bool = False,
) -> Posted:
    """Adds what a customer (or their auto-responder) sent; the same external id twice is one."""
    duplicate = message_find_duplicate(ticket=None, channel=channel, external_id=external_id)
    if duplicate is not None:
        return Posted(duplicate, duplicate.ticket, new_ticket=False, duplicate=True)
    actor = actor or Actor.of_contact(contact)
    if ticket is None:
        ticket = ticket_create(
            contact=contact,
            subject=subject,
            channel=channel,
            actor=actor,
            body_text=body_text,
            body_html=body_html,
            team=team,
            external_id=external_id,
            channel_meta=channel_meta,
            attachments=attachments,
        )
        message = ticket.messages.get(external_id=external_id[:500], channel=channel)
        return Posted(message, ticket, new_ticket=True, duplicate=False)
    message = message_add(
        ticket=ticket,
        actor=actor,
        body_text=body_text,
        body_html=body_html,
        channel=channel,
        external_id=external_id,
        channel_meta=channel_meta,
        attachments=attachments,
        is_internal=is_internal,
    )
    # message_add may have opened a follow-up ticket (the old one was closed).
    return Posted(
        message, message.ticket, new_ticket=message.ticket_id != ticket.pk, duplicate=False
    )
