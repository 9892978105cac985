"""Keyset pages, and pages of several statuses merged from one query per status, against the
plain ordered query over random data with many ties."""

from __future__ import annotations

import datetime
import random
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from amparo.api.pagination import (
    decode_cursor,
    encode_cursor,
    key_queries,
    keyset_page,
    keyset_page_split,
    merge_keys,
)
from amparo.core.errors import DomainError
from amparo.tickets.models import Channel, Status, Ticket

ORDERS = ["-updated_at", "updated_at", "-created_at", "created_at", "-priority", "priority"]
ORDERS += ["-id", "id"]
STATUSES = [s.value for s in Status]


@pytest.fixture
def tickets(contact) -> list[Ticket]:
    """120 tickets over random statuses; sort values drawn from few distinct ones, so that
    pages often end inside a run of equal values and ties are broken by id."""
    rng = random.Random(7)
    base = timezone.now().replace(microsecond=0)
    stamps = [
        base - datetime.timedelta(minutes=m, microseconds=rng.choice([0, 1, 500_000]))
        for m in range(12)
    ]
    rows = Ticket.objects.bulk_create(
        Ticket(
            subject=f"T{i}",
            contact=contact,
            channel=Channel.EMAIL,
            status=rng.choice(STATUSES),
            priority=rng.randint(1, 4),
        )
        for i in range(120)
    )
    for row in rows:
        row.updated_at = rng.choice(stamps)
        row.created_at = rng.choice(stamps)
    # bulk_update does not apply auto_now, so the chosen values stay.
    Ticket.objects.bulk_update(rows, ["updated_at", "created_at"])
    return list(Ticket.objects.all())


def expected(rows: list[Ticket], statuses: list[str], order: str) -> list[int]:
    field = order.lstrip("-")
    chosen = [t for t in rows if t.status in statuses]
    chosen.sort(key=lambda t: (getattr(t, field), t.pk), reverse=order.startswith("-"))
    return [t.pk for t in chosen]


def walk(page: Any, limit: int) -> tuple[list[int], list[str]]:
    """Every id, following the cursors to the end; and the cursors seen."""
    ids: list[int] = []
    cursors: list[str] = []
    cursor = None
    for _ in range(1000):
        items, cursor = page(cursor)
        assert len(items) <= limit
        ids += [t.pk for t in items]
        if cursor is None:
            return ids, cursors
        assert len(items) == limit
        cursors.append(cursor)
    raise AssertionError("the cursors never ended")


@pytest.mark.django_db
@pytest.mark.parametrize("order", ORDERS)
def test_split_pages_equal_the_plain_query_all_the_way_through(tickets, order):
    rng = random.Random(order)
    for limit in (1, 3, 7, 50, 200):
        statuses = rng.sample(STATUSES, rng.randint(2, 5))

        def split(cursor: str | None, statuses=statuses, limit=limit) -> Any:
            return keyset_page_split(
                Ticket.objects.all(),
                field="status",
                values=statuses,
                order=order,
                cursor=cursor,
                limit=limit,
            )

        def plain(cursor: str | None, statuses=statuses, limit=limit) -> Any:
            return keyset_page(
                Ticket.objects.filter(status__in=statuses),
                order=order,
                cursor=cursor,
                limit=limit,
            )

        split_ids, split_cursors = walk(split, limit)
        plain_ids, plain_cursors = walk(plain, limit)
        want = expected(tickets, statuses, order)
        assert split_ids == want, (limit, statuses)
        assert plain_ids == want, (limit, statuses)
        assert split_cursors == plain_cursors  # same cursors: either reads the other's


@pytest.mark.django_db
def test_cursor_of_one_shape_continues_the_other(tickets):
    statuses = [Status.NEW, Status.OPEN, Status.PENDING]
    qs = Ticket.objects.all()
    _, cursor = keyset_page(
        qs.filter(status__in=statuses), order="-updated_at", cursor=None, limit=10
    )
    split, _ = keyset_page_split(
        qs, field="status", values=statuses, order="-updated_at", cursor=cursor, limit=10
    )
    plain, _ = keyset_page(
        qs.filter(status__in=statuses), order="-updated_at", cursor=cursor, limit=10
    )
    assert [t.pk for t in split] == [t.pk for t in plain]
    assert split


