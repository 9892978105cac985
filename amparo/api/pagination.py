"""Keyset (cursor) pagination: the cost of a page does not depend on how deep it is.

A cursor is the sort value and id of the last row shown. ``keyset_page`` reads the rows after
it in one query; ``keyset_page_split`` reads ``field IN (a, b, …)`` as one query per value and
merges them, because an index such as (status, -updated_at, -id) yields rows in order for one
status but not across several: with ``status IN (…)`` the database reads and sorts every
matching row to return a page. Both give the same rows and cursors.
"""

from __future__ import annotations

import base64
import datetime
import heapq
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import DateField, DateTimeField, IntegerField, Model, Q, QuerySet, Value
from django.utils.dateparse import parse_datetime

from amparo.core.errors import DomainError

M = TypeVar("M", bound=Model)

MAX_LIMIT = 200

# (sort value, id) of a row: what a cursor holds and what pages are merged by.
Key = tuple[Any, int]


def encode_cursor(value: Any, pk: int) -> str:
    raw = json.dumps([value.isoformat() if isinstance(value, datetime.datetime) else value, pk])
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str, *, is_datetime: bool = False) -> Key:
    """(value, id) from a cursor; DomainError (field "cursor") when it was not one of ours."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        value, pk = json.loads(base64.urlsafe_b64decode(padded.encode()).decode())
        if is_datetime:
            value = parse_datetime(value)
            if value is None:
                raise ValueError
        if not isinstance(pk, int):
            raise ValueError
    except (ValueError, TypeError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DomainError(
            "The cursor is not valid; start again without it.", field="cursor"
        ) from exc
    return value, pk


@dataclass(frozen=True)
class _Sort:
    field: str
    descending: bool
    is_datetime: bool
    # Whether Python orders the values as every database does (numbers, dates), so pages
    # read separately can be merged here. Text is not: databases sort it by collation.
    mergeable: bool

    @property
    def ordering(self) -> list[str]:
        sign = "-" if self.descending else ""
        return [f"{sign}id"] if self.field == "id" else [f"{sign}{self.field}", f"{sign}id"]


def _sort(model: type[Model], order: str) -> _Sort:
    field = order.lstrip("-")
    model_field = model._meta.get_field(field)
    if getattr(model_field, "null", False):
        # NULLs sort last on PostgreSQL and first on SQLite, and "x < NULL" is never true, so
        # a cursor could not step past them. No list sorts by a nullable column; keep it so.
        raise ValueError(f"keyset pagination cannot sort by the nullable field {field!r}")
    return _Sort(
        field=field,
        descending=order.startswith("-"),
        is_datetime=isinstance(model_field, DateTimeField),
        mergeable=isinstance(model_field, DateField | IntegerField) or field == "id",
    )


def _check_limit(limit: int) -> None:
    if limit < 1 or limit > MAX_LIMIT:
        raise DomainError(f"limit must be between 1 and {MAX_LIMIT}.", field="limit")


def _after(qs: QuerySet[M], sort: _Sort, key: Key) -> QuerySet[M]:
    """Rows that come after ``key`` in the sort order."""
    value, pk = key
    if sort.field == "id":
        return qs.filter(id__lt=pk) if sort.descending else qs.filter(id__gt=pk)
    f, op = sort.field, ("lt" if sort.descending else "gt")
    # The first condition is implied by the second; it is there for the planner, which reads
    # "(f < v) OR (f = v AND id < pk)" as a filter, not as where to start the index scan.
    return qs.filter(
        Q(**{f"{f}__{op}e": value}),
        Q(**{f"{f}__{op}": value}) | Q(**{f: value, f"id__{op}": pk}),
    )


def keyset_page(
    qs: QuerySet[M], *, order: str, cursor: str | None, limit: int
) -> tuple[list[M], str | None]:
    """One page of ``qs`` ordered by ``order`` (e.g. "-updated_at"), ties broken by id."""
    _check_limit(limit)
    sort = _sort(qs.model, order)
    if cursor:
        qs = _after(qs, sort, decode_cursor(cursor, is_datetime=sort.is_datetime))
    items = list(qs.order_by(*sort.ordering)[: limit + 1])
    next_cursor = None
    if len(items) > limit:
        items = items[:limit]
        last = items[-1]
        next_cursor = encode_cursor(getattr(last, sort.field), last.pk)
    return items, next_cursor


def merge_keys(
    parts: Sequence[list[Key]], *, descending: bool, limit: int
) -> tuple[list[Key], bool]:
    """The first ``limit`` keys of the union of sorted parts, and whether more follow.

    Each part holds at most ``limit + 1`` keys, in order; a part that holds ``limit + 1`` was
    cut short, so the union is only known up to the earliest last key of such parts. A key
    in two parts (a row that changed between their queries) is kept once.
    """
    cut = [part[-1] for part in parts if len(part) > limit]
    boundary = (max(cut) if descending else min(cut)) if cut else None
    keys: list[Key] = []
    seen: set[int] = set()
    for key in heapq.merge(*parts, reverse=descending):
        if boundary is not None and (key < boundary if descending else key > boundary):
            break
        if key[1] not in seen:
            seen.add(key[1])
            keys.append(key)
    return keys[:limit], bool(cut) or len(keys) > limit


def keyset_page_split(
    qs: QuerySet[M],
    *,
    field: str,
    values: Sequence[Any],
    order: str,
    cursor: str | None,
    limit: int,
) -> tuple[list[M], str | None]:
    """``keyset_page(qs.filter(<field>__in=values), …)``, one index range scan per value.

    ``qs`` must not filter on ``field`` itself. Costs the keys (one query per value, or one
    UNION ALL of them where the database allows it: PostgreSQL), one query for the rows of
    the page, and ``qs``'s prefetches once.
    """
    distinct = list(dict.fromkeys(values))
    if len(distinct) <= 1:
        return keyset_page(
            qs.filter(**{f"{field}__in": distinct}), order=order, cursor=cursor, limit=limit
        )
    _check_limit(limit)
    sort = _sort(qs.model, order)
    if not sort.mergeable:
        raise ValueError(f"pages sorted by {sort.field!r} cannot be merged in Python")
    keys_qs = qs.prefetch_related(None).order_by(*sort.ordering)
    if cursor:
        keys_qs = _after(keys_qs, sort, decode_cursor(cursor, is_datetime=sort.is_datetime))
    parts = _part_keys(keys_qs, field=field, values=distinct, sort=sort, limit=limit)
    keys, more = merge_keys(parts, descending=sort.descending, limit=limit)
    if not keys:
        return [], None
    rows = {row.pk: row for row in qs.filter(pk__in=[pk for _, pk in keys]).order_by()}
    # A row deleted since its key was read is left out; the cursor still follows the keys.
    items = [rows[pk] for _, pk in keys if pk in rows]
    return items, (encode_cursor(*keys[-1]) if more else None)


def key_queries(values: int, *, using: str = DEFAULT_DB_ALIAS) -> int:
    """How many queries keyset_page_split spends on the keys of ``values`` values.

    One (SELECT … ORDER BY … LIMIT n) UNION ALL (SELECT …) … where the database takes it
    (PostgreSQL: one round trip instead of one per value); SQLite cannot slice the members of
    a UNION, and its queries cost no round trip anyway.
    """
    if values > 1 and connections[using].features.supports_slicing_ordering_in_compound:
        return 1
    return values


def _part_keys(
    keys_qs: QuerySet[M], *, field: str, values: list[Any], sort: _Sort, limit: int
) -> list[list[Key]]:
    """The first ``limit + 1`` keys of each value's rows, in order, one list per value."""
    slices = [
        keys_qs.filter(**{field: v})
        .annotate(split_part=Value(i))
        .values_list(sort.field, "pk", "split_part")[: limit + 1]
        for i, v in enumerate(values)
    ]
    if key_queries(len(values), using=keys_qs.db) == 1:
        rows = list(slices[0].union(*slices[1:], all=True))
    else:
        rows = [row for part in slices for row in part]
    parts: list[list[Key]] = [[] for _ in values]
    for value, pk, part in rows:
        parts[part].append((value, pk))
    for keys in parts:
        keys.sort(reverse=sort.descending)
    return parts
