"""Mail from an agent's own address: the agent's reply (when signed), else an internal note."""

from __future__ import annotations

import base64
import email
from email import policy

import dkim
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from dkim import dnsplug

from amparo.crm.models import ContactIdentity
from amparo.inbox.email.ingest import ingest
from amparo.inbox.email.threading import reply_address
from amparo.inbox.models import MailMessage
from amparo.tickets.models import AuthorKind, DeliveryStatus, Message, Status, Ticket

from .mails import make_mail

pytestmark = pytest.mark.django_db

AGENT = "Ana Souza <ana@example.com>"


@pytest.fixture
def signer(monkeypatch):
    """Signs mail as example.com, and answers the DNS lookup of its key (no network in tests)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption(),
    )
    public = key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    records = {b"s1._domainkey.example.com.": b"v=DKIM1; k=rsa; p=" + base64.b64encode(public)}
    monkeypatch.setattr(dnsplug, "get_txt", lambda name, timeout=5: records.get(name))

    def sign(raw: bytes, domain: bytes = b"example.com") -> bytes:
        data = email.message_from_bytes(raw, policy=policy.default).as_bytes(policy=policy.SMTP)
        header = dkim.sign(
            data, b"s1", domain, pem, include_headers=[b"from", b"to", b"cc", b"subject"]
        )
        return bytes(header) + data

    return sign


@pytest.fixture
def ticket(mailbox):
    return Ticket.objects.get(pk=ingest(make_mail(), source="pipe").ticket_id)


def _to_ticket(ticket: Ticket, mailbox) -> str:
    return reply_address(mailbox_address=mailbox.address, ticket_id=ticket.pk)


def _no_contact_for_the_agent() -> bool:
    return not ContactIdentity.objects.filter(value="ana@example.com").exists()


@pytest.mark.mail
def test_signed_mail_from_an_agent_is_their_reply_sent_on_to_the_customer(
    smtp_mailbox, smtp_server, ticket, agent_a, signer, run_jobs
):
    run_jobs()  # the acknowledgement of the ticket
    smtp_server.messages.clear()
    raw = signer(
        make_mail(
            sender=AGENT,
            to=_to_ticket(ticket, smtp_mailbox),
            subject=f"Re: {ticket.subject}",
            body="Oi Maria, já corrigimos a emissão. Pode tentar de novo?",
            html=(
                "<p>Oi Maria, já corrigimos a emissão. Pode tentar de novo?</p>"
                '<p><img src="https://cdn.example.com/logo.png" alt="Solar"></p>'
            ),
        )
    )
    result = ingest(raw, source="imap")
    assert result.outcome == "agent_reply" and result.ticket_id == ticket.pk
    reply = Message.objects.get(pk=result.message_id)
    assert reply.author_kind == AuthorKind.AGENT and reply.author_agent == agent_a
    assert not reply.is_internal and "já corrigimos" in reply.body_text
    assert _no_contact_for_the_agent()
    ticket.refresh_from_db()
    # Answered, as after a reply from the desk: open, with its first response time.
    assert ticket.status == Status.OPEN and ticket.first_response_at is not None
    assert list(ticket.follower_contacts.all()) == []
    # The customer gets it from the support address, threaded like any reply of ours.
    assert run_jobs() == ["sent"]
    sent = smtp_server.messages[0]
    assert sent["to"] == ["maria@example.org"]
    msg = email.message_from_bytes(sent["data"], policy=policy.default)
    assert msg["From"] == "Suporte <suporte@amparo.test>"
    assert "já corrigimos" in msg.get_body(("plain",)).get_content()
    # The desk held the signature's logo back; the customer's copy has it again.
    assert 'src="https://cdn.example.com/logo.png"' not in reply.body_html
    assert 'src="https://cdn.example.com/logo.png"' in msg.get_body(("html",)).get_content()
    reply.refresh_from_db()
    assert reply.delivery_status == DeliveryStatus.SENT
    # The agent's original stays downloadable for agents, like any other mail.
    assert MailMessage.objects.get(direction="in", ticket_message=reply).raw


@pytest.mark.mail
def test_reply_all_that_already_reached_the_customer_is_not_sent_twice(
    smtp_mailbox, smtp_server, ticket, agent_a, signer, run_jobs
):
    run_jobs()
    smtp_server.messages.clear()
    raw = signer(
        make_mail(
            sender=AGENT,
            to="maria@example.org",
            cc=_to_ticket(ticket, smtp_mailbox),
            subject=f"Re: {ticket.subject}",
            body="Respondi a todos.",
        )
    )
    result = ingest(raw, source="imap")
    reply = Message.objects.get(pk=result.message_id)
    assert reply.author_agent == agent_a and not reply.is_internal
    assert reply.delivery_status == DeliveryStatus.SENT
    assert run_jobs() == ["already sent"]
    assert smtp_server.messages == []


@pytest.mark.mail
def test_unsigned_mail_from_an_agents_address_is_only_an_internal_note(
    smtp_mailbox, smtp_server, ticket, agent_a, run_jobs
):
    run_jobs()
    smtp_server.messages.clear()
    forged = make_mail(
        sender=AGENT,
        to=_to_ticket(ticket, smtp_mailbox),
        subject=f"Re: {ticket.subject}",
        body="Seu reembolso foi aprovado, informe seus dados bancários.",
    )
    result = ingest(forged, source="pipe")
    assert result.outcome == "note" and result.ticket_id == ticket.pk
    note = Message.objects.get(pk=result.message_id)
    assert note.is_internal and note.author_kind == AuthorKind.SYSTEM
    # Written in the site language (pt-BR), like every automatic text of the ticket.
    assert "não enviado ao cliente" in note.body_text
    assert "DKIM" in note.body_text and "reembolso" in note.body_text
    assert note.delivery_status == DeliveryStatus.NONE
    assert run_jobs() == [] and smtp_server.messages == []  # nothing goes out
    assert _no_contact_for_the_agent()
    assert Ticket.objects.count() == 1


def test_signature_of_another_domain_does_not_vouch_for_the_agent(mailbox, ticket, agent_a, signer):
    raw = signer(
        make_mail(sender=AGENT, to=_to_ticket(ticket, mailbox), body="Assinado por outro."),
        domain=b"evil.example",
    )
    result = ingest(raw, source="pipe")
    assert result.outcome == "note"
    assert Message.objects.get(pk=result.message_id).is_internal


def test_agent_who_may_not_see_the_ticket_gets_a_note_not_a_reply(mailbox, ticket, agent_b, signer):
    raw = signer(
        make_mail(
            sender="Bruno Lima <bruno@example.com>",
            to=_to_ticket(ticket, mailbox),
            body="Posso ajudar?",
        )
    )
    result = ingest(raw, source="pipe")
    note = Message.objects.get(pk=result.message_id)
    assert result.outcome == "note" and note.is_internal
    assert "Bruno Lima não tem acesso a este chamado" in note.body_text
    assert not ContactIdentity.objects.filter(value="bruno@example.com").exists()


def test_deactivated_agent_gets_a_note(mailbox, ticket, agent_a, signer):
    agent_a.is_active = False
    agent_a.save(update_fields=["is_active"])
    raw = signer(make_mail(sender=AGENT, to=_to_ticket(ticket, mailbox), body="Ainda aqui."))
    note = Message.objects.get(pk=ingest(raw, source="pipe").message_id)
    assert note.is_internal and "não é mais um agente ativo" in note.body_text
    assert _no_contact_for_the_agent()


def test_agent_threads_by_ticket_number_in_the_subject_when_they_may_see_it(
    mailbox, ticket, agent_a, agent_b, signer
):
    mine = signer(make_mail(sender=AGENT, subject=f"Sobre o chamado [#{ticket.pk}]"))
    assert ingest(mine, source="pipe").ticket_id == ticket.pk
    # Bruno's team does not see it: his mail is not threaded into it by number.
    other = signer(
        make_mail(sender="Bruno Lima <bruno@example.com>", subject=f"Re: [#{ticket.pk}]")
    )
    assert ingest(other, source="pipe").ticket_id != ticket.pk


def test_an_agent_writing_their_own_request_is_its_requester(mailbox, agent_a):
    """A fresh mail from an agent (an internal request, or trying the desk out) opens a ticket
    with the agent as requester; their later mail on it is the requester writing."""
    first = ingest(make_mail(sender=AGENT, message_id="ana-1@example.com"), source="pipe")
    assert first.outcome == "ticket"
    ticket = Ticket.objects.get(pk=first.ticket_id)
    assert ticket.contact.identities.get().value == "ana@example.com"
    again = make_mail(
        sender=AGENT, body="Mais um detalhe.", headers={"In-Reply-To": "<ana-1@example.com>"}
    )
    result = ingest(again, source="pipe")
    assert (result.outcome, result.ticket_id) == ("message", ticket.pk)
    assert Message.objects.get(pk=result.message_id).author_kind == AuthorKind.CONTACT
