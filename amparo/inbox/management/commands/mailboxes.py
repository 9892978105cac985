"""``amparo mailboxes``: keep every IMAP mailbox read, with IDLE where the server offers it.

One thread per mailbox: fetch, then wait in IDLE (or sleep ``MAIL_POLL_SECONDS`` when the
server has no IDLE) and fetch again. The periodic job ``mailboxes_poll`` polls without this
command; this one only makes new mail appear within seconds.
"""

from __future__ import annotations

import logging
import signal
import threading
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import close_old_connections, connection

logger = logging.getLogger(__name__)
# RFC 2177 asks to re-issue IDLE within 29 minutes; shorter also notices a stop sooner.
IDLE_SECONDS = 5 * 60


class Command(BaseCommand):
    help = "Read every active IMAP mailbox continuously (IMAP IDLE, or polling)."

    def handle(self, *args: Any, **options: Any) -> None:
        from amparo.inbox.models import Mailbox

        stop = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
        signal.signal(signal.SIGINT, lambda *_: stop.set())
        ids = list(
            Mailbox.objects.filter(is_active=True)
            .exclude(imap_host="")
            .values_list("pk", flat=True)
        )
        threads = [threading.Thread(target=_loop, args=(pk, stop), daemon=True) for pk in ids]
        for thread in threads:
            thread.start()
        self.stdout.write(f"reading {len(threads)} mailbox(es)")
        stop.wait()


def idle_seconds() -> int:
    return IDLE_SECONDS


def _loop(mailbox_id: int, stop: threading.Event) -> None:
    from amparo.inbox.email.imap import fetch_mailbox, wait_for_mail
    from amparo.inbox.models import Mailbox

    try:
        while not stop.is_set():
            close_old_connections()
            try:
                fetch_mailbox(mailbox_id)
                mailbox = Mailbox.objects.get(pk=mailbox_id)
                if not (mailbox.use_idle and wait_for_mail(mailbox, seconds=idle_seconds())):
                    stop.wait(settings.MAIL_POLL_SECONDS)
            except Exception:
                logger.exception("mailbox %s: read failed; retrying later", mailbox_id)
                stop.wait(settings.MAIL_POLL_SECONDS)
    finally:
        connection.close()
