"""Mail from an agent's own address on a ticket: the agent answering, never a new customer.

Agents reply from their mail client too (they were in copy, or answer from their phone). Such
a mail must not open a contact for the agent nor count as the customer writing. What it
becomes depends on how sure we are the agent sent it, since a From line proves nothing and the
ticket's reply address is known to everyone on the thread:

* DKIM-verified from the agent's domain, by an active agent who may see the ticket: a public
  reply by that agent, sent on to the customer like one written in the desk. If the customer
  was already a recipient of the agent's mail (reply-all), it is recorded as sent and not sent
  twice.
* Anything else (no valid aligned signature, a deactivated agent, a ticket the agent may not
  see, an auto-reply): an internal note that says why it was not sent. Nothing reaches the
  customer, nobody is impersonated in front of them, and the agent can still send it from the
  desk. Forging an agent's address therefore gains at most a note on the ticket.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from amparo.accounts.models import User
from amparo.core.actors import Actor
from amparo.core.errors import NotFound
from amparo.crm.models import ContactIdentity, IdentityKind
from amparo.inbox.email.authenticity import verified_sender_domain
from amparo.inbox.email.parse import ParsedMail
from amparo.inbox.models import Mailbox, MailKind, MailMessage
from amparo.tickets.models import DeliveryStatus, Ticket
from amparo.tickets.selectors import ticket_get_for_agent
from amparo.tickets.services import message_add, message_set_delivery

if TYPE_CHECKING:
    from amparo.inbox.email.ingest import IngestResult


def _why_not_sent(parsed: ParsedMail, ticket: Ticket, agent: User, automatic: bool) -> str:
    """Empty when the mail may go to the customer as the agent's reply; the reason otherwise."""
    if automatic:
        return _("It is an automatic reply.")
    if not agent.is_active:
        return _("%(name)s is no longer an active agent.") % {"name": agent}
    try:
        ticket_get_for_agent(agent=agent, ticket_id=ticket.pk)
    except NotFound:
        return _("%(name)s may not see this ticket.") % {"name": agent}
    if not verified_sender_domain(parsed.raw, parsed.from_address):
        return _("The mail has no valid signature (DKIM) of the sender's domain.")
    return ""


def _customer_already_got_it(parsed: ParsedMail, ticket: Ticket) -> bool:
    customer = set(
        ContactIdentity.objects.filter(
            contact_id=ticket.contact_id, kind=IdentityKind.EMAIL
        ).values_list("value", flat=True)
    )
    return bool(customer & {a.lower() for a in [*parsed.to, *parsed.cc]})


def post(
    parsed: ParsedMail,
    raw: bytes,
    source: str,
    mailbox: Mailbox | None,
    ticket: Ticket,
    rule: str,
    *,
    agent: User,
    automatic: bool,
) -> IngestResult:
    from amparo.inbox.email.ingest import (
        MAX_HTML,
        IngestResult,
        body_and_attachments,
        channel_meta,
        claim_mail,
        with_preface,
    )

    mail = claim_mail(
        parsed, raw, source, mailbox, MailKind.AUTO_REPLY if automatic else MailKind.MESSAGE
    )
    if mail is None:
        found = MailMessage.objects.get(message_id=parsed.message_id)
        return IngestResult("duplicate", found.ticket_id, found.ticket_message_id, found.pk)
    text, attachments = body_and_attachments(parsed)
    meta = channel_meta(parsed, mail, mailbox, rule)
    why_not = _why_not_sent(parsed, ticket, agent, automatic)
    meta["email"]["agent_id"] = agent.pk
    meta["email"]["agent_reply"] = "note" if why_not else "reply"
    if why_not:
        text, meta = with_preface(
            _(
                "Email from %(name)s <%(address)s>, kept as an internal note and not sent to "
                "the customer: %(reason)s"
            )
            % {"name": agent, "address": parsed.from_address, "reason": why_not},
            text,
            meta,
        )
        message = message_add(
            ticket=ticket,
            actor=Actor.system(),
            body_text=text,
            channel="email",
            external_id=parsed.message_id,
            channel_meta=meta,
            attachments=attachments,
            is_internal=True,
        )
        outcome = "note"
    else:
        message = message_add(
            ticket=ticket,
            actor=Actor.of_agent(agent),
            body_text=text,
            body_html="" if len(parsed.html) > MAX_HTML else parsed.html,
            channel="email",
            external_id=parsed.message_id,
            channel_meta=meta,
            attachments=attachments,
        )
        if _customer_already_got_it(parsed, ticket):
            # Reply-all: the customer has the agent's own mail; the queued copy is skipped.
            message_set_delivery(message=message, status=DeliveryStatus.SENT)
        outcome = "agent_reply"
    mail.ticket_id = message.ticket_id
    mail.ticket_message = message
    mail.save(update_fields=["ticket", "ticket_message"])
    return IngestResult(outcome, message.ticket_id, message.pk, mail.pk)
