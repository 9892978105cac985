"""Rebuilding the indexes (after bulk loads that bypass the triggers), the command, and the
triggers surviving other apps' migrations."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db import connection

from amparo.core.actors import Actor
from amparo.search.backends import backend
from amparo.search.models import ALL, IndexState
from amparo.search.services import search_rebuild, search_suspend
from amparo.testing.factories import ContactFactory, make_ticket
from amparo.tickets.models import Message, Ticket
from amparo.tickets.services import message_add, ticket_update


def _run(*args: str) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("search", *args, stdout=out, stderr=err)
    except SystemExit as exc:
        return int(exc.code or 0), out.getvalue() + err.getvalue()
    return 0, out.getvalue() + err.getvalue()


@pytest.mark.django_db
def test_a_suspended_index_finds_nothing_until_rebuilt(found, index_sound):
    ticket = make_ticket(subject="Fibra rompida", body="Poste caiu na rua")
    contact = ContactFactory(name="Zuleica Prado")
    search_suspend()
    later = make_ticket(subject="Fibra nova")  # written while suspended
    # Rows loaded before are not found; SQLite's triggers also wait for the rebuild, while
    # PostgreSQL's go on upserting (harmless there, and safe against concurrent writers).
    assert found("fibra") == (set() if connection.vendor == "sqlite" else {later.pk})
    code, output = _run("check")
    assert code == 1
    assert "not built or rebuild unfinished" in output
    search_rebuild(batch=1)
    assert found("fibra") == {ticket.pk, later.pk}
    assert found("poste") == {ticket.pk}
    from amparo.search.selectors import contact_match_q

    assert list(type(contact).objects.filter(contact_match_q("zule"))) == [contact]
    index_sound()
    assert {s.name: s.indexed_upto for s in IndexState.objects.all()} == {
        "tickets": ALL,
        "contacts": ALL,
    }


@pytest.mark.django_db
def test_writes_during_a_rebuild_keep_the_index_right(found, agent_a, index_sound):
    """The rebuild stops at some id; writes below it go through the triggers, writes above it
    are left to the batches still to come. Either way the index ends exactly right."""
    tickets = [make_ticket(subject=f"Chamado {n}", body="Sinal fraco") for n in range(6)]
    impl = backend()
    with connection.cursor() as cursor:
        impl.clear(cursor, "tickets")
        IndexState.objects.update_or_create(name="tickets", defaults={"indexed_upto": 0})
        upto = impl.index_batch(cursor, "tickets", 0, 3)
        IndexState.objects.filter(name="tickets").update(indexed_upto=upto)
    assert upto == tickets[2].pk
    below, above = tickets[1], tickets[4]
    for ticket in (below, above):
        message_add(ticket=ticket, actor=Actor.of_agent(agent_a), body_text="Trocar roteador")
        ticket_update(ticket=ticket, actor=Actor.of_agent(agent_a), subject="Roteador trocado")
    Message.objects.filter(ticket=tickets[0]).delete()
    Message.objects.filter(ticket=tickets[5]).update(ticket=tickets[2])  # moves across the mark
    new = make_ticket(subject="Outro", body="Roteador novo")
    with connection.cursor() as cursor:
        after = upto
        while after != ALL:
            after = impl.index_batch(cursor, "tickets", after, 2)
        IndexState.objects.filter(name="tickets").update(indexed_upto=ALL)
        impl.finish(cursor, "tickets")
    assert found("roteador") == {below.pk, above.pk, new.pk}
    assert found("sinal") == {t.pk for t in tickets[1:5]} | {tickets[2].pk}
    index_sound()


@pytest.mark.django_db
def test_the_command(index_sound):
    make_ticket(subject="Qualquer")
    code, output = _run("rebuild", "--batch", "1")
    assert code == 0
    assert "tickets: done" in output
    assert "contacts: done" in output
    code, output = _run("check", "--deep")
    assert (code, output) == (0, "tickets: ok\ncontacts: ok\n")
    code, output = _run("status")
    assert "tickets: current, rebuilt" in output
    assert _run()[0] == 64
    index_sound()


@pytest.mark.django_db
def test_check_reports_missing_triggers():
    impl = backend()
    name = next(iter(impl.TRIGGERS))
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"DROP TRIGGER {name}")
        else:
            cursor.execute(f"DROP TRIGGER {name} ON {impl.TRIGGERS[name][0]}")
    code, output = _run("check")
    assert code == 1
    assert f"missing: {name}" in output
    from amparo.search.schema import ensure_installed

    ensure_installed()
    assert _run("check")[0] == 0


@pytest.mark.django_db(transaction=True)
def test_other_apps_migrations_do_not_break_search(found):
    """SQLite alters a table by copying it into a new one and renaming that, which fails while
    a view or another table's trigger names the table, and drops the table's own triggers:
    amparo.search steps aside before such migrations and comes back after. PostgreSQL alters
    columns in place, which its trigger functions (columns named only in their bodies) allow."""
    import copy

    from django.db import migrations
    from django.db.migrations.executor import MigrationExecutor

    from amparo.search import schema

    ticket = make_ticket(subject="Antes da migração", body="texto antigo")
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            backend().uninstall(cursor)  # what pre_migrate does when tickets migrations run
        with connection.schema_editor() as editor:
            editor._remake_table(Message)  # what AlterField/AddField with a default do
            editor._remake_table(Ticket)
        schema.ensure_installed()  # what post_migrate does
    else:
        subject = Ticket._meta.get_field("subject")
        wider = copy.deepcopy(subject)
        wider.max_length = 300
        with connection.schema_editor() as editor:
            editor.alter_field(Ticket, subject, wider)  # ALTER COLUMN … TYPE varchar(300)
            editor.alter_field(Ticket, wider, subject)
    message_add(ticket=ticket, actor=Actor.system(), body_text="texto novo depois")
    assert found("novo depois") == {ticket.pk}
    assert found("antigo migracao") == {ticket.pk}
    # And the signal handlers are wired to migrate: on SQLite a plan with a tickets migration
    # drops the triggers first (the table rebuild above would otherwise fail); PostgreSQL
    # keeps them throughout. Either way they are all there after the migration.
    plan = [(MigrationExecutor(connection).loader.graph.nodes[("tickets", "0001_initial")], False)]
    assert isinstance(plan[0][0], migrations.Migration)
    everything = len(backend().TRIGGERS) + len(getattr(backend(), "VIEWS", ()))
    schema._before_migrate(using="default", plan=plan)
    with connection.cursor() as cursor:
        during = len(backend().installed(cursor))
    assert during == (0 if connection.vendor == "sqlite" else everything)
    schema._after_migrate(using="default")
    with connection.cursor() as cursor:
        assert len(backend().installed(cursor)) == everything
