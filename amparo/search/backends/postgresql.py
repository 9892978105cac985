"""PostgreSQL: a tsvector per ticket (GIN) and a folded text per contact (pg_trgm GIN).

Tickets: ``search_ticket_doc(ticket_id, doc)``; ``doc`` is the subject with weight A, the
customer-visible messages with weight B and internal notes with weight D. A customer's query
asks for weights A and B only (``'word':AB``), so an internal note never matches for them.

Text search configuration ``amparo_search``: the ``simple`` dictionary (lower case, no
stemming, no stop words) behind ``unaccent``. Not ``portuguese``/``english``: tickets mix both
languages (and product names, order numbers, addresses) in one conversation, a stemmer for
one mangles the other, a query would have to be parsed with every configuration, and SQLite's
FTS5 has no Portuguese stemmer, so the two databases would find different tickets for the
same words. Prefix matching of the last word gives back most of what stemming would.

Contacts: ``search_contact_doc(contact_id, doc)``, where ``doc`` is " name  organization
identities " folded (lower case, unaccented, punctuation as spaces; the three parts joined by
two spaces, so a typed phrase never runs from one into the next). A word matches as the start
of a word, ``doc LIKE '% word%'``, which pg_trgm's GIN index answers without a scan.

Both are kept current by triggers in the same transaction as the change. The functions read
and compare columns in their bodies, never in trigger column lists or WHEN clauses, so other
apps' migrations can still change those columns' types. Both extensions are "trusted" (a
database owner may create them) and part of PostgreSQL's contrib, which every managed service
provides.
"""

# SQL here is assembled from this module's constants (table, column, trigger names); what
# people type only ever travels as a query parameter.
# ruff: noqa: S608

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.db.models.expressions import RawSQL

from amparo.search.models import ALL
from amparo.search.query import SearchQuery, Term

MESSAGE_CHARS = 20_000
# A tsvector holds at most 1 MB of lexeme text; two columns of this many characters (4 bytes
# each at worst) stay below it, so no ticket, however long, can make a write fail.
TICKET_CHARS = 100_000
CONFIG = "amparo_search"
# A placeholder word between subject, public text and notes, deleted once the vector is
# built: it leaves a one-position hole, so a phrase never runs from the subject into the
# first message (as on SQLite, where they are separate columns).
GAP = "amparo0gap"


def _messages(internal: bool) -> str:
    condition = "m.is_internal" if internal else "NOT m.is_internal"
    return (
        f"left(string_agg(left(m.body_text, {MESSAGE_CHARS}), E'\\n' ORDER BY m.created_at, m.id)"
        f" FILTER (WHERE {condition}), {TICKET_CHARS})"
    )


SCHEMA = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    f"""
    DO $$ BEGIN
      IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = '{CONFIG}') THEN
        CREATE TEXT SEARCH CONFIGURATION {CONFIG} (COPY = pg_catalog.simple);
        ALTER TEXT SEARCH CONFIGURATION {CONFIG} ALTER MAPPING FOR
          asciiword, word, numword, asciihword, hword, numhword, hword_asciipart, hword_part,
          hword_numpart, email, url, host, url_path, file
          WITH unaccent, simple;
      END IF;
    END $$
    """,
    "CREATE TABLE IF NOT EXISTS search_ticket_doc "
    "(ticket_id bigint PRIMARY KEY, doc tsvector NOT NULL)",
    "CREATE INDEX IF NOT EXISTS search_ticket_doc_gin ON search_ticket_doc USING gin (doc)",
    "CREATE TABLE IF NOT EXISTS search_contact_doc (contact_id bigint PRIMARY KEY, doc text NOT NULL)",
    "CREATE INDEX IF NOT EXISTS search_contact_doc_trgm ON search_contact_doc "
    "USING gin (doc gin_trgm_ops)",
    # Email and phone prefixes (amparo.crm.selectors): LIKE 'prefix%' under any collation.
    "CREATE INDEX IF NOT EXISTS search_identity_value_like ON crm_contactidentity "
    "(kind, value varchar_pattern_ops)",
]

