"""Full-text search of tickets: what matches, who may find what, and that writes of every
kind keep the index exactly right (checked against the rows after each change)."""

from __future__ import annotations

import pytest

from amparo.core.actors import Actor
from amparo.testing.factories import ContactFactory, make_ticket
from amparo.tickets.models import Message, Ticket
from amparo.tickets.services import message_add, ticket_merge, ticket_update

pytestmark = pytest.mark.django_db


def _note(ticket: Ticket, agent, text: str) -> Message:  # type: ignore[no-untyped-def]
    return message_add(ticket=ticket, actor=Actor.of_agent(agent), body_text=text, is_internal=True)


def test_accents_and_case_never_matter(found, index_sound):
    ticket = make_ticket(subject="Cartão bloqueado", body="Não consigo PAGAR a fatura.")
    make_ticket(subject="Outra coisa", body="Nada a ver.")
    assert found("cartao") == {ticket.pk}
    assert found("CARTÃO") == {ticket.pk}
    assert found("nao consigo pagar") == {ticket.pk}
    index_sound()


def test_the_last_word_is_a_prefix_and_the_others_whole_words(found):
    ticket = make_ticket(subject="Pedido de cancelamento", body="Quero cancelar o plano.")
    assert found("cancel") == {ticket.pk}
    assert found("cancel plano") == set()  # "cancel" is a whole word here, and no word is that
    assert found("plano cancel") == {ticket.pk}
    assert found("ca") == set()  # too short to stand for every word starting so


def test_quotes_ask_for_words_side_by_side(found):
    together = make_ticket(subject="Cartão bloqueado", body="Desde ontem.")
    apart = make_ticket(subject="Bloqueado", body="O cartão foi recusado.")
    assert found("cartão bloqueado") == {together.pk, apart.pk}
    assert found('"cartão bloqueado"') == {together.pk}
    assert found('"cartao bloq') == {together.pk}  # an unclosed quote runs to the end


def test_words_may_come_from_different_messages(found, agent_a):
    ticket = make_ticket(subject="Fatura de março", body="O valor veio errado.")
    message_add(ticket=ticket, actor=Actor.of_agent(agent_a), body_text="Reembolso aprovado.")
    assert found("março reembolso") == {ticket.pk}


def test_internal_notes_match_for_agents_only(found, agent_a):
    ticket = make_ticket(subject="Troca de aparelho", body="O aparelho parou.")
    _note(ticket, agent_a, "Cliente VIP, liberar desconto especial")
    assert found("desconto") == {ticket.pk}
    assert found("desconto", include_internal=False) == set()
    assert found('"desconto especial"', include_internal=False) == set()
    # A query mixing public and internal words needs the internal one: customers find nothing.
    assert found("aparelho desconto", include_internal=False) == set()
    assert found("aparelho", include_internal=False) == {ticket.pk}


def test_a_note_made_public_is_found_by_customers(found, agent_a, index_sound):
    ticket = make_ticket(subject="Instalação")
    note = _note(ticket, agent_a, "Técnico agendado para sexta")
    assert found("sexta", include_internal=False) == set()
    Message.objects.filter(pk=note.pk).update(is_internal=False)
    assert found("sexta", include_internal=False) == {ticket.pk}
    index_sound()


def test_ticket_numbers(found):
    first = make_ticket(subject="Primeiro")
    mentions = make_ticket(subject="Outro", body=f"Veja também o chamado {first.pk}.")
    assert found(f"#{first.pk}") == {first.pk}
    assert found(str(first.pk)) == {first.pk, mentions.pk}


def test_subject_changes_are_indexed(found, agent_a, index_sound):
    ticket = make_ticket(subject="Internet lenta")
    ticket_update(ticket=ticket, actor=Actor.of_agent(agent_a), subject="Roteador queimado")
    assert found("lenta") == set()
    assert found("roteador") == {ticket.pk}
    # Changes of other fields leave the document alone (and the index sound).
    ticket_update(ticket=ticket, actor=Actor.of_agent(agent_a), status="pending", priority=3)
    assert found("roteador") == {ticket.pk}
    index_sound()


