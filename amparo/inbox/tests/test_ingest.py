"""Inbound mail end to end through ``ingest``: tickets, threading, duplicates, noise, bounces."""

from __future__ import annotations

import pytest

from amparo.core.actors import Actor
from amparo.crm.models import ContactIdentity
from amparo.inbox.email.ingest import ingest
from amparo.inbox.email.outbound import build
from amparo.inbox.email.threading import instance_token, reply_address
from amparo.inbox.models import BlockedSender, MailMessage, QuarantinedMail
from amparo.inbox.services import mailbox_create
from amparo.tickets.models import AuthorKind, DeliveryStatus, Message, Status, Ticket
from amparo.tickets.services import message_add, ticket_update

from .mails import dsn_for, make_mail

pytestmark = pytest.mark.django_db


def test_new_mail_opens_a_ticket_for_the_sender(mailbox, team_a):
    result = ingest(make_mail(), source="pipe")
    assert result.outcome == "ticket"
    ticket = Ticket.objects.get(pk=result.ticket_id)
    assert ticket.subject == "Não consigo emitir a nota fiscal"
    assert ticket.contact.name == "Maria da Silva"
    assert ticket.team == team_a
    first = ticket.messages.first()
    assert first.author_kind == AuthorKind.CONTACT
    assert "erro ao emitir" in first.body_text
    mail = MailMessage.objects.get(ticket=ticket, direction="in")
    assert mail.raw.read().startswith(b"From:") or b"Message-ID" in mail.raw.read()
    # The acknowledgement is queued as an automatic message with the ticket number.
    ack = ticket.messages.get(author_kind=AuthorKind.SYSTEM)
    assert f"#{ticket.pk}" in ack.body_text
    assert ack.delivery_status == DeliveryStatus.QUEUED


def test_reply_to_our_message_lands_on_the_same_ticket(mailbox, agent_a):
    ticket = Ticket.objects.get(pk=ingest(make_mail(), source="pipe").ticket_id)
    reply = message_add(ticket=ticket, actor=Actor.of_agent(agent_a), body_text="Tente de novo.")
    ours = build(reply)
    answer = make_mail(
        subject=f"Re: {ours.subject}",
        body="Funcionou, obrigada!",
        headers={"In-Reply-To": f"<{ours.message_id}>", "References": f"<{ours.message_id}>"},
    )
    result = ingest(answer, source="pipe")
    assert (result.outcome, result.ticket_id) == ("message", ticket.pk)
    assert Ticket.objects.count() == 1


def test_reply_found_by_references_to_the_customers_first_mail(mailbox):
    first = make_mail(message_id="first@client.example.org")
    ticket_id = ingest(first, source="pipe").ticket_id
    later = make_mail(subject="outra coisa", headers={"References": "<first@client.example.org>"})
    assert ingest(later, source="pipe").ticket_id == ticket_id


def test_reply_address_with_ticket_token_threads(mailbox):
    ticket_id = ingest(make_mail(), source="pipe").ticket_id
    to = reply_address(mailbox_address=mailbox.address, ticket_id=ticket_id)
    assert ingest(make_mail(to=to, subject="sem assunto"), source="pipe").ticket_id == ticket_id
    forged = to.replace(to.split("-")[-1].split("@")[0], "aaaaaaaa")
    assert ingest(make_mail(to=forged), source="pipe").ticket_id != ticket_id


def test_subject_number_threads_only_for_participants(mailbox):
    ticket_id = ingest(make_mail(), source="pipe").ticket_id
    same_person = ingest(make_mail(subject=f"Sobre o chamado [#{ticket_id}]"), source="pipe")
    assert same_person.ticket_id == ticket_id
    stranger = ingest(
        make_mail(sender="x@evil.example", subject=f"Re: [#{ticket_id}]"), source="pipe"
    )
    assert stranger.outcome == "ticket" and stranger.ticket_id != ticket_id


