"""SQLite: FTS5 external-content indexes over views, kept current by triggers.

One FTS5 row per ticket (rowid = ticket id) with three columns: subject, public (the text of
every customer-visible message) and internal (internal notes). A customer's query is limited
to the first two with a column filter. One FTS5 row per contact: name, organization name and
identity values (emails, phones, handles).

The index stores no text of its own: its content is a view over the tickets (or CRM) tables.
FTS5 then requires that a row is deleted from the index with exactly the text it was indexed
with, which the triggers do by deleting *before* a change (reading the view as it was) and
inserting *after* it. Two consequences shape this module:

- The views and the triggers of other tables read other apps' tables, and SQLite refuses to
  rename a table while a view or trigger names a missing one, which is what Django does when
  it rebuilds a table in a migration. So only the FTS5 tables are created by the migration;
  views and triggers are dropped before other apps' migrations run and created again after
  (``uninstall``/``install``, called from amparo.search.schema).
- A row the index does not hold must never be deleted from it. Triggers act only on ids up to
  ``search_indexstate.indexed_upto``; a rebuild clears the index, then raises that mark
  batch by batch (rows above it are picked up by a later batch).

Tokenizer: unicode61 with remove_diacritics 2 (case and accents folded, "cartao" = "Cartão"),
no stemming, like the PostgreSQL backend.
"""

# SQL here is assembled from this module's constants (table, column, trigger names); what
# people type only ever travels as a query parameter.
# ruff: noqa: S608

from __future__ import annotations

from typing import Any

from django.db import DatabaseError
from django.db.models import BigIntegerField, F, Func, Q
from django.db.models.expressions import RawSQL
from django.db.models.lookups import In

from amparo.search.models import ALL
from amparo.search.query import SearchQuery, Term

TOKENIZE = "unicode61 remove_diacritics 2"
# Per-message and per-ticket caps on indexed text; PostgreSQL uses the same (see there).
MESSAGE_CHARS = 20_000
TICKET_CHARS = 100_000

TICKET_FTS = "search_ticket_fts"
CONTACT_FTS = "search_contact_fts"