def test_edited_and_deleted_messages_are_indexed(found, agent_a, index_sound):
    ticket = make_ticket(subject="Cobrança", body="Paguei duas vezes.")
    reply = message_add(ticket=ticket, actor=Actor.of_agent(agent_a), body_text="Vamos estornar.")
    Message.objects.filter(pk=reply.pk).update(body_text="Vamos reembolsar.")
    assert found("estornar") == set()
    assert found("reembolsar") == {ticket.pk}
    index_sound()
    Message.objects.filter(pk=reply.pk).delete()
    assert found("reembolsar") == set()
    assert found("duas vezes") == {ticket.pk}
    index_sound()
    # Delivery updates (frequent) change nothing the index holds.
    Message.objects.filter(ticket=ticket).update(delivery_status="delivered")
    index_sound()


def test_deleted_tickets_leave_the_index(found, index_sound):
    ticket = make_ticket(subject="Apagar este", body="Conteúdo apagado")
    Ticket.objects.filter(pk=ticket.pk).delete()
    assert found("apagado") == set()
    index_sound()


def test_merged_messages_are_found_on_the_target(found, agent_a, index_sound):
    contact = ContactFactory()
    source = make_ticket(contact=contact, subject="Duplicado", body="Modem piscando vermelho")
    target = make_ticket(contact=contact, subject="Sem sinal", body="Nada funciona")
    ticket_merge(source=source, target=target, actor=Actor.of_agent(agent_a))
    assert found("modem") == {target.pk}
    assert found("duplicado") == {source.pk}  # the source keeps its subject, not the messages
    assert found("sinal piscando") == {target.pk}
    index_sound()


def test_customers_and_merged_contacts_keep_the_index_sound(found, index_sound):
    from amparo.crm.services import contact_merge

    first = ContactFactory(name="Ana")
    second = ContactFactory(name="Ana Souza")
    ticket = make_ticket(contact=first, subject="Portabilidade", body="Quero trazer meu número")
    contact_merge(source=first, target=second)
    assert found("portabilidade") == {ticket.pk}
    index_sound()


def test_long_conversations_are_capped_not_refused(found, agent_a, index_sound):
    from amparo.search.backends import postgresql, sqlite

    assert sqlite.TICKET_CHARS == postgresql.TICKET_CHARS
    ticket = make_ticket(subject="Registro", body="início " + "x" * 30_000)
    for n in range(8):
        # Distinct words: a tsvector holds at most 1 MB of them; the caps keep any ticket below.
        words = " ".join(f"palavra{n}x{i}" for i in range(2_000))
        message_add(ticket=ticket, actor=Actor.of_agent(agent_a), body_text=words)
    assert found("início") == {ticket.pk}
    assert found("palavra0x5") == {ticket.pk}
    index_sound()


@pytest.mark.parametrize(
    "text",
    [
        "'",
        "\\",
        "o'brien \\ \"",
        "a & b | !c <-> d:* e:AB",
        "(((",
        "NEAR(a b) OR c AND NOT d",
        "^col : x*",
        "{subject internal} : desconto",
        "💥 ², ½",
        "%_%",
        '"""',
        "x" * 300,
    ],
)
def test_any_text_is_a_search_never_an_error(found, text):
    make_ticket(subject="O'Brien pediu desconto", body="Código 1/2 & 3|4")
    for include_internal in (True, False):
        found(text, include_internal=include_internal)  # no exception, whatever it finds
    assert found("o'brien") == {Ticket.objects.get().pk}


def test_customers_phrases_and_prefixes_in_public_text(found):
    ticket = make_ticket(subject="Cartão bloqueado", body="Meu cartão de crédito foi recusado")
    assert found('"cartao de credito"', include_internal=False) == {ticket.pk}
    assert found("recus", include_internal=False) == {ticket.pk}


def test_a_phrase_never_runs_from_the_subject_into_the_messages(found):
    ticket = make_ticket(subject="Cartão bloqueado", body="Meu cartão de crédito foi recusado")
    assert found('"bloqueado meu"') == set()
    assert found("bloqueado meu") == {ticket.pk}
