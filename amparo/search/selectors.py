"""Reads of the search indexes: which tickets or contacts match what someone typed.

These return conditions, not rows: callers apply them to querysets that already carry the
viewer's permissions (amparo.tickets.selectors, amparo.crm.selectors), so filters, sorting
and keyset pagination work as without a search, and visibility is decided in one place.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connections
from django.db.models import Q
from django.db.models.expressions import RawSQL

from amparo.search.backends import backend
from amparo.search.models import ALL, IndexName, IndexState
from amparo.search.query import parse, ticket_number

# Up to this many matches, their ids are read first and given to the list query as a list:
# the plan then starts from those rows, whatever the database estimates. (A word found
# nowhere, estimated as merely rare, had PostgreSQL walk a million tickets for 2 s.) Beyond
# it, the matches go in as a subquery and the list is read along its own order (see
# many_ids_condition in each backend).
DRIVE_LIMIT = 2000


def _id_condition(ids: RawSQL, also: Sequence[int] = ()) -> Q:
    """``pk IN ids`` (or one of ``also``), as one IN list when there are few: an OR of two
    IN conditions makes PostgreSQL filter a walk of the whole table."""
    with connections["default"].cursor() as cursor:
        cursor.execute(f"{ids.sql} LIMIT {DRIVE_LIMIT + 1}", ids.params)
        found = [row[0] for row in cursor.fetchall()]
    if len(found) <= DRIVE_LIMIT:
        return Q(pk__in=[*found, *also])
    many = backend().many_ids_condition(ids)
    return many | Q(pk__in=list(also)) if also else many


def ticket_ids_matching(text: str, *, include_internal: bool) -> RawSQL | None:
    """A subquery of the ids of tickets whose subject or messages match ``text`` (see
    amparo.search.query for the syntax); None when ``text`` holds no word.

    ``include_internal`` is for agents only: without it internal notes are not searched, so
    a customer can never find a ticket by words only an agent wrote.
    """
    query = parse(text)
    if not query:
        return None
    sql, params = backend().ticket_ids_sql(query, include_internal=include_internal)
    return RawSQL(sql, params)  # noqa: S611 - the backend's constant SQL; the text is a parameter


def ticket_text_q(text: str, *, include_internal: bool) -> Q:
    """The condition a ticket list applies for a search box: "#123" is ticket 123; "123" is
    ticket 123 or any ticket mentioning 123; anything else is full text."""
    number, only_number = ticket_number(text)
    if only_number:
        return Q(pk=number)
    also = [number] if number is not None else []
    ids = ticket_ids_matching(text, include_internal=include_internal)
    return _id_condition(ids, also) if ids is not None else Q(pk__in=also)


def contact_ids_matching(text: str) -> RawSQL | None:
    """A subquery of the ids of contacts whose name, organization name or identities (email
    addresses, phone numbers, handles) have a word starting with each word of ``text``;
    None when ``text`` holds no word."""
    query = parse(text, all_prefix=True)
    if not query:
        return None
    sql, params = backend().contact_ids_sql(query)
    return RawSQL(sql, params)  # noqa: S611 - the backend's constant SQL; the text is a parameter


def contact_match_q(text: str, *, also: Sequence[int] = ()) -> Q:
    """``contact_ids_matching`` as a condition on contacts, or one of the ids ``also``
    (found another way, such as an identity typed in full)."""
    ids = contact_ids_matching(text)
    return _id_condition(ids, also) if ids is not None else Q(pk__in=list(also))


def index_states() -> dict[str, IndexState]:
    return {state.name: state for state in IndexState.objects.all()}


def index_is_current(name: str) -> bool:
    state = IndexState.objects.filter(name=name).first()
    return state is not None and state.indexed_upto == ALL


def index_problems(*, deep: bool = False, using: str = "default") -> dict[str, str]:
    """What is wrong with each index ('' when nothing): triggers missing, rows not indexed,
    and with ``deep`` every entry compared with its source rows."""
    connection = connections[using]
    impl = backend(connection)
    with connection.cursor() as cursor:
        present = impl.installed(cursor)
        expected = sorted([*impl.TRIGGERS, *getattr(impl, "VIEWS", {})])
        problems = {}
        for name in IndexName.values:
            found = []
            missing = [n for n in expected if n not in present]
            if missing:
                found.append("missing: " + ", ".join(missing))
            if not index_is_current(name):
                found.append("not built or rebuild unfinished")
            issue = impl.check(cursor, name, deep=deep)
            if issue:
                found.append(issue)
            problems[name] = "; ".join(found)
    return problems
