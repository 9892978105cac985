"""Background jobs of the inbox: sending mail and fetching mailboxes. Thin: services do the work."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings

from amparo.jobs.base import job
from amparo.jobs.periodic import periodic


@job(queue="mail", retries=6, backoff=60)
def email_send(message_id: int) -> str:
    from amparo.inbox.email.sending import send_message

    return send_message(message_id)


@job(queue="mail", retries=3, backoff=30)
def mailbox_fetch(mailbox_id: int) -> int:
    """Reads new mail of one mailbox. Resumable: it continues after the last stored UID."""
    from amparo.inbox.email.imap import fetch_mailbox

    return fetch_mailbox(mailbox_id)


@periodic(every=timedelta(seconds=settings.MAIL_POLL_SECONDS))
@job(queue="periodic", retries=1)
def mailboxes_poll() -> int:
    """Queues a fetch of every active IMAP mailbox (``amparo mailboxes`` adds IMAP IDLE)."""
    from amparo.inbox.models import Mailbox

    ids = list(
        Mailbox.objects.filter(is_active=True).exclude(imap_host="").values_list("pk", flat=True)
    )
    for mailbox_id in ids:
        mailbox_fetch.enqueue(mailbox_id)
    return len(ids)


@periodic(every=timedelta(hours=1))
@job(queue="periodic", retries=1)
def mail_flood_counters_prune() -> int:
    """Flood counters older than a day count nothing any more."""
    from amparo.inbox.email.flood import prune

    return prune()
