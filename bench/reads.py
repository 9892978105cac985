"""Latency and query count of the reads agents do all day, at the database's current size.

    AMPARO_DATA_DIR=/tmp/amparo-bench [DATABASE_URL=postgres://…] .venv/bin/python bench/reads.py

Runs in-process: the selectors directly, and the API through django.test.Client (the whole
Django stack: middleware, token auth, ninja, serialization; no sockets, no ASGI server).
Prints median/p95 over --runs runs after warm-up, the SQL query count of one run, and the
plan of each list query (EXPLAIN ANALYZE on PostgreSQL, EXPLAIN QUERY PLAN on SQLite).

(b) is the desk's queues through amparo.desk.selectors.queue_page: "mine", "my teams", "all
open" and "unassigned" (the four open statuses, newest activity first), page 1 and a deep
page (page --deep-page, or the queue's last full page), and the plans of the ordered ticket
queries of each first page. The script also runs against older commits (PYTHONPATH=<checkout>) for
before/after comparisons.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import time
from collections.abc import Callable
from typing import Any, NamedTuple

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "amparo.config.settings")
django.setup()

from django.db import connection  # noqa: E402
from django.db.models import Count, Max  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from amparo.accounts.models import Role, TokenScope, User  # noqa: E402
from amparo.accounts.selectors import team_ids_for  # noqa: E402
from amparo.accounts.services import api_token_create, api_token_revoke  # noqa: E402
from amparo.api.pagination import keyset_page  # noqa: E402
from amparo.core.errors import NotFound  # noqa: E402
from amparo.desk import selectors as desk_selectors  # noqa: E402
from amparo.desk.filters import BUILTIN_BY_KEY  # noqa: E402
from amparo.tickets import selectors  # noqa: E402
from amparo.tickets.models import Ticket  # noqa: E402

OPEN_NEW = ["open", "new"]
DESK_QUEUES = {"mine": "mine", "my teams": "teams", "all open": "open", "unassigned": "unassigned"}


class Figures(NamedTuple):
    median: float  # wall-clock ms
    p95: float
    cpu: float  # median CPU ms of this process: what the shared machine's load does not inflate
    queries: int
    sql: float  # ms the database took for the queries of one run, as Django timed them


def measure(fn: Callable[[], Any], runs: int, warmup: int = 3) -> Figures:
    for _ in range(warmup):
        fn()
    with CaptureQueriesContext(connection) as ctx:
        fn()
    # Read now: the next request's request_started signal empties the log it points into.
    queries = ctx.captured_queries
    sql = sum(float(q["time"]) for q in queries) * 1000
    walls, cpus = [], []
    for _ in range(runs):
        started, cpu = time.perf_counter(), time.process_time()
        fn()
        walls.append((time.perf_counter() - started) * 1000)
        cpus.append((time.process_time() - cpu) * 1000)
    walls.sort()
    p95 = walls[min(len(walls) - 1, round(0.95 * len(walls)) - 1)]
    return Figures(statistics.median(walls), p95, statistics.median(cpus), len(queries), sql)


def report(name: str, fn: Callable[[], Any], runs: int, results: list[tuple[str, Figures]]) -> None:
    f = measure(fn, runs)
    results.append((name, f))
    print(
        f"  {name}\n      median {f.median:7.1f} ms  p95 {f.p95:7.1f} ms  cpu {f.cpu:6.1f} ms  "
        f"{f.queries} queries, {f.sql:.1f} ms in SQL",
        flush=True,
    )


def explain_sql(title: str, sql: str) -> None:
    """The plan of one captured query (its parameters are already in the SQL text)."""
    print(f"\n--- plan: {title}")
    print(sql)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
            print("\n".join(row[0] for row in cursor.fetchall()))
        else:
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
            print("\n".join(str(row[-1]) for row in cursor.fetchall()))


def explain(title: str, qs: Any) -> None:
    print(f"\n--- plan: {title}")
    print(str(qs.query))
    if connection.vendor == "postgresql":
        print(qs.explain(analyze=True, buffers=True))
    else:
        print(qs.explain())


def pick_agent() -> User:
    """The non-admin agent with the most open/new tickets assigned: the busiest queue."""
    row = (
        Ticket.objects.filter(status__in=OPEN_NEW, assignee__role=Role.AGENT)
        .values("assignee")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    if row is None:
        raise SystemExit("No agent has open tickets: run bench/generate.py first.")
    return User.objects.get(pk=row["assignee"])


def visible_ticket_ids(agent: User, count: int) -> list[int]:
    top = Ticket.objects.aggregate(m=Max("id"))["m"]
    rng = random.Random(1)
    ids: list[int] = []
    while len(ids) < count:
        candidate = rng.randint(1, top)
        try:
            selectors.ticket_get_for_agent(agent=agent, ticket_id=candidate)
        except NotFound:
            continue
        ids.append(candidate)
    return ids


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--deep-page", type=int, default=20, help="desk queues: page number")
    args = parser.parse_args()
    runs = args.runs

    total = Ticket.objects.count()
    admin = User.objects.filter(role=Role.ADMIN, is_active=True).order_by("id").first()
    agent = pick_agent()
    teams = team_ids_for(agent)
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    print(f"tickets: {total:,}; open/new: {Ticket.objects.filter(status__in=OPEN_NEW).count():,}")
    print(
        f"agent #{agent.pk} ({agent.role}) in teams {teams}: "
        f"{Ticket.objects.filter(status__in=OPEN_NEW, assignee=agent).count():,} open/new assigned, "
        f"{selectors.ticket_list_for_agent(agent=agent, filters=selectors.TicketFilters(status=OPEN_NEW)).count():,}"
        " open/new visible"
    )
    print("mode: in-process (selectors called directly; API through django.test.Client)\n")

    read_token, read_secret = api_token_create(
        user=agent, name="bench reads", scope=TokenScope.READ
    )
    assert admin is not None
    admin_token, admin_secret = api_token_create(
        user=admin, name="bench reads", scope=TokenScope.READ
    )
    client = Client(SERVER_NAME="127.0.0.1", HTTP_AUTHORIZATION=f"Bearer {read_secret}")
    admin_client = Client(SERVER_NAME="127.0.0.1", HTTP_AUTHORIZATION=f"Bearer {admin_secret}")

    def fresh_agent() -> User:
        # A new object per run, as a request would have: no cached team ids.
        return User.objects.get(pk=agent.pk)

    def selector_page(filters: selectors.TicketFilters) -> Callable[[], Any]:
        def run() -> Any:
            # What GET /api/v1/tickets runs; before ticket_page_for_agent existed, keyset_page.
            page = getattr(selectors, "ticket_page_for_agent", None)
            if page is not None:
                return page(
                    agent=fresh_agent(), filters=filters, order="-updated_at", cursor=None, limit=50
                )
            qs = selectors.ticket_list_for_agent(agent=fresh_agent(), filters=filters)
            return keyset_page(qs, order="-updated_at", cursor=None, limit=50)

        return run

    def queue(key: str, cursor: str | None) -> Callable[[], Any]:
        def run() -> Any:
            who = fresh_agent()
            spec = BUILTIN_BY_KEY[key].build(who)
            return desk_selectors.queue_page(agent=who, specs=[spec], cursor=cursor)

        return run

    def deep_cursor(key: str) -> tuple[int, str | None]:
        """The cursor of page --deep-page of a queue, or of its last full page: (page, cursor)."""
        page, cursor, previous = 1, None, None
        while page < args.deep_page:
            _items, following = queue(key, cursor)()
            if following is None:
                break
            page, previous, cursor = page + 1, cursor, following
        if page == 1:
            return 1, None
        # The last page may be short; keep a full one so pages compare.
        if page < args.deep_page and previous is not None:
            return page - 1, previous
        return page, cursor

    def get(c: Client, url: str) -> Callable[[], Any]:
        def run() -> Any:
            response = c.get(url)
            assert response.status_code == 200, (url, response.status_code, response.content[:300])
            return response

        return run

    mine = selectors.TicketFilters(status=OPEN_NEW, assignee_id=agent.pk)
    my_teams = selectors.TicketFilters(status=OPEN_NEW)
    list_url = "/api/v1/tickets?status=open&status=new"
    results: list[tuple[str, Figures]] = []
    print("(a) open-ticket list, first page of 50, newest activity first")
    report("selector: my open tickets (assignee = me)", selector_page(mine), runs, results)
    report(
        "selector: my teams' open tickets (visibility scope)",
        selector_page(my_teams),
        runs,
        results,
    )
    report(
        f"API GET {list_url}&assignee_id={agent.pk}",
        get(client, f"{list_url}&assignee_id={agent.pk}"),
        runs,
        results,
    )
    report(f"API GET {list_url} (agent: my teams)", get(client, list_url), runs, results)
    report(f"API GET {list_url} (admin: everything)", get(admin_client, list_url), runs, results)
    second = client.get(list_url).json()["next_cursor"]
    if second:
        report(
            "API same, page 2 (cursor)", get(client, f"{list_url}&cursor={second}"), runs, results
        )

    print("\n(b) desk queues (queue_page): open statuses, newest activity first, pages of 50")
    ordered: dict[str, list[str]] = {}
    for label, key in DESK_QUEUES.items():
        report(f"desk {label}, page 1", queue(key, None), runs, results)
        with CaptureQueriesContext(connection) as ctx:
            queue(key, None)()
        # The ordered, limited ticket queries: the page (status IN …) or its per-status keys.
        ordered[label] = [
            q["sql"]
            for q in ctx.captured_queries
            if '"tickets_ticket"' in q["sql"] and " LIMIT " in q["sql"]
        ]
        page, cursor = deep_cursor(key)
        if cursor:
            report(f"desk {label}, page {page}", queue(key, cursor), runs, results)

    print("\n(c) one ticket and its messages (a different visible ticket each run)")
    ids = visible_ticket_ids(agent, runs + 3)
    cycle = iter(ids * 3)
    report(
        "API GET /api/v1/tickets/{id}",
        lambda: get(client, f"/api/v1/tickets/{next(cycle)}")(),
        runs,
        results,
    )
    cycle = iter(ids * 3)
    report(
        "API GET /api/v1/tickets/{id}/messages",
        lambda: get(client, f"/api/v1/tickets/{next(cycle)}/messages")(),
        runs,
        results,
    )

    for title, filters, who in (
        ("my open tickets", mine, agent),
        ("my teams' open tickets", my_teams, agent),
        ("admin, all open tickets", my_teams, admin),
    ):
        qs = selectors.ticket_list_for_agent(agent=who, filters=filters)
        explain(title, qs.order_by("-updated_at", "-id")[:51])
    for label, queries in ordered.items():
        for n, sql in enumerate(queries, 1):
            explain_sql(f"desk {label}, page 1, ordered query {n} of {len(queries)}", sql)
    ticket = Ticket.objects.get(pk=ids[0])
    explain(
        "a ticket's messages",
        selectors.message_list(ticket=ticket, include_internal=True).order_by("created_at", "id")[
            :51
        ],
    )

    api_token_revoke(token=read_token)
    api_token_revoke(token=admin_token)
    print("\nsummary")
    print("| read | median ms | p95 ms | CPU ms (median) | queries | SQL ms (one run) |")
    print("|---|---|---|---|---|---|")
    for name, f in results:
        print(
            f"| {name} | {f.median:.1f} | {f.p95:.1f} | {f.cpu:.1f} | {f.queries} | {f.sql:.1f} |"
        )


if __name__ == "__main__":
    main()
