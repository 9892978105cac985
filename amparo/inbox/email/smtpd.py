"""Direct delivery: an SMTP server (aiosmtpd) that accepts mail for our mailboxes only.

Mail for other addresses is refused at RCPT (never an open relay); mail over
``MAIL_MAX_BYTES`` is refused at DATA (552) so the sending server returns it to its author.
A database outage answers 451, so the sender retries later: nothing is lost.
"""

from __future__ import annotations

import logging
from typing import Any

from aiosmtpd.controller import Controller
from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import InterfaceError, OperationalError, connection

from amparo.inbox.email.ingest import ingest
from amparo.inbox.models import Mailbox

logger = logging.getLogger(__name__)


def _base(address: str) -> str:
    local, _at, domain = address.lower().partition("@")
    return f"{local.partition('+')[0]}@{domain}"


# These run in a thread pool: each closes its connection, so no idle connection is left
# behind in a pool thread (it would keep the database busy and never be recycled).
def _accepts(address: str) -> bool:
    try:
        return Mailbox.objects.filter(is_active=True, address__iexact=_base(address)).exists()
    finally:
        connection.close()


def _ingest(raw: bytes, recipients: list[str]) -> str:
    try:
        return ingest(raw, source="smtpd", envelope_recipients=recipients).outcome
    finally:
        connection.close()


class AmparoSMTPHandler:
    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: list[str]
    ) -> str:
        try:
            known = await sync_to_async(_accepts, thread_sensitive=False)(address)
        except (OperationalError, InterfaceError):
            return "451 4.3.0 Temporary failure, try again later"
        if not known:
            return "550 5.1.1 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        raw = envelope.original_content or envelope.content
        if isinstance(raw, str):
            raw = raw.encode("utf-8", "surrogateescape")
        try:
            outcome = await sync_to_async(_ingest, thread_sensitive=False)(
                raw, list(envelope.rcpt_tos)
            )
        except (OperationalError, InterfaceError):
            logger.exception("smtpd: database unavailable")
            return "451 4.3.0 Temporary failure, try again later"
        logger.info("smtpd: %s from %s", outcome, envelope.mail_from)
        return "250 OK: queued"


def make_controller(host: str, port: int) -> Controller:
    # aiosmtpd logs every SMTP line (with addresses) at INFO; ours says what matters.
    logging.getLogger("mail.log").setLevel(logging.WARNING)
    return Controller(
        AmparoSMTPHandler(),
        hostname=host,
        port=port,
        data_size_limit=settings.MAIL_MAX_BYTES,
        # Keep the bytes exactly as received (the .eml we store is the original).
        decode_data=False,
    )