# Created again (CREATE OR REPLACE) after every migrate, so they always match this code.
FUNCTIONS_SQL = [
    # --- tickets
    f"""
    CREATE OR REPLACE FUNCTION search_ticket_vector(subject text, public text, internal text)
    RETURNS tsvector LANGUAGE sql STABLE AS $$
      SELECT ts_delete(
        setweight(to_tsvector('{CONFIG}', coalesce(subject, '')), 'A') || '{GAP}:1'::tsvector
        || setweight(to_tsvector('{CONFIG}', coalesce(public, '')), 'B') || '{GAP}:1'::tsvector
        || setweight(to_tsvector('{CONFIG}', coalesce(internal, '')), 'D'),
        '{GAP}')
    $$
    """,
    # VOLATILE: reads with a fresh snapshot, so an upsert that waited for a concurrent one
    # recomputes from what that one committed instead of writing a stale document.
    f"""
    CREATE OR REPLACE FUNCTION search_ticket_vector_for(tid bigint)
    RETURNS tsvector LANGUAGE sql VOLATILE AS $$
      SELECT search_ticket_vector(t.subject, m.public, m.internal)
      FROM tickets_ticket t,
        LATERAL (SELECT {_messages(False)} AS public, {_messages(True)} AS internal
                 FROM tickets_message m WHERE m.ticket_id = t.id) m
      WHERE t.id = tid
    $$
    """,
    """
    CREATE OR REPLACE FUNCTION search_ticket_refresh(tid bigint)
    RETURNS void LANGUAGE plpgsql AS $$
    BEGIN
      UPDATE search_ticket_doc SET doc = search_ticket_vector_for(tid) WHERE ticket_id = tid;
      IF NOT FOUND THEN
        INSERT INTO search_ticket_doc (ticket_id, doc)
        SELECT tid, v FROM search_ticket_vector_for(tid) v WHERE v IS NOT NULL
        ON CONFLICT (ticket_id) DO UPDATE SET doc = search_ticket_vector_for(tid);
      END IF;
      DELETE FROM search_ticket_doc
      WHERE ticket_id = tid AND NOT EXISTS (SELECT 1 FROM tickets_ticket WHERE id = tid);
    END $$
    """,
    """
    CREATE OR REPLACE FUNCTION search_ticket_changed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'DELETE' THEN
        DELETE FROM search_ticket_doc WHERE ticket_id = OLD.id;
      ELSIF TG_OP = 'INSERT' OR NEW.subject IS DISTINCT FROM OLD.subject THEN
        PERFORM search_ticket_refresh(NEW.id);
      END IF;
      RETURN NULL;
    END $$
    """,
    """
    CREATE OR REPLACE FUNCTION search_message_changed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'INSERT' THEN
        PERFORM search_ticket_refresh(NEW.ticket_id);
      ELSIF TG_OP = 'DELETE' THEN
        PERFORM search_ticket_refresh(OLD.ticket_id);
      ELSIF NEW.ticket_id IS DISTINCT FROM OLD.ticket_id
         OR NEW.is_internal IS DISTINCT FROM OLD.is_internal
         OR NEW.created_at IS DISTINCT FROM OLD.created_at
         OR NEW.body_text IS DISTINCT FROM OLD.body_text THEN
        PERFORM search_ticket_refresh(OLD.ticket_id);
        IF NEW.ticket_id IS DISTINCT FROM OLD.ticket_id THEN
          PERFORM search_ticket_refresh(NEW.ticket_id);
        END IF;
      END IF;
      RETURN NULL;
    END $$
    """,
    # --- contacts
    """
    CREATE OR REPLACE FUNCTION search_fold(value text) RETURNS text LANGUAGE sql STABLE AS $$
      SELECT btrim(regexp_replace(lower(unaccent('unaccent', coalesce(value, ''))),
                                  '[[:space:][:punct:]]+', ' ', 'g'))
    $$
    """,
    """
    CREATE OR REPLACE FUNCTION search_contact_text(name text, organization text, identities text)
    RETURNS text LANGUAGE sql STABLE AS $$
      SELECT ' ' || search_fold(name) || '  ' || search_fold(organization) || '  '
             || search_fold(identities) || ' '
    $$
    """,
    """
    CREATE OR REPLACE FUNCTION search_contact_text_for(cid bigint)
    RETURNS text LANGUAGE sql VOLATILE AS $$
      SELECT search_contact_text(c.name, o.name, i.v)
      FROM crm_contact c
        LEFT JOIN crm_organization o ON o.id = c.organization_id
        LEFT JOIN LATERAL (SELECT string_agg(value, ' ' ORDER BY id) AS v
                           FROM crm_contactidentity WHERE contact_id = c.id) i ON true
      WHERE c.id = cid
    $$
    """,
    """
    CREATE OR REPLACE FUNCTION search_contact_refresh(cid bigint)
    RETURNS void LANGUAGE plpgsql AS $$
    BEGIN
      UPDATE search_contact_doc SET doc = search_contact_text_for(cid) WHERE contact_id = cid;
      IF NOT FOUND THEN
        INSERT INTO search_contact_doc (contact_id, doc)
        SELECT cid, v FROM search_contact_text_for(cid) v WHERE v IS NOT NULL
        ON CONFLICT (contact_id) DO UPDATE SET doc = search_contact_text_for(cid);
      END IF;
      DELETE FROM search_contact_doc
      WHERE contact_id = cid AND NOT EXISTS (SELECT 1 FROM crm_contact WHERE id = cid);
    END $$
    """,
    """
    CREATE OR REPLACE FUNCTION search_contact_changed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'DELETE' THEN
        DELETE FROM search_contact_doc WHERE contact_id = OLD.id;
      ELSIF TG_OP = 'INSERT' OR NEW.name IS DISTINCT FROM OLD.name
         OR NEW.organization_id IS DISTINCT FROM OLD.organization_id THEN
        PERFORM search_contact_refresh(NEW.id);
      END IF;
      RETURN NULL;
    END $$
    """,
    """
    CREATE OR REPLACE FUNCTION search_organization_changed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.name IS DISTINCT FROM OLD.name THEN
        PERFORM search_contact_refresh(id) FROM crm_contact WHERE organization_id = NEW.id;
      END IF;
      RETURN NULL;
    END $$
    """,
    """
    CREATE OR REPLACE FUNCTION search_identity_changed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'INSERT' THEN
        PERFORM search_contact_refresh(NEW.contact_id);
      ELSIF TG_OP = 'DELETE' THEN
        PERFORM search_contact_refresh(OLD.contact_id);
      ELSIF NEW.contact_id IS DISTINCT FROM OLD.contact_id OR NEW.value IS DISTINCT FROM OLD.value THEN
        PERFORM search_contact_refresh(OLD.contact_id);
        IF NEW.contact_id IS DISTINCT FROM OLD.contact_id THEN
          PERFORM search_contact_refresh(NEW.contact_id);
        END IF;
      END IF;
      RETURN NULL;
    END $$
    """,
    # TRUNCATE (Django's flush between transactional tests) fires no row triggers.
    """
    CREATE OR REPLACE FUNCTION search_tickets_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN TRUNCATE search_ticket_doc; RETURN NULL; END $$
    """,
    """
    CREATE OR REPLACE FUNCTION search_contacts_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN TRUNCATE search_contact_doc; RETURN NULL; END $$
    """,
]