@pytest.mark.django_db
def test_split_query_count_is_keys_plus_rows_plus_prefetch(tickets):
    qs = Ticket.objects.select_related("contact").prefetch_related("tags")
    four = [Status.NEW, Status.OPEN, Status.PENDING, Status.ON_HOLD]
    for limit in (2, 50):
        with CaptureQueriesContext(connection) as ctx:
            items, cursor = keyset_page_split(
                qs, field="status", values=four, order="-updated_at", cursor=None, limit=limit
            )
            keyset_page_split(
                qs, field="status", values=four, order="-updated_at", cursor=cursor, limit=limit
            )
        assert len(ctx.captured_queries) == 2 * (key_queries(4) + 1 + 1)
        assert all(t.contact.name for t in items)  # joined, not one query per row


@pytest.mark.django_db
def test_single_or_no_status_is_one_plain_page(tickets):
    with CaptureQueriesContext(connection) as ctx:
        items, _ = keyset_page_split(
            Ticket.objects.all(),
            field="status",
            values=[Status.OPEN, Status.OPEN],
            order="-updated_at",
            cursor=None,
            limit=5,
        )
    assert len(ctx.captured_queries) == 1
    assert {t.status for t in items} <= {Status.OPEN}
    none, cursor = keyset_page_split(
        Ticket.objects.all(), field="status", values=[], order="id", cursor=None, limit=5
    )
    assert (none, cursor) == ([], None)


@pytest.mark.django_db
@pytest.mark.parametrize("order", ["-updated_at", "created_at"])
def test_deep_pages_give_the_planner_a_range_bound(tickets, order):
    """``f <= v`` (``>=`` ascending) before the OR, so an index scan can start at the cursor."""
    field = order.lstrip("-")
    _, cursor = keyset_page(Ticket.objects.all(), order=order, cursor=None, limit=5)
    assert cursor
    with CaptureQueriesContext(connection) as ctx:
        keyset_page(Ticket.objects.all(), order=order, cursor=cursor, limit=5)
        keyset_page_split(
            Ticket.objects.all(),
            field="status",
            values=[Status.OPEN, Status.NEW],
            order=order,
            cursor=cursor,
            limit=5,
        )
    op = "<=" if order.startswith("-") else ">="
    # The plain page's query, then the split's keys (one query per status, or one UNION).
    sql = " ".join(q["sql"] for q in ctx.captured_queries[: 1 + key_queries(2)])
    assert sql.count(f'"{field}" {op} ') == 1 + 2, sql


@pytest.mark.django_db
def test_nullable_or_text_sorts_are_refused(tickets):
    with pytest.raises(ValueError, match="nullable"):
        keyset_page(Ticket.objects.all(), order="-solved_at", cursor=None, limit=5)
    with pytest.raises(ValueError, match="merged"):
        keyset_page_split(
            Ticket.objects.all(),
            field="status",
            values=[Status.OPEN, Status.NEW],
            order="subject",
            cursor=None,
            limit=5,
        )


@pytest.mark.django_db
def test_bad_cursor_and_limit_are_domain_errors(tickets):
    for cursor in ("garbage", encode_cursor("not a date", 3)):
        with pytest.raises(DomainError):
            keyset_page_split(
                Ticket.objects.all(),
                field="status",
                values=[Status.OPEN, Status.NEW],
                order="-updated_at",
                cursor=cursor,
                limit=5,
            )
    with pytest.raises(DomainError):
        keyset_page(Ticket.objects.all(), order="id", cursor=None, limit=0)


def test_cursor_round_trip():
    when = datetime.datetime(2026, 12, 1, 12, 30, 0, 250, tzinfo=datetime.UTC)
    assert decode_cursor(encode_cursor(when, 42), is_datetime=True) == (when, 42)
    assert decode_cursor(encode_cursor(3, 7)) == (3, 7)


@pytest.mark.parametrize("seed", range(40))
def test_merge_keys_equals_sorting_the_union(seed):
    rng = random.Random(seed)
    descending = rng.random() < 0.5
    limit = rng.randint(1, 12)
    keys = [(rng.randint(0, 6), pk) for pk in range(rng.randint(0, 60))]
    parts: list[list[tuple[Any, int]]] = [[] for _ in range(rng.randint(1, 5))]
    for key in keys:
        rng.choice(parts).append(key)
    # What each query returns: its first limit + 1 keys in order.
    parts = [sorted(p, reverse=descending)[: limit + 1] for p in parts]
    got, more = merge_keys(parts, descending=descending, limit=limit)
    want = sorted(keys, reverse=descending)
    assert got == want[:limit]
    assert more == (len(want) > limit)


def test_merge_keys_keeps_a_row_seen_twice_once():
    # The row changed status (and updated_at) between the two per-status queries.
    parts = [[(9, 1), (5, 2)], [(7, 2), (3, 4)]]
    got, more = merge_keys(parts, descending=True, limit=5)
    assert got == [(9, 1), (7, 2), (3, 4)]
    assert not more
