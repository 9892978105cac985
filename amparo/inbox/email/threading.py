"""Which ticket a mail belongs to, and the identifiers we put on our own mail to know it.

Rules, in order: (1) In-Reply-To then References name a mail we know (ours identify the
ticket by a signed Message-ID even if our row is gone); (2) a per-ticket reply address
(``support+t123-sig@…``); (3) ``[#123]`` in the subject, only when the sender already takes
part in that ticket (for an agent's address: may see it); (4) otherwise a new ticket.
Signatures stop anyone from guessing a ticket number into someone else's conversation.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re

from django.conf import settings

from amparo.accounts.models import User
from amparo.crm.models import Contact
from amparo.inbox.email.parse import ParsedMail
from amparo.inbox.models import MailMessage
from amparo.tickets.models import Ticket
from amparo.tickets.selectors import ticket_visibility_q

_OUR_ID = re.compile(r"^amparo\.(\d+)\.(\d+)\.([a-z2-7]{10})@", re.IGNORECASE)
_TOKEN = re.compile(r"\+t(\d+)-([a-z2-7]{8})@", re.IGNORECASE)
_SUBJECT_NUMBER = re.compile(r"\[#(\d{1,12})\]|(?:^|\s)#(\d{1,12})\b")


def sign(value: str, length: int = 10) -> str:
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"amparo-mail:{value}".encode(), hashlib.sha256
    ).digest()
    return base64.b32encode(digest).decode().lower()[:length]


def instance_token() -> str:
    """Marks our outgoing mail, so a copy that comes back is recognised as ours (a loop)."""
    return sign("instance", 16)


def outgoing_message_id(*, ticket_id: int, message_id: int, domain: str) -> str:
    return f"amparo.{ticket_id}.{message_id}.{sign(f'{ticket_id}.{message_id}')}@{domain}"


def ticket_from_our_id(message_id: str) -> int | None:
    match = _OUR_ID.match(message_id)
    if match and hmac.compare_digest(match.group(3).lower(), sign(f"{match[1]}.{match[2]}")):
        return int(match.group(1))
    return None


def reply_address(*, mailbox_address: str, ticket_id: int) -> str:
    local, _at, domain = mailbox_address.partition("@")
    return f"{local}+t{ticket_id}-{sign(f't{ticket_id}', 8)}@{domain}"


def ticket_from_address(address: str) -> int | None:
    match = _TOKEN.search(address)
    if match and hmac.compare_digest(match.group(2).lower(), sign(f"t{match[1]}", 8)):
        return int(match.group(1))
    return None


def subject_tag(ticket_id: int) -> str:
    return f"[#{ticket_id}]"


def subject_ticket_numbers(subject: str) -> list[int]:
    return [int(a or b) for a, b in _SUBJECT_NUMBER.findall(subject)]


def _takes_part(ticket: Ticket, contact: Contact | None) -> bool:
    if contact is None:
        return False
    return (
        ticket.contact_id == contact.pk
        or ticket.follower_contacts.filter(pk=contact.pk).exists()
        or ticket.messages.filter(author_contact=contact).exists()
    )


def _agent_sees(ticket: Ticket, agent: User) -> bool:
    return Ticket.objects.filter(ticket_visibility_q(agent), pk=ticket.pk).exists()


def find_ticket(
    parsed: ParsedMail, contact: Contact | None, *, agent: User | None = None
) -> tuple[Ticket | None, str]:
    """The ticket this mail continues and the rule that said so, or (None, "")."""
    referenced = [*parsed.in_reply_to, *reversed(parsed.references)]
    if referenced:
        known = {
            m.message_id: m.ticket_id
            for m in MailMessage.objects.filter(
                message_id__in=referenced, ticket__isnull=False
            ).only("message_id", "ticket_id")
        }
        for ref in referenced:
            ticket_id = known.get(ref) or ticket_from_our_id(ref)
            ticket = _live(ticket_id)
            if ticket is not None:
                return ticket, "references"
    for address in parsed.recipients:
        ticket = _live(ticket_from_address(address))
        if ticket is not None:
            return ticket, "reply_address"
    for number in subject_ticket_numbers(parsed.subject):
        ticket = _live(number)
        if ticket is not None and (
            _takes_part(ticket, contact) or (agent is not None and _agent_sees(ticket, agent))
        ):
            return ticket, "subject"
    return None, ""


def _live(ticket_id: int | None) -> Ticket | None:
    if not ticket_id:
        return None
    ticket = Ticket.objects.filter(pk=ticket_id).first()
    # A merged ticket's mail continues on the ticket it was merged into.
    for _hop in range(5):
        if ticket is None or not ticket.merged_into_id:
            break
        ticket = Ticket.objects.filter(pk=ticket.merged_into_id).first()
    return ticket
