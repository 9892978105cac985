"""Reading a mailbox over IMAP, resumable by UID, exactly once per mail across crashes.

For each new UID, in order: the mail is ingested and the mailbox's ``last_uid`` advanced in
ONE transaction; only after the commit is the mail moved or flagged on the server. A worker
killed at any point therefore leaves either (a) nothing stored: the UID is read again, or
(b) the mail stored and ``last_uid`` past it: it is not read again, and the next run's sweep
moves/flags it. The Message-ID row makes even a reset UIDVALIDITY re-read harmless.
"""

from __future__ import annotations

import logging
import ssl
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress

from django.core.cache import cache
from django.db import connection, transaction
from django.utils import timezone
from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientError

from amparo.core.crypto import decrypt
from amparo.inbox.email.ingest import ingest
from amparo.inbox.models import AfterFetch, Mailbox, Security

logger = logging.getLogger(__name__)
BATCH = 25
LOCK_SECONDS = 120


def connect(mailbox: Mailbox, *, timeout: float = 60) -> IMAPClient:
    context = ssl.create_default_context()
    client = IMAPClient(
        mailbox.imap_host,
        port=mailbox.imap_port,
        ssl=mailbox.imap_security == Security.SSL,
        ssl_context=context,
        timeout=timeout,
    )
    if mailbox.imap_security == Security.STARTTLS:
        client.starttls(context)
    password = decrypt(mailbox.imap_password_encrypted) if mailbox.imap_password_encrypted else ""
    client.login(mailbox.imap_username or mailbox.address, password)
    return client


def fetch_lock_key(mailbox_id: int) -> str:
    # The database name keeps two installations (or test runs) sharing a Redis apart.
    return f"inbox:fetch:{connection.settings_dict['NAME']}:{mailbox_id}"


@contextmanager
def _fetch_lock(mailbox_id: int) -> Iterator[bool]:
    # One reader per mailbox at a time; correctness does not depend on it (see module doc).
    key = fetch_lock_key(mailbox_id)
    got = cache.add(key, "1", LOCK_SECONDS)
    try:
        yield got
    finally:
        if got:
            cache.delete(key)


def fetch_mailbox(mailbox_id: int, *, limit: int | None = None) -> int:
    """Ingests the mailbox's new mail; returns how many were read. Raises on IMAP errors."""
    with _fetch_lock(mailbox_id) as got:
        if not got:
            return 0
        mailbox = Mailbox.objects.get(pk=mailbox_id)
        if not mailbox.is_active or not mailbox.imap_host:
            return 0
        try:
            client = connect(mailbox)
        except (IMAPClientError, OSError) as exc:
            _record_error(mailbox, exc)
            raise
        try:
            count = fetch_with(client, mailbox, limit=limit)
        except (IMAPClientError, OSError) as exc:
            _record_error(mailbox, exc)
            raise
        finally:
            with suppress(IMAPClientError, OSError):
                client.logout()
        Mailbox.objects.filter(pk=mailbox.pk).update(last_fetch_at=timezone.now(), last_error="")
        return count


def _record_error(mailbox: Mailbox, exc: Exception) -> None:
    logger.warning("mailbox %s: %s", mailbox.address, exc)
    Mailbox.objects.filter(pk=mailbox.pk).update(last_error=f"{type(exc).__name__}: {exc}"[:2000])


def fetch_with(client: IMAPClient, mailbox: Mailbox, *, limit: int | None = None) -> int:
    info = client.select_folder(mailbox.imap_folder)
    uidvalidity = int(info.get(b"UIDVALIDITY", 0))
    if mailbox.uidvalidity != uidvalidity:
        # The server renumbered the folder: start over; Message-IDs stop duplicates.
        Mailbox.objects.filter(pk=mailbox.pk).update(uidvalidity=uidvalidity, last_uid=0)
        mailbox.uidvalidity, mailbox.last_uid = uidvalidity, 0
    _sweep(client, mailbox)
    new = sorted(
        u for u in client.search(["UID", f"{mailbox.last_uid + 1}:*"]) if u > mailbox.last_uid
    )
    if limit is not None:
        new = new[:limit]
    done = 0
    for start in range(0, len(new), BATCH):
        batch = new[start : start + BATCH]
        fetched = client.fetch(batch, ["BODY.PEEK[]"])
        stored = []
        for uid in batch:
            data = fetched.get(uid, {})
            raw = data.get(b"BODY[]")
            if raw is None:
                continue  # expunged meanwhile by someone else
            ingest(bytes(raw), source="imap", mailbox=mailbox, on_stored=_advancer(mailbox, uid))
            mailbox.last_uid = uid
            stored.append(uid)
            done += 1
        _after_fetch(client, mailbox, stored)
    return done


def _advancer(mailbox: Mailbox, uid: int) -> Callable[[], None]:
    def advance() -> None:
        Mailbox.objects.filter(pk=mailbox.pk, last_uid__lt=uid).update(last_uid=uid)

    return advance


def _sweep(client: IMAPClient, mailbox: Mailbox) -> None:
    """Mail stored before a crash but not yet moved or flagged on the server."""
    if mailbox.last_uid <= 0:
        return
    criteria = ["UID", f"1:{mailbox.last_uid}"]
    if mailbox.after_fetch == AfterFetch.FLAG:
        criteria.append("UNFLAGGED")
    left = [u for u in client.search(criteria) if u <= mailbox.last_uid]
    if left:
        _after_fetch(client, mailbox, left)


def _after_fetch(client: IMAPClient, mailbox: Mailbox, uids: list[int]) -> None:
    if not uids:
        return
    if mailbox.after_fetch == AfterFetch.FLAG:
        client.add_flags(uids, [b"\\Seen", b"\\Flagged"])
        return
    folder = mailbox.processed_folder
    if not client.folder_exists(folder):
        try:
            client.create_folder(folder)
        except IMAPClientError:
            logger.info("could not create %s (exists?)", folder, exc_info=True)
    if client.has_capability("MOVE"):
        client.move(uids, folder)
    else:
        client.copy(uids, folder)
        client.delete_messages(uids)
        if client.has_capability("UIDPLUS"):
            client.uid_expunge(uids)
        else:
            client.expunge()


def wait_for_mail(mailbox: Mailbox, *, seconds: int) -> bool:
    """Blocks until the server reports new mail (IDLE) or ``seconds`` pass; True if new mail."""
    client = connect(mailbox, timeout=seconds + 30)
    try:
        client.select_folder(mailbox.imap_folder, readonly=True)
        # Mail that arrived between the last fetch and now would not be announced by IDLE.
        if any(u > mailbox.last_uid for u in client.search(["UID", f"{mailbox.last_uid + 1}:*"])):
            return True
        if not (mailbox.use_idle and client.has_capability("IDLE")):
            return False
        client.idle()
        try:
            responses = client.idle_check(timeout=seconds)
        finally:
            client.idle_done()
        return any(r[1] in (b"EXISTS", b"RECENT") for r in responses if len(r) > 1)
    finally:
        with suppress(IMAPClientError, OSError):
            client.logout()


@transaction.atomic
def mailbox_reset_position(*, mailbox: Mailbox) -> None:
    """Reads the folder again from its first mail (already stored mail stays stored once)."""
    Mailbox.objects.filter(pk=mailbox.pk).update(last_uid=0, uidvalidity=None)
