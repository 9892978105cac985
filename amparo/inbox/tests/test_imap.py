"""IMAP fetch against a real Dovecot: tickets appear, mail is moved or flagged, once only."""

from __future__ import annotations

import ssl
import threading
import time

import pytest

from amparo.inbox.email.imap import fetch_mailbox, wait_for_mail
from amparo.inbox.models import Mailbox, QuarantinedMail
from amparo.inbox.services import mailbox_update
from amparo.tickets.models import AuthorKind, Message, Ticket

from .mails import make_mail

pytestmark = [pytest.mark.django_db, pytest.mark.mail]


def _deliver(client, *mails: bytes, folder: str = "INBOX") -> None:
    for raw in mails:
        client.append(folder, raw)


def test_password_is_stored_encrypted(imap_mailbox):
    assert imap_mailbox.imap_password_encrypted
    assert "s3cret-imap" not in imap_mailbox.imap_password_encrypted


def test_fetch_makes_tickets_and_moves_mail(imap_mailbox, imap_client):
    _deliver(imap_client, make_mail(subject="Primeiro"), make_mail(subject="Segundo"))
    assert fetch_mailbox(imap_mailbox.pk) == 2
    assert sorted(Ticket.objects.values_list("subject", flat=True)) == ["Primeiro", "Segundo"]
    imap_client.select_folder("INBOX")
    assert imap_client.search(["ALL"]) == []
    imap_client.select_folder("Amparo/Processed")
    assert len(imap_client.search(["ALL"])) == 2
    # Nothing new: nothing read, nothing duplicated.
    assert fetch_mailbox(imap_mailbox.pk) == 0
    assert Message.objects.filter(author_kind=AuthorKind.CONTACT).count() == 2
    imap_mailbox.refresh_from_db()
    assert imap_mailbox.last_fetch_at is not None and imap_mailbox.last_error == ""


def test_flag_mode_keeps_mail_in_place_and_reads_it_once(imap_mailbox, imap_client):
    mailbox_update(mailbox=imap_mailbox, after_fetch="flag")
    _deliver(imap_client, make_mail(subject="Fica na caixa"))
    assert fetch_mailbox(imap_mailbox.pk) == 1
    imap_client.select_folder("INBOX")
    flags = imap_client.get_flags(imap_client.search(["ALL"]))
    assert all(b"\\Flagged" in f and b"\\Seen" in f for f in flags.values())
    assert fetch_mailbox(imap_mailbox.pk) == 0
    assert Ticket.objects.count() == 1


def test_a_broken_mail_does_not_stop_the_others(imap_mailbox, imap_client, settings):
    settings.MAIL_MAX_BYTES = 20_000
    big = make_mail(attachments=[("big.bin", b"x" * 30_000, "application/octet-stream")])
    _deliver(imap_client, make_mail(subject="Antes"), big, make_mail(subject="Depois"))
    assert fetch_mailbox(imap_mailbox.pk) == 3
    assert sorted(Ticket.objects.values_list("subject", flat=True)) == ["Antes", "Depois"]
    assert QuarantinedMail.objects.get().reason == "too_large"


def test_mail_stored_before_a_crash_is_moved_not_read_again(imap_mailbox, imap_client):
    _deliver(imap_client, make_mail(subject="Um"), make_mail(subject="Dois"))
    # The first run stores one mail and dies before moving it.
    assert fetch_mailbox(imap_mailbox.pk, limit=1) == 1
    imap_client.select_folder("Amparo/Processed")
    # Pretend the move never happened: put it back in the inbox.
    imap_client.select_folder("Amparo/Processed")
    moved = imap_client.search(["ALL"])
    imap_client.move(moved, "INBOX")
    Mailbox.objects.filter(pk=imap_mailbox.pk).update(last_uid=1)
    assert fetch_mailbox(imap_mailbox.pk) >= 1
    assert Message.objects.filter(author_kind=AuthorKind.CONTACT).count() == 2
    imap_client.select_folder("INBOX")
    assert imap_client.search(["ALL"]) == []


def test_idle_wakes_up_when_mail_arrives(imap_mailbox, imap_client):
    def later() -> None:
        time.sleep(1)
        _deliver(imap_client, make_mail(subject="Chegou"))

    thread = threading.Thread(target=later)
    thread.start()
    started = time.monotonic()
    assert wait_for_mail(imap_mailbox, seconds=20) is True
    thread.join()
    assert time.monotonic() - started < 15
    assert fetch_mailbox(imap_mailbox.pk) == 1


@pytest.mark.parametrize("security", ["ssl", "starttls"])
def test_tls_connections_verify_the_certificate(
    imap_mailbox, imap_client, dovecot, security, monkeypatch
):
    port = dovecot.tls_port if security == "ssl" else dovecot.port
    mailbox_update(mailbox=imap_mailbox, imap_security=security, imap_port=port)
    _deliver(imap_client, make_mail(subject="Por TLS"))
    with pytest.raises(ssl.SSLCertVerificationError):
        fetch_mailbox(imap_mailbox.pk)  # a certificate nobody vouched for is refused
    monkeypatch.setenv("SSL_CERT_FILE", str(dovecot.cert_file))
    assert fetch_mailbox(imap_mailbox.pk) == 1
    assert Ticket.objects.get().subject == "Por TLS"
