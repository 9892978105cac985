"""The acknowledgement of a new ticket: language, templates per mailbox or team."""

from __future__ import annotations

import pytest

from amparo.inbox.email.ack import render
from amparo.inbox.email.ingest import ingest
from amparo.inbox.models import AckTemplate
from amparo.tickets.models import Ticket

from .mails import make_mail

pytestmark = pytest.mark.django_db


def _ticket() -> Ticket:
    return Ticket.objects.get(pk=ingest(make_mail(), source="pipe").ticket_id)


def test_builtin_text_in_portuguese_with_number_and_expected_time(mailbox):
    ticket = _ticket()
    subject, body = render(ticket, mailbox)
    assert subject == f"Recebemos sua solicitação [#{ticket.pk}]"
    assert f"chamado #{ticket.pk}" in body
    assert "em até 1 dia" in body


def test_english_customer_gets_english(mailbox):
    ticket = _ticket()
    ticket.contact.language = "en"
    ticket.contact.save()
    subject, body = render(ticket, mailbox)
    assert subject == f"We received your request [#{ticket.pk}]"
    assert "within 1 day" in body


def test_team_template_then_mailbox_template(mailbox, team_a):
    ticket = _ticket()
    AckTemplate.objects.create(
        team=team_a,
        language="pt-br",
        subject="Equipe #{{ ticket.number }}",
        body="Oi {{ customer.first_name }}",
    )
    assert render(ticket, mailbox) == (f"Equipe #{ticket.pk}", "Oi Maria")
    AckTemplate.objects.create(
        mailbox=mailbox, language="pt-br", subject="Caixa", body="Prazo: {{ expected_response }}"
    )
    assert render(ticket, mailbox) == ("Caixa", "Prazo: em até 1 dia")