def test_same_message_id_twice_changes_nothing(mailbox):
    raw = make_mail(message_id="once@client.example.org")
    first = ingest(raw, source="imap")
    again = ingest(raw, source="imap")
    assert again.outcome == "duplicate" and again.ticket_id == first.ticket_id
    assert Message.objects.filter(author_kind=AuthorKind.CONTACT).count() == 1


def test_one_mail_to_two_of_our_mailboxes_is_one_ticket(mailbox):
    vendas = mailbox_create(name="Vendas", address="vendas@amparo.test")
    raw = make_mail(to="suporte@amparo.test, vendas@amparo.test", message_id="two@c.example")
    ingest(raw, source="imap", mailbox=mailbox)
    ingest(raw, source="imap", mailbox=vendas)
    assert Ticket.objects.count() == 1


def test_customers_in_copy_become_followers(mailbox, agent_a):
    mailbox_create(name="Vendas", address="vendas@amparo.test")
    raw = make_mail(cc=f"joao@example.org, {agent_a.email}, vendas@amparo.test")
    ticket = Ticket.objects.get(pk=ingest(raw, source="pipe").ticket_id)
    followers = [
        i.value
        for c in ticket.follower_contacts.all()
        for i in ContactIdentity.objects.filter(contact=c)
    ]
    assert followers == ["joao@example.org"]


def test_auto_reply_on_a_ticket_is_a_note_and_elsewhere_quarantined(mailbox, agent_a):
    ticket = Ticket.objects.get(pk=ingest(make_mail(), source="pipe").ticket_id)
    reply = message_add(ticket=ticket, actor=Actor.of_agent(agent_a), body_text="Resolvido.")
    ticket_update(ticket=ticket, actor=Actor.of_agent(agent_a), status=Status.SOLVED)
    ours = build(reply)
    ooo = make_mail(
        subject="Resposta automática: fora do escritório",
        body="Estou de férias até segunda.",
        headers={"Auto-Submitted": "auto-replied", "In-Reply-To": f"<{ours.message_id}>"},
    )
    result = ingest(ooo, source="pipe")
    assert result.outcome == "note"
    note = Message.objects.get(pk=result.message_id)
    assert note.is_internal and note.author_kind == AuthorKind.SYSTEM
    ticket.refresh_from_db()
    assert ticket.status == Status.SOLVED  # an auto-responder does not reopen it
    stray = make_mail(sender="z@example.org", headers={"Auto-Submitted": "auto-generated"})
    assert ingest(stray, source="pipe").outcome == "quarantined"
    assert QuarantinedMail.objects.get().reason == "auto_reply"


def test_no_acknowledgement_for_list_mail_or_noreply(mailbox):
    ingest(make_mail(headers={"List-Id": "<clientes.example.org>"}), source="pipe")
    ingest(make_mail(sender="no-reply@loja.example"), source="pipe")
    assert Ticket.objects.count() == 2
    assert not Message.objects.filter(author_kind=AuthorKind.SYSTEM).exists()


def test_flooding_sender_is_quarantined(mailbox, settings):
    settings.MAIL_FLOOD_LIMIT = 3
    outcomes = [ingest(make_mail(), source="pipe").outcome for _ in range(5)]
    assert outcomes == ["ticket", "ticket", "ticket", "quarantined", "quarantined"]
    assert set(QuarantinedMail.objects.values_list("reason", flat=True)) == {"flood"}
    from datetime import timedelta

    from amparo.inbox.email.flood import prune

    assert prune(older_than=timedelta(0) - timedelta(days=1)) == 1


def test_blocked_sender_and_domain(mailbox):
    BlockedSender.objects.create(pattern="@spam.example")
    assert ingest(make_mail(sender="a@spam.example"), source="pipe").outcome == "quarantined"
    assert QuarantinedMail.objects.get().reason == "blocked"


def test_our_own_mail_coming_back_is_a_loop(mailbox):
    ours = make_mail(headers={"X-Amparo-Instance": instance_token()})
    assert ingest(ours, source="pipe").outcome == "quarantined"
    from_us = make_mail(sender="suporte@amparo.test")
    assert ingest(from_us, source="pipe").outcome == "quarantined"
    assert set(QuarantinedMail.objects.values_list("reason", flat=True)) == {"loop"}
    assert Ticket.objects.count() == 0


