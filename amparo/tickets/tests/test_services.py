from __future__ import annotations

import pytest

from amparo.core.actors import Actor
from amparo.core.errors import DomainError
from amparo.testing.factories import ContactFactory, make_ticket
from amparo.tickets.models import EventKind, Message, Status, Ticket
from amparo.tickets.services import message_add, ticket_merge, ticket_update

pytestmark = pytest.mark.django_db


def test_new_ticket_has_first_message_and_created_event(contact):
    ticket = make_ticket(contact=contact)
    assert ticket.status == Status.NEW
    assert ticket.messages.count() == 1
    assert list(ticket.events.values_list("kind", flat=True)) == [
        EventKind.CREATED,
        EventKind.MESSAGE,
    ]
    ticket.refresh_from_db()
    assert ticket.message_count == 1


def test_agent_reply_opens_and_records_first_response(contact, agent_a, team_a):
    ticket = make_ticket(contact=contact, team=team_a)
    message_add(ticket=ticket, actor=Actor.of_agent(agent_a), body_text="Vamos verificar.")
    ticket.refresh_from_db()
    assert ticket.status == Status.OPEN
    assert ticket.first_response_at is not None


def test_internal_note_is_not_a_first_response(contact, agent_a):
    ticket = make_ticket(contact=contact)
    message_add(ticket=ticket, actor=Actor.of_agent(agent_a), body_text="nota", is_internal=True)
    ticket.refresh_from_db()
    assert ticket.first_response_at is None


def test_customer_reply_reopens_solved_ticket(contact, agent_a):
    ticket = make_ticket(contact=contact)
    ticket_update(ticket=ticket, actor=Actor.of_agent(agent_a), status=Status.SOLVED)
    message_add(ticket=ticket, actor=Actor.of_contact(contact), body_text="Ainda não funcionou")
    ticket.refresh_from_db()
    assert ticket.status == Status.OPEN
    assert ticket.solved_at is None


def test_customer_message_on_closed_ticket_starts_follow_up(contact, agent_a):
    ticket = make_ticket(contact=contact)
    ticket_update(ticket=ticket, actor=Actor.of_agent(agent_a), status=Status.CLOSED)
    message = message_add(ticket=ticket, actor=Actor.of_contact(contact), body_text="De novo")
    assert message.ticket_id != ticket.pk
    assert message.ticket.subject == ticket.subject
    ticket.refresh_from_db()
    assert ticket.status == Status.CLOSED


def test_same_external_id_twice_is_one_message(contact):
    ticket = make_ticket(contact=contact)
    first = message_add(
        ticket=ticket,
        actor=Actor.of_contact(contact),
        body_text="a",
        external_id="<abc@example.org>",
    )
    second = message_add(
        ticket=ticket,
        actor=Actor.of_contact(contact),
        body_text="a",
        external_id="<abc@example.org>",
    )
    assert first.pk == second.pk
    assert Message.objects.filter(external_id="<abc@example.org>").count() == 1


def test_html_from_outside_is_sanitized(contact):
    ticket = make_ticket(contact=contact, body="")
    message = message_add(
        ticket=ticket,
        actor=Actor.of_contact(contact),
        body_html='<p onclick="x()">Oi<script>alert(1)</script><img src="javascript:alert(1)"></p>',
    )
    assert "script" not in message.body_html
    assert "onclick" not in message.body_html
    assert "javascript:" not in message.body_html
    assert "Oi" in message.body_text


def test_every_change_writes_one_event(contact, agent_a, team_b):
    ticket = make_ticket(contact=contact)
    before = ticket.events.count()
    ticket_update(
        ticket=ticket, actor=Actor.of_agent(agent_a), priority=4, team=team_b, assignee=agent_a
    )
    kinds = list(ticket.events.values_list("kind", flat=True)[before:])
    assert EventKind.PRIORITY in kinds and EventKind.TEAM in kinds and EventKind.ASSIGNEE in kinds
    # Setting the same values again changes nothing.
    count = ticket.events.count()
    ticket_update(ticket=ticket, actor=Actor.of_agent(agent_a), priority=4, team=team_b)
    assert ticket.events.count() == count


def test_merge_moves_messages_and_closes_source(agent_a):
    maria = ContactFactory()
    joao = ContactFactory()
    source = make_ticket(contact=maria, body="primeiro")
    target = make_ticket(contact=joao, body="segundo")
    ticket_merge(source=source, target=target, actor=Actor.of_agent(agent_a))
    source.refresh_from_db()
    target.refresh_from_db()
    assert source.status == Status.CLOSED and source.merged_into_id == target.pk
    assert target.messages.count() == 2 and target.message_count == 2
    assert target.follower_contacts.filter(pk=maria.pk).exists()
    # A reply to the merged ticket lands on the target.
    message = message_add(
        ticket=Ticket.objects.get(pk=source.pk), actor=Actor.of_agent(agent_a), body_text="ok"
    )
    assert message.ticket_id == target.pk


def test_unknown_custom_field_is_refused(contact, agent_a):
    ticket = make_ticket(contact=contact)
    with pytest.raises(DomainError) as info:
        ticket_update(ticket=ticket, actor=Actor.of_agent(agent_a), custom_fields={"nope": 1})
    assert info.value.field == "custom_fields.nope"


@pytest.fixture
def required_fields(db):
    from amparo.core.models import CustomFieldDefinition, CustomFieldTarget, CustomFieldType

    for key, shown in (("cost_center", False), ("order", True)):
        CustomFieldDefinition.objects.create(
            target=CustomFieldTarget.TICKET,
            key=key,
            label=key,
            field_type=CustomFieldType.TEXT,
            required=True,
            visible_to_customers=shown,
        )


def test_required_fields_never_refuse_a_ticket_from_a_channel(contact, required_fields):
    ticket = make_ticket(contact=contact, actor=Actor.of_contact(contact))
    assert ticket.custom_fields == {}


def test_an_agent_creating_a_ticket_must_fill_required_fields(contact, agent_a, required_fields):
    with pytest.raises(DomainError) as error:
        make_ticket(contact=contact, actor=Actor.of_agent(agent_a), custom_fields={"order": "1"})
    assert error.value.field == "custom_fields.cost_center"
    assert not Ticket.objects.exists()


def test_a_required_field_cannot_be_cleared(contact, agent_a, required_fields):
    ticket = make_ticket(contact=contact)
    ticket_update(
        ticket=ticket,
        actor=Actor.of_agent(agent_a),
        custom_fields={"order": "7", "cost_center": "RH"},
    )
    with pytest.raises(DomainError) as error:
        ticket_update(ticket=ticket, actor=Actor.of_agent(agent_a), custom_fields={"order": None})
    assert error.value.field == "custom_fields.order"
    ticket.refresh_from_db()
    assert ticket.custom_fields == {"order": "7", "cost_center": "RH"}
