"""Reads for the email channel, with the ticket permissions of the agent asking."""

from __future__ import annotations

from django.utils.translation import gettext as _

from amparo.accounts.models import User
from amparo.core.errors import NotFound
from amparo.inbox.models import MailMessage
from amparo.tickets.models import Ticket
from amparo.tickets.selectors import ticket_visibility_q


def mail_get_for_agent(*, agent: User, message_id: int) -> MailMessage:
    """The stored mail of a ticket message the agent may see (NotFound otherwise)."""
    visible = Ticket.objects.filter(ticket_visibility_q(agent)).values("pk")
    # The ticket the message is on now: a merge moves messages, not their mail rows.
    mail = (
        MailMessage.objects.filter(ticket_message_id=message_id, ticket_message__ticket__in=visible)
        .exclude(raw="")
        .order_by("id")
        .first()
    )
    if mail is None:
        raise NotFound(_("This message has no original email."))
    return mail


def message_ids_with_original(*, agent: User, ticket: Ticket) -> set[int]:
    """The messages of a ticket whose original email the agent may download (one query)."""
    visible = Ticket.objects.filter(ticket_visibility_q(agent), pk=ticket.pk).values("pk")
    return set(
        MailMessage.objects.filter(ticket_message__ticket__in=visible)
        .exclude(raw="")
        .values_list("ticket_message_id", flat=True)
    )


def quarantine_waiting_count(cap: int = 999) -> int:
    """Quarantined mail not yet reprocessed, counted up to ``cap`` (an index range, not a scan)."""
    from amparo.inbox.models import QuarantinedMail

    return QuarantinedMail.objects.filter(released_at__isnull=True)[:cap].count()
