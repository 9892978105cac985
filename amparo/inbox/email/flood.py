"""Counting mail per sender per window: a sender who floods is quarantined, not ticketed.

The counter is a database row (unique per sender and window) so every worker and every
way in (IMAP, pipe, smtpd, webhooks) counts against the same limit.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from amparo.inbox.models import SenderWindow


def _window_start(now: datetime) -> datetime:
    seconds = max(settings.MAIL_FLOOD_WINDOW_SECONDS, 1)
    epoch = int(now.timestamp()) // seconds * seconds
    return datetime.fromtimestamp(epoch, tz=now.tzinfo)


def over_limit(address: str) -> bool:
    """Counts this mail; True when the sender has sent more than the limit in this window."""
    limit = settings.MAIL_FLOOD_LIMIT
    if limit <= 0:
        return False
    start = _window_start(timezone.now())
    address = address.lower()[:320]
    rows = SenderWindow.objects.filter(address=address, window_start=start)
    if not rows.update(count=F("count") + 1):
        try:
            with transaction.atomic():
                SenderWindow.objects.create(address=address, window_start=start, count=1)
        except IntegrityError:
            rows.update(count=F("count") + 1)
    count = rows.values_list("count", flat=True).first() or 0
    return count > limit


def prune(older_than: timedelta = timedelta(days=1)) -> int:
    deleted, _rows = SenderWindow.objects.filter(
        window_start__lt=timezone.now() - older_than
    ).delete()
    return deleted
