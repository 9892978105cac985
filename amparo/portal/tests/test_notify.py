"""Customers are mailed the team's public replies to their web requests."""

from __future__ import annotations

import pytest
from django.core import mail

from amparo.core.actors import Actor
from amparo.crm.services import contact_update
from amparo.portal.notify import web_reply_deliver
from amparo.testing.factories import make_ticket
from amparo.tickets.models import Channel, DeliveryStatus
from amparo.tickets.services import message_add

pytestmark = pytest.mark.django_db


def test_agent_reply_to_a_web_request_is_mailed_once(customer, agent_a, run_mail_jobs):
    ticket = make_ticket(contact=customer, channel=Channel.WEB, subject="Boleto")
    reply = message_add(ticket=ticket, actor=Actor.of_agent(agent_a), body_text="Segue o boleto.")
    assert reply.delivery_status == DeliveryStatus.QUEUED
    run_mail_jobs()
    (sent,) = mail.outbox
    assert sent.to == ["maria@example.org"]
    assert f"#{ticket.pk}" in sent.subject
    assert "Segue o boleto." in sent.body and "Ana Souza" in sent.body
    assert f"/portal/requests/{ticket.pk}/" in sent.body
    assert "/sign-in/link/" not in sent.body
    reply.refresh_from_db()
    assert reply.delivery_status == DeliveryStatus.SENT

    web_reply_deliver(message_id=reply.pk)
    assert len(mail.outbox) == 1


def test_notes_customer_messages_and_other_channels_are_not_mailed(
    customer, agent_a, run_mail_jobs
):
    web = make_ticket(contact=customer, channel=Channel.WEB)
    message_add(ticket=web, actor=Actor.of_agent(agent_a), body_text="nota", is_internal=True)
    message_add(ticket=web, actor=Actor.of_contact(customer), body_text="oi")
    run_mail_jobs()
    assert mail.outbox == []


def test_notification_follows_the_customers_language(customer, agent_a, run_mail_jobs):
    contact_update(contact=customer, language="en")
    ticket = make_ticket(contact=customer, channel=Channel.WEB, subject="Invoice")
    message_add(ticket=ticket, actor=Actor.of_agent(agent_a), body_text="Here it is.")
    run_mail_jobs()
    assert "New reply to your request" in mail.outbox[0].subject

    customer.user.language = "pt-br"
    customer.user.save(update_fields=["language"])
    message_add(ticket=ticket, actor=Actor.of_agent(agent_a), body_text="Aqui está.")
    run_mail_jobs()
    assert "Nova resposta à sua solicitação" in mail.outbox[1].subject


def test_a_customer_without_address_is_recorded_as_failed(agent_a, run_mail_jobs):
    from amparo.testing.factories import ContactFactory

    phone_only = ContactFactory(name="Zé", identities=[("phone", "+5511988887777")])
    ticket = make_ticket(contact=phone_only, channel=Channel.WEB)
    reply = message_add(ticket=ticket, actor=Actor.of_agent(agent_a), body_text="Olá")
    run_mail_jobs()
    reply.refresh_from_db()
    assert reply.delivery_status == DeliveryStatus.FAILED
    assert mail.outbox == []


def test_customers_in_copy_get_the_reply_too(customer, other_customer, agent_a, run_mail_jobs):
    from amparo.tickets.services import ticket_add_contact_follower

    ticket = make_ticket(contact=customer, channel=Channel.WEB)
    ticket_add_contact_follower(
        ticket=ticket, actor=Actor.of_agent(agent_a), contact=other_customer
    )
    message_add(ticket=ticket, actor=Actor.of_agent(agent_a), body_text="Para os dois.")
    run_mail_jobs()
    assert mail.outbox[0].to == ["maria@example.org"]
    assert mail.outbox[0].cc == ["joao@example.net"]