TRIGGERS = {
    "search_ticket": (
        "tickets_ticket",
        "AFTER INSERT OR UPDATE OR DELETE",
        "ROW",
        "search_ticket_changed",
    ),
    "search_ticket_truncate": (
        "tickets_ticket",
        "AFTER TRUNCATE",
        "STATEMENT",
        "search_tickets_truncated",
    ),
    "search_message": (
        "tickets_message",
        "AFTER INSERT OR UPDATE OR DELETE",
        "ROW",
        "search_message_changed",
    ),
    "search_contact": (
        "crm_contact",
        "AFTER INSERT OR UPDATE OR DELETE",
        "ROW",
        "search_contact_changed",
    ),
    "search_contact_truncate": (
        "crm_contact",
        "AFTER TRUNCATE",
        "STATEMENT",
        "search_contacts_truncated",
    ),
    "search_organization": (
        "crm_organization",
        "AFTER UPDATE",
        "ROW",
        "search_organization_changed",
    ),
    "search_identity": (
        "crm_contactidentity",
        "AFTER INSERT OR UPDATE OR DELETE",
        "ROW",
        "search_identity_changed",
    ),
}

FUNCTIONS = [
    "search_ticket_vector(text, text, text)",
    "search_ticket_vector_for(bigint)",
    "search_ticket_refresh(bigint)",
    "search_ticket_changed()",
    "search_message_changed()",
    "search_fold(text)",
    "search_contact_text(text, text, text)",
    "search_contact_text_for(bigint)",
    "search_contact_refresh(bigint)",
    "search_contact_changed()",
    "search_organization_changed()",
    "search_identity_changed()",
    "search_tickets_truncated()",
    "search_contacts_truncated()",
]


# --- Schema ---------------------------------------------------------------------------------------


def create_tables(cursor: Any) -> None:
    for sql in SCHEMA:
        cursor.execute(sql)
    install(cursor)


