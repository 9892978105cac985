"""Delivery reports about mail we sent: the message shows it bounced, the address is marked."""

from __future__ import annotations

from typing import TYPE_CHECKING

from amparo.crm.services import identity_mark_bouncing
from amparo.inbox.email.classify import BounceInfo
from amparo.inbox.email.parse import ParsedMail
from amparo.inbox.email.threading import ticket_from_our_id
from amparo.inbox.models import Direction, Mailbox, MailKind, MailMessage
from amparo.tickets.models import DeliveryStatus, Message
from amparo.tickets.services import message_set_delivery

if TYPE_CHECKING:
    from amparo.inbox.email.ingest import IngestResult


def _original(info: BounceInfo) -> tuple[MailMessage | None, Message | None]:
    ids = info.original_message_ids
    if not ids:
        return None, None
    sent = (
        MailMessage.objects.filter(message_id__in=ids, direction=Direction.OUTBOUND)
        .select_related("ticket_message")
        .first()
    )
    if sent is not None:
        return sent, sent.ticket_message
    for value in ids:
        # Our Message-IDs carry the message number, so a bounce matches even without our row.
        if ticket_from_our_id(value):
            message_pk = int(value.split(".")[2])
            return None, Message.objects.filter(pk=message_pk).first()
    return None, None


def handle(
    parsed: ParsedMail, info: BounceInfo, *, mailbox: Mailbox | None, source: str
) -> IngestResult | None:
    """Attaches the report to the message it is about; None when it is about no mail of ours."""
    from amparo.inbox.email.ingest import IngestResult, claim_mail

    sent, message = _original(info)
    if message is None:
        return None
    mail = claim_mail(parsed, parsed.raw, source, mailbox, MailKind.BOUNCE)
    if mail is None:
        found = MailMessage.objects.get(message_id=parsed.message_id)
        return IngestResult("duplicate", found.ticket_id, found.ticket_message_id, found.pk)
    mail.ticket_id = message.ticket_id
    mail.ticket_message = message
    mail.save(update_fields=["ticket", "ticket_message"])
    if info.permanent:
        message_set_delivery(message=message, status=DeliveryStatus.BOUNCED, error=info.reason)
        recipients = info.recipients or (sent.to_addresses if sent else [])
        if sent is not None:
            ours = {a.lower() for a in [*sent.to_addresses, *sent.cc_addresses]}
            recipients = [r for r in recipients if r in ours] or list(ours)
        identity_mark_bouncing(addresses=recipients, reason=info.reason)
    return IngestResult("bounce", message.ticket_id, message.pk, mail.pk)
