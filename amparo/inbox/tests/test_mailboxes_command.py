"""``amparo mailboxes``: a mailbox read continuously; new mail appears while it waits in IDLE."""

from __future__ import annotations

import threading
import time

import pytest

from amparo.tickets.models import Ticket

from .mails import make_mail

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.mail]


def test_idle_loop_picks_up_new_mail(imap_mailbox, imap_client, settings, monkeypatch):
    from amparo.inbox.management.commands import mailboxes

    settings.MAIL_POLL_SECONDS = 1
    monkeypatch.setattr(mailboxes, "IDLE_SECONDS", 3)  # so the reader notices the stop soon
    stop = threading.Event()
    reader = threading.Thread(target=mailboxes._loop, args=(imap_mailbox.pk, stop), daemon=True)
    reader.start()
    try:
        imap_client.append("INBOX", make_mail(subject="Primeira"))
        time.sleep(2)  # by now the reader has fetched and waits in IDLE
        imap_client.append("INBOX", make_mail(subject="Durante o IDLE"))
        deadline = time.monotonic() + 30
        while Ticket.objects.count() < 2 and time.monotonic() < deadline:
            time.sleep(0.2)
        assert sorted(Ticket.objects.values_list("subject", flat=True)) == [
            "Durante o IDLE",
            "Primeira",
        ]
    finally:
        stop.set()
        reader.join(timeout=20)
    assert not reader.is_alive()
