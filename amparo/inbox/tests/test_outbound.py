"""Replies by SMTP to a real server (aiosmtpd): headers, threading, status, retries, DKIM."""

from __future__ import annotations

import email
from email import policy

import pytest

from amparo.core.actors import Actor
from amparo.inbox.email.ingest import ingest
from amparo.inbox.models import MailMessage
from amparo.tickets.models import AuthorKind, DeliveryStatus, Message, Ticket
from amparo.tickets.services import NewAttachment, message_add

from .mails import make_mail

pytestmark = [pytest.mark.django_db, pytest.mark.mail]


def _received(smtp_server, index: int = -1):
    return email.message_from_bytes(smtp_server.messages[index]["data"], policy=policy.default)


def test_agent_reply_is_sent_threaded_and_the_answer_comes_back(
    smtp_mailbox, smtp_server, agent_a, run_jobs
):
    first = make_mail(message_id="start@client.example.org", cc="joao@example.org")
    ticket = Ticket.objects.get(pk=ingest(first, source="pipe").ticket_id)
    run_jobs()  # the acknowledgement
    smtp_server.messages.clear()
    reply = message_add(
        ticket=ticket,
        actor=Actor.of_agent(agent_a),
        body_text="Segue o boleto.",
        body_html="<p>Segue o <b>boleto</b>.</p>",
        attachments=[NewAttachment(filename="boleto.pdf", data=b"%PDF-1.4 test")],
    )
    assert reply.delivery_status == DeliveryStatus.QUEUED
    assert run_jobs() == ["sent"]
    sent = smtp_server.messages[0]
    assert sent["to"] == ["maria@example.org", "joao@example.org"]
    msg = _received(smtp_server)
    assert msg["In-Reply-To"] == "<start@client.example.org>"
    assert "<start@client.example.org>" in msg["References"]
    assert f"[#{ticket.pk}]" in msg["Subject"]
    assert msg["From"] == "Suporte <suporte@amparo.test>"  # the team name
    assert msg["Reply-To"].startswith(f"suporte+t{ticket.pk}-")
    assert msg["Auto-Submitted"] is None
    assert msg.get_body(("plain",)).get_content().strip() == "Segue o boleto."
    assert "<b>boleto</b>" in msg.get_body(("html",)).get_content()
    assert [p.get_filename() for p in msg.iter_attachments()] == ["boleto.pdf"]
    reply.refresh_from_db()
    assert reply.delivery_status == DeliveryStatus.SENT
    assert MailMessage.objects.get(direction="out", ticket_message=reply).raw
    # The customer answers from their client: the answer lands on the same ticket.
    answer = make_mail(
        subject=f"Re: {msg['Subject']}",
        body="Recebi, obrigada.",
        headers={"In-Reply-To": msg["Message-ID"], "References": msg["Message-ID"]},
    )
    result = ingest(answer, source="pipe")
    assert (result.outcome, result.ticket_id) == ("message", ticket.pk)


def test_acknowledgement_is_marked_automatic(smtp_mailbox, smtp_server, run_jobs):
    ticket = Ticket.objects.get(pk=ingest(make_mail(), source="pipe").ticket_id)
    assert run_jobs() == ["sent"]
    msg = _received(smtp_server)
    assert msg["Auto-Submitted"] == "auto-replied"
    assert f"#{ticket.pk}" in msg["Subject"]
    assert f"#{ticket.pk}" in msg.get_body(("plain",)).get_content()


def test_rejected_recipient_fails_with_the_reason(smtp_mailbox, smtp_server, agent_a, run_jobs):
    smtp_server.reject["maria@example.org"] = "550 5.1.1 No such user"
    ticket = Ticket.objects.get(pk=ingest(make_mail(), source="pipe").ticket_id)
    run_jobs()
    ack = ticket.messages.get(author_kind=AuthorKind.SYSTEM)
    ack.refresh_from_db()
    assert ack.delivery_status == DeliveryStatus.FAILED
    assert "No such user" in ack.delivery_error


def test_unreachable_server_is_retried_then_fails(mailbox, agent_a, run_jobs, settings):
    settings.MAIL_SEND_ATTEMPTS = 2
    ticket = Ticket.objects.get(pk=ingest(make_mail(), source="pipe").ticket_id)
    ack = ticket.messages.get(author_kind=AuthorKind.SYSTEM)
    run_jobs()  # attempt 1: connection refused, a retry is stored for later
    ack.refresh_from_db()
    assert ack.delivery_status == DeliveryStatus.QUEUED
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.filter(status="READY").update(run_after=ack.created_at)
    run_jobs()  # attempt 2: gives up
    ack.refresh_from_db()
    assert ack.delivery_status == DeliveryStatus.FAILED
    assert "Connection" in ack.delivery_error or "refused" in ack.delivery_error


def test_sending_twice_sends_once(smtp_mailbox, smtp_server, agent_a):
    from amparo.inbox.email.sending import send_message

    ticket = Ticket.objects.get(pk=ingest(make_mail(), source="pipe").ticket_id)
    reply = message_add(ticket=ticket, actor=Actor.of_agent(agent_a), body_text="Oi")
    assert send_message(reply.pk) == "sent"
    assert send_message(reply.pk) == "already sent"
    assert len([m for m in smtp_server.messages if b"Oi" in m["data"]]) == 1


def test_dkim_signature_verifies(smtp_mailbox, smtp_server, agent_a, run_jobs):
    import dkim
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    from amparo.inbox.services import mailbox_update

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption(),
    ).decode()
    public = key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    mailbox_update(
        mailbox=smtp_mailbox, dkim_domain="amparo.test", dkim_selector="s1", dkim_private_key=pem
    )
    ingest(make_mail(), source="pipe")
    run_jobs()
    import base64

    record = b"v=DKIM1; k=rsa; p=" + base64.b64encode(public)

    def dns(name, timeout=5):  # type: ignore[no-untyped-def]
        return record if name == b"s1._domainkey.amparo.test." else None

    assert dkim.verify(smtp_server.messages[-1]["data"], dnsfunc=dns)
    assert Message.objects.filter(delivery_status=DeliveryStatus.SENT).count() == 1


def test_smtp_starttls_and_authentication(mailbox, agent_a, run_jobs, tmp_path, monkeypatch):
    import ssl

    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult, LoginPassword

    from amparo.inbox.services import mailbox_update

    from .conftest import _Collector
    from .dovecot import free_port, write_self_signed

    def check(server, session, envelope, mechanism, auth_data):  # type: ignore[no-untyped-def]
        ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (
            b"suporte",
            b"smtp-s3cret",
        )
        return AuthResult(success=ok)

    write_self_signed(tmp_path / "cert.pem", tmp_path / "key.pem")
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(tmp_path / "cert.pem", tmp_path / "key.pem")
    monkeypatch.setenv("SSL_CERT_FILE", str(tmp_path / "cert.pem"))
    collector = _Collector()
    controller = Controller(
        collector,
        hostname="127.0.0.1",
        port=free_port(),
        authenticator=check,
        auth_required=True,
        tls_context=context,
        require_starttls=True,
    )
    controller.start()
    try:
        mailbox_update(
            mailbox=mailbox,
            smtp_host="127.0.0.1",
            smtp_port=controller.port,
            smtp_security="starttls",
            smtp_username="suporte",
            smtp_password="smtp-s3cret",
        )
        ingest(make_mail(), source="pipe")
        assert run_jobs() == ["sent"]
        assert len(collector.messages) == 1
    finally:
        controller.stop()
