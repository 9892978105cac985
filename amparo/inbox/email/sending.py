"""Delivering one ticket message by email, exactly as the send job does it (idempotently)."""

from __future__ import annotations

import logging
import smtplib

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from amparo.inbox.email.outbound import build, smtp_send
from amparo.inbox.email.quarantine import store_raw
from amparo.inbox.models import Direction, MailKind, MailMessage
from amparo.jobs.base import PermanentError
from amparo.tickets.models import DeliveryStatus, Message
from amparo.tickets.services import message_set_delivery

logger = logging.getLogger(__name__)
_DONE = {DeliveryStatus.SENT, DeliveryStatus.DELIVERED, DeliveryStatus.READ, DeliveryStatus.BOUNCED}


def send_message(message_id: int) -> str:
    """Sends once: a message already sent is left alone, so the job may run twice."""
    message = Message.objects.select_related("ticket", "ticket__team").filter(pk=message_id).first()
    if message is None:
        return "gone"
    if message.delivery_status in _DONE:
        return "already sent"
    outgoing = build(message)
    if not outgoing.to:
        message_set_delivery(
            message=message,
            status=DeliveryStatus.FAILED,
            error=_("The customer has no email address."),
        )
        raise PermanentError("no recipient")
    with transaction.atomic():
        mail, _created = MailMessage.objects.get_or_create(
            message_id=outgoing.message_id,
            defaults={
                "direction": Direction.OUTBOUND,
                "kind": MailKind.ACK if outgoing.automatic else MailKind.MESSAGE,
                "mailbox": outgoing.mailbox,
                "ticket": message.ticket,
                "ticket_message": message,
                "subject": outgoing.subject[:500],
                "from_address": outgoing.from_address,
                "to_addresses": outgoing.to,
                "cc_addresses": outgoing.cc,
                "source": "smtp",
            },
        )
        if mail.sent_at is not None:
            return "already sent"
        mail.attempts += 1
        mail.size = len(outgoing.data)
        mail.raw.name = store_raw(outgoing.data)
        mail.save(update_fields=["attempts", "size", "raw"])
    try:
        smtp_send(outgoing)
    except smtplib.SMTPRecipientsRefused as exc:
        reasons = "; ".join(
            f"{rcpt}: {code} {text!r}" for rcpt, (code, text) in exc.recipients.items()
        )
        _fail(message, reasons)
        raise PermanentError(reasons) from exc
    except smtplib.SMTPResponseException as exc:
        reason = f"{exc.smtp_code} {exc.smtp_error.decode('utf-8', 'replace') if isinstance(exc.smtp_error, bytes) else exc.smtp_error}"
        if 500 <= exc.smtp_code < 600 or mail.attempts >= settings.MAIL_SEND_ATTEMPTS:
            _fail(message, reason)
            raise PermanentError(reason) from exc
        raise
    except (OSError, smtplib.SMTPException) as exc:
        if mail.attempts >= settings.MAIL_SEND_ATTEMPTS:
            _fail(message, f"{type(exc).__name__}: {exc}")
            raise PermanentError(str(exc)) from exc
        raise
    with transaction.atomic():
        MailMessage.objects.filter(pk=mail.pk).update(sent_at=timezone.now())
        message_set_delivery(message=message, status=DeliveryStatus.SENT)
    return "sent"


def _fail(message: Message, reason: str) -> None:
    logger.warning("mail for message %s failed: %s", message.pk, reason)
    message.refresh_from_db()
    message_set_delivery(message=message, status=DeliveryStatus.FAILED, error=reason)
