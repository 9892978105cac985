"""The open-ticket list as today (status IN …) against one keyset query per status, merged.

    AMPARO_DATA_DIR=/tmp/amparo-bench [DATABASE_URL=…] .venv/bin/python bench/list_shapes.py
    … list_shapes.py --sqlite-stats none,limited,full     # SQLite: plans under each statistics
    … list_shapes.py --partial-index                      # PostgreSQL: try a partial index too

Evidence for RESULTS.md §3: SQL time only (best of --runs, warm), through the selectors'
own querysets, for "my open tickets", "my teams" and "admin, everything". On SQLite,
--sqlite-stats rewrites sqlite_stat1 (none: deleted; limited: ANALYZE with
analysis_limit=2000, as generate.py leaves it; full: plain ANALYZE; tickets-full: limited,
then a full ANALYZE of tickets_ticket only) and always ends with "limited". --partial-index creates an index on PostgreSQL and drops it afterwards.
"""

from __future__ import annotations

import argparse
import os
import time
from typing import Any

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "amparo.config.settings")
django.setup()

from django.db import connection  # noqa: E402
from django.db.models import Count, QuerySet  # noqa: E402

from amparo.accounts.models import Role, User  # noqa: E402
from amparo.tickets import selectors  # noqa: E402
from amparo.tickets.models import Ticket  # noqa: E402

STATUSES = ["open", "new"]
PARTIAL = (
    "CREATE INDEX bench_assignee_open_idx ON tickets_ticket (assignee_id, updated_at DESC, "
    "id DESC) WHERE status IN ('new', 'open', 'pending', 'on_hold')"
)


def page(who: User, statuses: list[str], **filters: Any) -> QuerySet[Ticket]:
    f = selectors.TicketFilters(status=statuses, **filters)
    return selectors.ticket_list_for_agent(agent=who, filters=f).order_by("-updated_at", "-id")[:51]


def sql_ms(qs: QuerySet[Ticket], runs: int) -> float:
    sql, params = qs.query.sql_with_params()
    best = float("inf")
    with connection.cursor() as cur:
        for _ in range(runs + 1):  # the first run warms the cache and is dropped by min()
            started = time.perf_counter()
            cur.execute(sql, params)
            cur.fetchall()
            best = min(best, time.perf_counter() - started)
    return best * 1000


def plan(qs: QuerySet[Ticket]) -> str:
    text = qs.explain()
    if connection.vendor == "sqlite":
        keep = [
            ln.split(" ", 3)[-1]
            for ln in text.splitlines()
            if "tickets_ticket" in ln or "TEMP" in ln
        ]
    else:
        keep = [
            ln.strip().lstrip("-> ").split("  (")[0]
            for ln in text.splitlines()
            if "on tickets_ticket" in ln or "Sort" in ln
        ]
    return "; ".join(keep[:3])


def compare(label: str, runs: int) -> None:
    agent_row = (
        Ticket.objects.filter(status__in=STATUSES, assignee__role=Role.AGENT)
        .values("assignee")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    if agent_row is None:
        raise SystemExit("No agent has open tickets: run bench/generate.py first.")
    agent = User.objects.get(pk=agent_row["assignee"])
    admin = User.objects.filter(role=Role.ADMIN, is_active=True).order_by("id").first()
    assert admin is not None
    for name, who, filters in (
        ("my open tickets", agent, {"assignee_id": agent.pk}),
        ("my teams", agent, {}),
        ("admin, everything", admin, {}),
    ):
        together = page(who, STATUSES, **filters)
        split = [page(who, [s], **filters) for s in STATUSES]
        t_in = sql_ms(together, runs)
        t_split = sum(sql_ms(qs, runs) for qs in split)
        print(f"[{label}] {name}")
        print(f"    status IN {tuple(STATUSES)}: {t_in:9.1f} ms | {plan(together)}")
        print(f"    one query per status: {t_split:9.1f} ms | {plan(split[0])}")


def set_sqlite_stats(state: str) -> None:
    with connection.cursor() as cur:
        if state == "none":
            cur.execute("DELETE FROM sqlite_stat1")
        elif state == "tickets-full":
            # Sampled statistics everywhere, exact ones for the tickets table: the mix that
            # PRAGMA optimize leaves when only the tickets table has changed much.
            cur.execute("PRAGMA analysis_limit=2000")
            cur.execute("ANALYZE")
            cur.execute("PRAGMA analysis_limit=0")
            cur.execute("ANALYZE tickets_ticket")
        else:
            cur.execute(f"PRAGMA analysis_limit={2000 if state == 'limited' else 0}")
            cur.execute("ANALYZE")
    connection.close()  # plans are made per connection: start a fresh one


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--sqlite-stats", default="", help="comma list of none,limited,full,tickets-full"
    )
    parser.add_argument("--partial-index", action="store_true", help="PostgreSQL only")
    args = parser.parse_args()
    print(
        f"database: {connection.vendor} {connection.settings_dict['NAME']}; SQL time, best of {args.runs}"
    )
    if connection.vendor == "sqlite" and args.sqlite_stats:
        try:
            for state in args.sqlite_stats.split(","):
                set_sqlite_stats(state)
                compare(f"stats: {state}", args.runs)
        finally:
            set_sqlite_stats("limited")
        return
    compare("as migrated", args.runs)
    if connection.vendor == "postgresql" and args.partial_index:
        with connection.cursor() as cur:
            cur.execute(PARTIAL)
            cur.execute("ANALYZE tickets_ticket")
        try:
            compare("with partial index on open tickets by assignee", args.runs)
        finally:
            with connection.cursor() as cur:
                cur.execute("DROP INDEX bench_assignee_open_idx")


if __name__ == "__main__":
    main()
