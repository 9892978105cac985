"""The same mail delivered twice at the same moment (two mailboxes, two workers): one ticket."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from amparo.inbox.email.ingest import ingest
from amparo.inbox.services import mailbox_create
from amparo.tickets.models import AuthorKind, Message, Ticket

from .mails import make_mail

pytestmark = pytest.mark.django_db(transaction=True)


def test_simultaneous_deliveries_make_one_ticket(mailbox):
    vendas = mailbox_create(name="Vendas", address="vendas@amparo.test")
    raw = make_mail(to="suporte@amparo.test, vendas@amparo.test", message_id="race@c.example")
    barrier = threading.Barrier(4)
    outcomes: list[str] = []

    def deliver(box) -> None:  # type: ignore[no-untyped-def]
        try:
            barrier.wait()
            outcomes.append(ingest(raw, source="imap", mailbox=box).outcome)
        finally:
            connection.close()

    threads = [threading.Thread(target=deliver, args=(b,)) for b in (mailbox, vendas) * 2]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["duplicate", "duplicate", "duplicate", "ticket"]
    assert Ticket.objects.count() == 1
    assert Message.objects.filter(author_kind=AuthorKind.CONTACT).count() == 1
