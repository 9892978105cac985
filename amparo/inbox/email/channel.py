"""The email channel's registration: its outbound sender and its health check."""

from __future__ import annotations

from typing import Any

from amparo.core.health import register_health_check
from amparo.inbox.base import InboxChannel
from amparo.tickets.models import Channel


class EmailChannel(InboxChannel):
    channel = Channel.EMAIL

    def register(self) -> None:
        from amparo.inbox.email import webhooks

        super().register()
        register_health_check("mail", mail_health)
        webhooks.connect()

    def enqueue_delivery(self, message_id: int) -> None:
        from amparo.inbox.tasks import email_send

        email_send.enqueue(message_id)


def mail_health() -> dict[str, Any]:
    from amparo.inbox.email.quarantine import quarantine_counts
    from amparo.inbox.models import Mailbox

    counts = quarantine_counts()
    failing = list(
        Mailbox.objects.filter(is_active=True).exclude(last_error="").values_list("name", flat=True)
    )
    # Quarantine is where noise belongs, so a count is information, not a failure; a mailbox
    # that cannot be read is.
    return {
        "ok": not failing,
        "quarantine": sum(counts.values()),
        "quarantine_by_reason": counts,
        "failing_mailboxes": failing,
    }
