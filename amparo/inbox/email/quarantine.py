"""Mail that did not become a message is kept here with its bytes and why: never dropped."""

from __future__ import annotations

import hashlib
import logging

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from amparo.inbox.models import Mailbox, QuarantinedMail

logger = logging.getLogger(__name__)


def store_raw(raw: bytes, digest: str = "") -> str:
    """Content-addressed: the same bytes are stored once however often they arrive."""
    digest = digest or hashlib.sha256(raw).hexdigest()
    name = f"mail/{digest[:2]}/{digest}.eml"
    if not default_storage.exists(name):
        name = default_storage.save(name, ContentFile(raw))
    return name


@transaction.atomic
def quarantine_add(
    *,
    raw: bytes,
    reason: str,
    detail: str = "",
    mailbox: Mailbox | None = None,
    source: str = "",
    sender: str = "",
    subject: str = "",
    message_id: str = "",
) -> QuarantinedMail:
    digest = hashlib.sha256(raw).hexdigest()
    if message_id:
        # The same mail reaching two of our mailboxes (or fetched twice) is quarantined once.
        existing = QuarantinedMail.objects.filter(
            message_id=message_id[:500], sha256=digest, released_at__isnull=True
        ).first()
        if existing is not None:
            return existing
    item = QuarantinedMail(
        reason=reason,
        detail=detail[:5000],
        mailbox=mailbox,
        source=source,
        sender=sender[:320],
        subject=subject[:500],
        message_id=message_id[:500],
        size=len(raw),
        sha256=digest,
    )
    item.raw.name = store_raw(raw, digest)
    item.save()
    logger.info("mail quarantined (%s): %s", reason, message_id or digest)
    return item


def quarantine_read(item: QuarantinedMail) -> bytes:
    with item.raw.open("rb") as handle:
        return handle.read()


def quarantine_reprocess(*, item: QuarantinedMail) -> str:
    """Runs the mail through ingestion again, past the noise filters: an admin vouched for it."""
    from amparo.inbox.email.ingest import ingest

    if item.released_at is not None:
        return item.release_result
    raw = quarantine_read(item)
    result = ingest(raw, source="reprocess", mailbox=item.mailbox, trusted=True)
    with transaction.atomic():
        if result.quarantine_id:
            if result.quarantine_id != item.pk:
                # Still cannot be processed: keep the original entry, with the new reason.
                fresh = QuarantinedMail.objects.get(pk=result.quarantine_id)
                item.detail = fresh.detail
                item.reason = fresh.reason
                item.save(update_fields=["detail", "reason"])
                fresh.delete()
            return result.outcome
        item.released_at = timezone.now()
        item.release_result = (
            f"{result.outcome} #{result.ticket_id}" if result.ticket_id else result.outcome
        )[:200]
        item.save(update_fields=["released_at", "release_result"])
    return item.release_result


def quarantine_counts() -> dict[str, int]:
    rows = (
        QuarantinedMail.objects.filter(released_at__isnull=True)
        .values("reason")
        .annotate(n=Count("id"))
    )
    return {row["reason"]: row["n"] for row in rows}
