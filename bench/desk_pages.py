"""Latency and query count of the agent desk pages at the database's current size.

    AMPARO_DATA_DIR=/tmp/amparo-bench [DATABASE_URL=postgres://…] .venv/bin/python bench/desk_pages.py

In-process through django.test.Client (middleware, session auth, templates): every built-in
queue view (first page and, where there is one, the second page by cursor), a filtered queue,
a subject search, the ticket page of the ticket with the most messages the agent can see, and
the capped count of each view on its own. Prints median/p95 ms over --runs runs and the SQL
query count of one request. Read-only apart from the agent's session row.
"""

from __future__ import annotations

import argparse
import os
import re
from collections.abc import Callable
from typing import Any

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "amparo.config.settings")
django.setup()

from _measure import measure  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from amparo.accounts.models import Role, User  # noqa: E402
from amparo.desk import selectors  # noqa: E402
from amparo.desk.filters import BUILTIN_VIEWS  # noqa: E402
from amparo.tickets.models import Ticket  # noqa: E402
from amparo.tickets.selectors import ticket_list_for_agent  # noqa: E402


def get(client: Client, url: str) -> Callable[[], Any]:
    def call() -> Any:
        response = client.get(url, HTTP_HOST="127.0.0.1")
        assert response.status_code == 200, (url, response.status_code)
        return response

    return call


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    agent = (
        User.objects.filter(role=Role.AGENT, is_active=True, teams__isnull=False)
        .order_by("id")
        .first()
    )
    if agent is None:
        raise SystemExit("no agent with a team: run bench/generate.py first")
    agent.language = "en"
    client = Client()
    client.force_login(agent)
    total = Ticket.objects.count()
    print(f"{connection.vendor}: {total:,} tickets; agent #{agent.pk} ({agent.email})")
    print(f"{'page':44} {'median ms':>10} {'p95 ms':>8} {'queries':>8}")

    def row(label: str, fn: Callable[[], Any]) -> None:
        median, p95, queries = measure(fn, args.runs)
        print(f"{label:44} {median:10.1f} {p95:8.1f} {queries:8d}")

    for view in BUILTIN_VIEWS:
        url = f"/desk/?view={view.key}"
        row(f"queue {view.key}", get(client, url))
        found = re.search(r'cursor=([A-Za-z0-9_-]+)"', get(client, url)().content.decode())
        if found:
            row(f"queue {view.key}, page 2", get(client, f"{url}&cursor={found.group(1)}"))
    row(
        "queue open, priority urgent + channel email",
        get(client, "/desk/?view=open&priority=4&channel=email"),
    )
    row("queue open, search subject 'nota'", get(client, "/desk/?view=open&q=nota"))
    row("queue open, search number", get(client, f"/desk/?view=open&q={total // 2}"))
    busiest = (
        ticket_list_for_agent(agent=agent)
        .order_by("-message_count")
        .values_list("pk", flat=True)
        .first()
    )
    if busiest:
        count = Ticket.objects.get(pk=busiest).message_count
        row(f"ticket page #{busiest} ({count} messages)", get(client, f"/desk/tickets/{busiest}/"))
    for view in BUILTIN_VIEWS:
        spec = view.build(agent)
        row(
            f"count {view.key} (cap {selectors.COUNT_CAP})",
            lambda spec=spec: selectors.queue_count(agent=agent, specs=[spec]),
        )


if __name__ == "__main__":
    main()