def test_broken_and_oversized_mail_is_quarantined_and_the_next_one_works(mailbox, settings):
    settings.MAIL_MAX_BYTES = 5000
    big = make_mail(attachments=[("big.bin", b"x" * 6000, "application/octet-stream")])
    garbage = b"\x00\xff\xfe garbage without headers"
    results = [ingest(raw, source="imap") for raw in (big, garbage, make_mail())]
    assert [r.outcome for r in results] == ["quarantined", "quarantined", "ticket"]
    reasons = {q.reason: q for q in QuarantinedMail.objects.all()}
    # Mail with no sender at all can only come from a mail server: kept as an unmatched report.
    assert set(reasons) == {"too_large", "bounce"}
    assert reasons["too_large"].raw.read() == big


def test_bounce_marks_our_message_and_the_address(mailbox, agent_a):
    ticket = Ticket.objects.get(pk=ingest(make_mail(), source="pipe").ticket_id)
    reply = message_add(ticket=ticket, actor=Actor.of_agent(agent_a), body_text="Segue.")
    ours = build(reply)
    MailMessage.objects.create(
        direction="out",
        message_id=ours.message_id,
        ticket=ticket,
        ticket_message=reply,
        to_addresses=ours.to,
    )
    count = ticket.messages.count()
    result = ingest(dsn_for(original=ours.data, recipient="maria@example.org"), source="pipe")
    assert result.outcome == "bounce"
    reply.refresh_from_db()
    assert reply.delivery_status == DeliveryStatus.BOUNCED
    assert "User unknown" in reply.delivery_error
    identity = ContactIdentity.objects.get(value="maria@example.org")
    assert identity.bouncing_since is not None
    assert ticket.messages.count() == count  # no message written as if by a person


def test_a_customer_writing_again_clears_the_bounce_mark(mailbox, contact):
    from amparo.crm.services import identity_mark_bouncing

    identity_mark_bouncing(addresses=["maria@example.org"], reason="552 mailbox full")
    # An out-of-office reply is not the customer writing (it may come from another system).
    ooo = make_mail(subject="Fora do escritório", headers={"Auto-Submitted": "auto-replied"})
    assert ingest(ooo, source="pipe").outcome == "quarantined"
    assert ContactIdentity.objects.get(value="maria@example.org").bouncing_since is not None
    ticket = Ticket.objects.get(pk=ingest(make_mail(), source="pipe").ticket_id)
    identity = ContactIdentity.objects.get(value="maria@example.org")
    assert identity.bouncing_since is None and identity.bounce_reason == ""
    # Mail to the address resumes at once: the new ticket is acknowledged.
    assert ticket.messages.filter(author_kind=AuthorKind.SYSTEM).exists()


def test_reprocessing_quarantined_mail_makes_the_ticket(mailbox):
    from amparo.inbox.email.quarantine import quarantine_reprocess

    stray = make_mail(sender="z@example.org", headers={"Auto-Submitted": "auto-generated"})
    item = QuarantinedMail.objects.get(pk=ingest(stray, source="pipe").quarantine_id)
    assert quarantine_reprocess(item=item).startswith("ticket")
    item.refresh_from_db()
    assert item.released_at is not None
    assert Ticket.objects.count() == 1


def test_very_long_text_is_shortened_not_lost(mailbox):
    raw = make_mail(body="linha de log\n" * 30_000)
    ticket = Ticket.objects.get(pk=ingest(raw, source="pipe").ticket_id)
    first = ticket.messages.first()
    assert len(first.body_text) < 160_000 and "original" in first.body_text


def test_ordinary_subjects_are_not_mistaken_for_robots(mailbox):
    for subject in ("Férias: como agendar?", "Away from my desk, can't log in", "Pedido rejected"):
        assert ingest(make_mail(subject=subject), source="pipe").outcome == "ticket", subject
    it_admin = make_mail(sender="it-admin@empresa.example", subject="Acesso bloqueado")
    assert ingest(it_admin, source="pipe").outcome == "ticket"