CREATE_TABLES = [
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {TICKET_FTS} USING fts5("
    "subject, public, internal, content='search_ticket_doc', content_rowid='id', "
    f"tokenize='{TOKENIZE}', prefix='3')",
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {CONTACT_FTS} USING fts5("
    "name, organization, identities, content='search_contact_doc', content_rowid='id', "
    f"tokenize='{TOKENIZE}', prefix='2 3')",
]
DROP_TABLES = [f"DROP TABLE IF EXISTS {TICKET_FTS}", f"DROP TABLE IF EXISTS {CONTACT_FTS}"]


def _messages(internal: int) -> str:
    # The ORDER BY subquery fixes the order group_concat sees (created_at, id), so the same
    # rows always give the same text, as an external-content delete requires.
    return (
        "coalesce(substr((SELECT group_concat(b, char(10)) FROM ("
        f"SELECT substr(m.body_text, 1, {MESSAGE_CHARS}) AS b FROM tickets_message m "
        f"WHERE m.ticket_id = t.id AND m.is_internal = {internal} ORDER BY m.created_at, m.id"
        f")), 1, {TICKET_CHARS}), '')"
    )


VIEWS = {
    "search_ticket_doc": (
        "SELECT t.id AS id, t.subject AS subject, "
        f"{_messages(0)} AS public, {_messages(1)} AS internal FROM tickets_ticket t"
    ),
    "search_contact_doc": (
        "SELECT c.id AS id, c.name AS name, "
        "coalesce((SELECT o.name FROM crm_organization o WHERE o.id = c.organization_id), '')"
        " AS organization, "
        "coalesce((SELECT group_concat(v, ' ') FROM (SELECT i.value AS v FROM "
        "crm_contactidentity i WHERE i.contact_id = c.id ORDER BY i.id)), '') AS identities "
        "FROM crm_contact c"
    ),
}

_UPTO = "coalesce((SELECT indexed_upto FROM search_indexstate WHERE name = '{name}'), 0)"
T_UPTO = _UPTO.format(name="tickets")
C_UPTO = _UPTO.format(name="contacts")


def _ticket_del(expr: str) -> str:
    return f"DELETE FROM {TICKET_FTS} WHERE rowid = {expr} AND {expr} <= {T_UPTO};"


def _ticket_ins(where: str) -> str:
    return (
        f"INSERT INTO {TICKET_FTS}(rowid, subject, public, internal) "
        f"SELECT id, subject, public, internal FROM search_ticket_doc WHERE {where} "
        f"AND id <= {T_UPTO};"
    )


def _contact_del(where: str) -> str:
    return f"DELETE FROM {CONTACT_FTS} WHERE rowid IN (SELECT id FROM crm_contact WHERE {where} AND id <= {C_UPTO});"


def _contact_ins(where: str) -> str:
    return (
        f"INSERT INTO {CONTACT_FTS}(rowid, name, organization, identities) "
        f"SELECT id, name, organization, identities FROM search_contact_doc WHERE {where} "
        f"AND id <= {C_UPTO};"
    )


_MSG_CHANGED = (
    "old.ticket_id IS NOT new.ticket_id OR old.is_internal IS NOT new.is_internal "
    "OR old.body_text IS NOT new.body_text OR old.created_at IS NOT new.created_at"
)
_MSG_COLS = "ticket_id, is_internal, body_text, created_at"
_CONTACT_CHANGED = "old.name IS NOT new.name OR old.organization_id IS NOT new.organization_id"
_IDENT_CHANGED = "old.contact_id IS NOT new.contact_id OR old.value IS NOT new.value"

# name: (timing and event, WHEN condition or "", body)
TRIGGERS: dict[str, tuple[str, str, str]] = {
    # Tickets: the subject.
    "search_ticket_ai": ("AFTER INSERT ON tickets_ticket", "", _ticket_ins("id = new.id")),
    "search_ticket_bu": (
        "BEFORE UPDATE OF subject ON tickets_ticket",
        "old.subject IS NOT new.subject",
        _ticket_del("old.id"),
    ),
    "search_ticket_au": (
        "AFTER UPDATE OF subject ON tickets_ticket",
        "old.subject IS NOT new.subject",
        _ticket_ins("id = new.id"),
    ),
    "search_ticket_bd": ("BEFORE DELETE ON tickets_ticket", "", _ticket_del("old.id")),
    # Messages: the ticket they belong to (both tickets when one moves, as in a merge).
    "search_message_bi": (
        "BEFORE INSERT ON tickets_message",
        "",
        _ticket_del("new.ticket_id"),
    ),
    "search_message_ai": (
        "AFTER INSERT ON tickets_message",
        "",
        _ticket_ins("id = new.ticket_id"),
    ),
    "search_message_bu": (
        f"BEFORE UPDATE OF {_MSG_COLS} ON tickets_message",
        _MSG_CHANGED,
        _ticket_del("old.ticket_id") + f"DELETE FROM {TICKET_FTS} WHERE rowid = new.ticket_id "
        f"AND new.ticket_id IS NOT old.ticket_id AND new.ticket_id <= {T_UPTO};",
    ),
    "search_message_au": (
        f"AFTER UPDATE OF {_MSG_COLS} ON tickets_message",
        _MSG_CHANGED,
        _ticket_ins("id IN (old.ticket_id, new.ticket_id)"),
    ),
    "search_message_bd": (
        "BEFORE DELETE ON tickets_message",
        "",
        _ticket_del("old.ticket_id"),
    ),
    "search_message_ad": (
        "AFTER DELETE ON tickets_message",
        "",
        _ticket_ins("id = old.ticket_id"),
    ),
    # Contacts: name and organization; the organization's name; identities.
    "search_contact_ai": ("AFTER INSERT ON crm_contact", "", _contact_ins("id = new.id")),
    "search_contact_bu": (
        "BEFORE UPDATE OF name, organization_id ON crm_contact",
        _CONTACT_CHANGED,
        _contact_del("id = old.id"),
    ),
    "search_contact_au": (
        "AFTER UPDATE OF name, organization_id ON crm_contact",
        _CONTACT_CHANGED,
        _contact_ins("id = new.id"),
    ),
    "search_contact_bd": ("BEFORE DELETE ON crm_contact", "", _contact_del("id = old.id")),
    "search_org_bu": (
        "BEFORE UPDATE OF name ON crm_organization",
        "old.name IS NOT new.name",
        _contact_del("organization_id = old.id"),
    ),
    "search_org_au": (
        "AFTER UPDATE OF name ON crm_organization",
        "old.name IS NOT new.name",
        _contact_ins("id IN (SELECT id FROM crm_contact WHERE organization_id = new.id)"),
    ),
    "search_identity_bi": (
        "BEFORE INSERT ON crm_contactidentity",
        "",
        _contact_del("id = new.contact_id"),
    ),
    "search_identity_ai": (
        "AFTER INSERT ON crm_contactidentity",
        "",
        _contact_ins("id = new.contact_id"),
    ),
    "search_identity_bu": (
        "BEFORE UPDATE OF contact_id, value ON crm_contactidentity",
        _IDENT_CHANGED,
        _contact_del("id IN (old.contact_id, new.contact_id)"),
    ),
    "search_identity_au": (
        "AFTER UPDATE OF contact_id, value ON crm_contactidentity",
        _IDENT_CHANGED,
        _contact_ins("id IN (old.contact_id, new.contact_id)"),
    ),
    "search_identity_bd": (
        "BEFORE DELETE ON crm_contactidentity",
        "",
        _contact_del("id = old.contact_id"),
    ),
    "search_identity_ad": (
        "AFTER DELETE ON crm_contactidentity",
        "",
        _contact_ins("id = old.contact_id"),
    ),
}


# --- Schema ---------------------------------------------------------------------------------------


def create_tables(cursor: Any) -> None:
    for sql in CREATE_TABLES:
        cursor.execute(sql)


def drop_tables(cursor: Any) -> None:
    uninstall(cursor)
    for sql in DROP_TABLES:
        cursor.execute(sql)


def install(cursor: Any) -> None:
    """Views and triggers, created when missing (Django's table rebuilds drop triggers)."""
    for name, select in VIEWS.items():
        cursor.execute(f"CREATE VIEW IF NOT EXISTS {name} AS {select}")
    for name, (event, when, body) in TRIGGERS.items():
        condition = f" WHEN {when}" if when else ""
        cursor.execute(f"CREATE TRIGGER IF NOT EXISTS {name} {event}{condition} BEGIN {body} END")


def uninstall(cursor: Any) -> None:
    for name in TRIGGERS:
        cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
    for name in VIEWS:
        cursor.execute(f"DROP VIEW IF EXISTS {name}")


def installed(cursor: Any) -> list[str]:
    names = [*TRIGGERS, *VIEWS]
    marks = ", ".join("%s" for _ in names)
    cursor.execute(f"SELECT name FROM sqlite_master WHERE name IN ({marks})", names)
    return sorted(row[0] for row in cursor.fetchall())


# --- Queries --------------------------------------------------------------------------------------


def _operand(term: Term) -> str:
    # A quoted string is a phrase of whatever tokens the tokenizer finds in it, so text the
    # user typed can never be read as FTS5 syntax; "*" after it makes the last token a prefix.
    return '"' + term.text.replace('"', '""') + '"' + ("*" if term.prefix else "")


def match_expression(query: SearchQuery, columns: list[str] | None = None) -> str:
    expression = " ".join(_operand(term) for term in query.terms)
    if columns:
        expression = "{" + " ".join(columns) + "} : (" + expression + ")"
    return expression


class _NotIndexed(Func):
    """``+id``: the same value, but SQLite will not use it to pick rows by primary key."""

    template = "+%(expressions)s"


def many_ids_condition(ids: RawSQL) -> Q:
    """``pk IN ids`` for thousands of ids (a common word): the list is read along its own
    order (status, team, updated_at… indexes) and each row looked up in the matches, which
    SQLite builds once into a temporary index. Left to itself SQLite would read every match
    by primary key and sort them all: 250-750 ms for 60,000 matches at a million tickets,
    against 20 ms for the ordered walk."""
    return Q(In(_NotIndexed(F("pk"), output_field=BigIntegerField()), ids))


def ticket_ids_sql(query: SearchQuery, *, include_internal: bool) -> tuple[str, list[Any]]:
    columns = None if include_internal else ["subject", "public"]
    return (
        f"SELECT rowid FROM {TICKET_FTS} WHERE {TICKET_FTS} MATCH %s",
        [match_expression(query, columns)],
    )


def contact_ids_sql(query: SearchQuery) -> tuple[str, list[Any]]:
    return (
        f"SELECT rowid FROM {CONTACT_FTS} WHERE {CONTACT_FTS} MATCH %s",
        [match_expression(query)],
    )


# --- Rebuild --------------------------------------------------------------------------------------

_SOURCES = {
    "tickets": (TICKET_FTS, "tickets_ticket", "search_ticket_doc", "subject, public, internal"),
    "contacts": (
        CONTACT_FTS,
        "crm_contact",
        "search_contact_doc",
        "name, organization, identities",
    ),
}


def clear(cursor: Any, name: str) -> None:
    """Empties the index. The caller sets indexed_upto to 0 in the same transaction, so from
    then on the triggers leave the index alone until ``index_batch`` reaches a row."""
    fts = _SOURCES[name][0]
    cursor.execute(f"INSERT INTO {fts}({fts}) VALUES ('delete-all')")


def index_batch(cursor: Any, name: str, after: int, size: int) -> int:
    """Indexes up to ``size`` rows with an id above ``after``; returns the id up to which the
    index is now complete (ALL after the last batch). The caller stores it as indexed_upto in
    the same transaction: SQLite has one writer, so no row can slip in between."""
    fts, table, view, columns = _SOURCES[name]
    cursor.execute(
        f"SELECT id FROM {table} WHERE id > %s ORDER BY id LIMIT 1 OFFSET %s", [after, size - 1]
    )
    row = cursor.fetchone()
    upto = row[0] if row else ALL
    cursor.execute(
        f"INSERT INTO {fts}(rowid, {columns}) SELECT id, {columns} FROM {view} "
        "WHERE id > %s AND id <= %s",
        [after, upto],
    )
    return upto


def finish(cursor: Any, name: str) -> None:
    """Nothing to build: FTS5 indexes are written as rows are added."""


def optimize(cursor: Any, name: str) -> None:
    fts = _SOURCES[name][0]
    cursor.execute(f"INSERT INTO {fts}({fts}) VALUES ('optimize')")


def check(cursor: Any, name: str, *, deep: bool = False) -> str:
    """'' when the index is sound; otherwise what is wrong. ``deep`` also compares every
    entry with the content (the views): a full read of the tickets, minutes at a million."""
    fts = _SOURCES[name][0]
    try:
        if deep:
            cursor.execute(f"INSERT INTO {fts}({fts}, rank) VALUES ('integrity-check', 1)")
        else:
            cursor.execute(f"INSERT INTO {fts}({fts}) VALUES ('integrity-check')")
    except DatabaseError as exc:  # SQLite reports a mismatch as "database disk image is malformed"
        return str(exc)
    return ""
