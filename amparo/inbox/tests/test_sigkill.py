"""A fetching worker killed with SIGKILL mid-batch: after a restart every mail is there once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from amparo.inbox.email.imap import fetch_mailbox
from amparo.tickets.models import AuthorKind, Message, Ticket

from .mails import make_mail

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.mail]
TOTAL = 150


def _contact_messages() -> int:
    return Message.objects.filter(author_kind=AuthorKind.CONTACT).count()


def test_sigkill_mid_batch_loses_and_duplicates_nothing(imap_mailbox, imap_client, amparo_env):
    ids = [f"kill-{n}@client.example.org" for n in range(TOTAL)]
    for n, message_id in enumerate(ids):
        imap_client.append(
            "INBOX",
            make_mail(
                sender=f"cliente{n}@example.org", subject=f"Pedido {n}", message_id=message_id
            ),
        )
    worker = subprocess.Popen(
        [sys.executable, "-m", "amparo", "mail", "fetch", "--mailbox", imap_mailbox.address],
        env=amparo_env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while _contact_messages() < 30 and time.monotonic() < deadline and worker.poll() is None:
        time.sleep(0.02)
    os.kill(worker.pid, signal.SIGKILL)
    assert worker.wait(timeout=30) == -signal.SIGKILL
    stored_at_kill = _contact_messages()
    assert 0 < stored_at_kill < TOTAL  # really killed in the middle

    # The restarted worker finishes the job.
    from django.core.cache import cache

    from amparo.inbox.email.imap import fetch_lock_key

    # The dead worker's fetch lock (in Redis it outlives the process; it expires on its own).
    cache.delete(fetch_lock_key(imap_mailbox.pk))
    fetch_mailbox(imap_mailbox.pk)

    assert Ticket.objects.count() == TOTAL
    for message_id in ids:
        assert Message.objects.filter(external_id=message_id).count() == 1
    imap_client.select_folder("INBOX")
    assert imap_client.search(["ALL"]) == []
    imap_client.select_folder("Amparo/Processed")
    assert len(imap_client.search(["ALL"])) == TOTAL