def drop_tables(cursor: Any) -> None:
    for name, (table, *_rest) in TRIGGERS.items():
        cursor.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
    cursor.execute("DROP TABLE IF EXISTS search_ticket_doc, search_contact_doc")
    cursor.execute("DROP INDEX IF EXISTS search_identity_value_like")
    for signature in FUNCTIONS:
        cursor.execute(f"DROP FUNCTION IF EXISTS {signature}")
    cursor.execute(f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {CONFIG}")


def install(cursor: Any) -> None:
    """Functions (replaced), triggers and indexes (created when missing). Nothing here
    blocks other migrations."""
    for sql in FUNCTIONS_SQL:
        cursor.execute(sql)
    for name, (table, events, level, function) in TRIGGERS.items():
        cursor.execute(
            "SELECT 1 FROM pg_trigger WHERE tgname = %s AND tgrelid = %s::regclass",
            [name, table],
        )
        if cursor.fetchone() is None:
            cursor.execute(
                f"CREATE TRIGGER {name} {events} ON {table} "
                f"FOR EACH {level} EXECUTE FUNCTION {function}()"
            )
    cursor.execute(
        "CREATE INDEX IF NOT EXISTS search_ticket_doc_gin ON search_ticket_doc USING gin (doc)"
    )
    cursor.execute(
        "CREATE INDEX IF NOT EXISTS search_contact_doc_trgm ON search_contact_doc "
        "USING gin (doc gin_trgm_ops)"
    )


def uninstall(cursor: Any) -> None:
    """Nothing to do: PostgreSQL alters tables in place, keeping triggers."""


def installed(cursor: Any) -> list[str]:
    cursor.execute(
        "SELECT tgname FROM pg_trigger WHERE tgname = ANY(%s) AND NOT tgisinternal",
        [list(TRIGGERS)],
    )
    return sorted(row[0] for row in cursor.fetchall())


# --- Queries --------------------------------------------------------------------------------------


def _operand(term: Term, weights: str) -> str:
    # A quoted operand goes through the configuration's parser: several words (a phrase, or
    # "e-mail") become words side by side ('a' <-> 'b'), with the flags applied to each.
    literal = "'" + term.text.replace("\\", "\\\\").replace("'", "''") + "'"
    flags = ("*" if term.prefix else "") + weights
    return literal + (f":{flags}" if flags else "")


def tsquery_text(query: SearchQuery, *, include_internal: bool) -> str:
    weights = "" if include_internal else "AB"
    return " & ".join(_operand(term, weights) for term in query.terms)


def many_ids_condition(ids: RawSQL) -> Q:
    """``pk IN ids`` for thousands of ids: PostgreSQL estimates how many rows match from the
    tsvector statistics and picks the plan (read the matches, or walk the list's index and
    check each row), which it gets right for words this common."""
    return Q(pk__in=ids)


def ticket_ids_sql(query: SearchQuery, *, include_internal: bool) -> tuple[str, list[Any]]:
    return (
        f"SELECT ticket_id FROM search_ticket_doc WHERE doc @@ to_tsquery('{CONFIG}', %s)",
        [tsquery_text(query, include_internal=include_internal)],
    )


def contact_ids_sql(query: SearchQuery) -> tuple[str, list[Any]]:
    conditions, params = [], []
    for term in query.terms:
        # search_fold turns punctuation (LIKE's % and _ included) into spaces.
        end = "%%" if term.prefix else " %%"
        conditions.append(f"doc LIKE ('%% ' || search_fold(%s) || '{end}')")
        params.append(term.text)
    # OFFSET 0 keeps the planner from walking the contacts in name order and probing each
    # one: words are the starts of names, so the matches of "fel" sit together in that order
    # and the walk read 55,000 contacts to reach them (230 ms; 30 ms reading the matches).
    return (
        "SELECT contact_id FROM search_contact_doc WHERE " + " AND ".join(conditions) + " OFFSET 0",
        params,
    )


# --- Rebuild --------------------------------------------------------------------------------------

_TICKET_BATCH = f"""
INSERT INTO search_ticket_doc (ticket_id, doc)
SELECT t.id, search_ticket_vector(t.subject, m.public, m.internal)
FROM tickets_ticket t LEFT JOIN (
  SELECT m.ticket_id, {_messages(False)} AS public, {_messages(True)} AS internal
  FROM tickets_message m WHERE m.ticket_id > %s AND m.ticket_id <= %s GROUP BY m.ticket_id
) m ON m.ticket_id = t.id
WHERE t.id > %s AND t.id <= %s
ON CONFLICT (ticket_id) DO UPDATE SET doc = search_ticket_vector_for(excluded.ticket_id)
"""

_CONTACT_BATCH = """
INSERT INTO search_contact_doc (contact_id, doc)
SELECT c.id, search_contact_text(c.name, o.name, i.v)
FROM crm_contact c
  LEFT JOIN crm_organization o ON o.id = c.organization_id
  LEFT JOIN (
    SELECT contact_id, string_agg(value, ' ' ORDER BY id) AS v FROM crm_contactidentity
    WHERE contact_id > %s AND contact_id <= %s GROUP BY contact_id
  ) i ON i.contact_id = c.id
WHERE c.id > %s AND c.id <= %s
ON CONFLICT (contact_id) DO UPDATE SET doc = search_contact_text_for(excluded.contact_id)
"""

_SOURCES = {
    "tickets": ("search_ticket_doc", "search_ticket_doc_gin", "tickets_ticket", _TICKET_BATCH),
    "contacts": (
        "search_contact_doc",
        "search_contact_doc_trgm",
        "crm_contact",
        _CONTACT_BATCH,
    ),
}
_INDEX_SQL = {
    "search_ticket_doc_gin": "ON search_ticket_doc USING gin (doc)",
    "search_contact_doc_trgm": "ON search_contact_doc USING gin (doc gin_trgm_ops)",
}


def clear(cursor: Any, name: str) -> None:
    """Empties the table and drops its index: built once at the end, a GIN index takes a
    fraction of the time of a million inserts into it. Triggers go on upserting meanwhile."""
    table, index, _source, _sql = _SOURCES[name]
    cursor.execute(f"DROP INDEX IF EXISTS {index}")
    cursor.execute(f"TRUNCATE {table}")


def index_batch(cursor: Any, name: str, after: int, size: int) -> int:
    """Indexes up to ``size`` rows with an id above ``after``; returns the id up to which the
    table is now complete (ALL after the last batch). Rows added meanwhile are indexed by the
    triggers, which upsert whatever the rebuild has or has not reached."""
    _table, _index, source, sql = _SOURCES[name]
    cursor.execute(
        f"SELECT id FROM {source} WHERE id > %s ORDER BY id LIMIT 1 OFFSET %s", [after, size - 1]
    )
    row = cursor.fetchone()
    upto = row[0] if row else ALL
    cursor.execute(sql, [after, upto, after, upto])
    return upto


def finish(cursor: Any, name: str) -> None:
    """Builds the index and refreshes planner statistics. Outside a transaction the index is
    built CONCURRENTLY, so writes (and the triggers' upserts) go on meanwhile."""
    table, index, _source, _sql = _SOURCES[name]
    cursor.execute("SELECT 1 FROM pg_class WHERE relname = %s AND relkind = 'i'", [index])
    if cursor.fetchone() is None:
        concurrently = "" if cursor.db.in_atomic_block else "CONCURRENTLY"
        cursor.execute("SET maintenance_work_mem = '256MB'")
        cursor.execute(f"CREATE INDEX {concurrently} IF NOT EXISTS {index} {_INDEX_SQL[index]}")
        cursor.execute("RESET maintenance_work_mem")
    cursor.execute(f"ANALYZE {table}")


def optimize(cursor: Any, name: str) -> None:
    """Nothing to do: VACUUM/autovacuum maintain GIN indexes."""


def check(cursor: Any, name: str, *, deep: bool = False) -> str:
    table, index, source, _sql = _SOURCES[name]
    key = "ticket_id" if name == "tickets" else "contact_id"
    problems = []
    cursor.execute("SELECT 1 FROM pg_class WHERE relname = %s AND relkind = 'i'", [index])
    if cursor.fetchone() is None:
        problems.append(f"index {index} is missing")
    cursor.execute(
        f"SELECT count(*) FROM {source} s WHERE NOT EXISTS "
        f"(SELECT 1 FROM {table} d WHERE d.{key} = s.id)"
    )
    missing = cursor.fetchone()[0]
    if missing:
        problems.append(f"{missing} rows are not indexed")
    cursor.execute(
        f"SELECT count(*) FROM {table} d WHERE NOT EXISTS "
        f"(SELECT 1 FROM {source} s WHERE s.id = d.{key})"
    )
    orphans = cursor.fetchone()[0]
    if orphans:
        problems.append(f"{orphans} index rows have no source row")
    if deep:
        function = "search_ticket_vector_for" if name == "tickets" else "search_contact_text_for"
        cursor.execute(
            f"SELECT count(*) FROM {table} d WHERE d.doc IS DISTINCT FROM {function}(d.{key})"
        )
        stale = cursor.fetchone()[0]
        if stale:
            problems.append(f"{stale} index rows are out of date")
    return "; ".join(problems)
