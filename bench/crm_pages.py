"""Latency and query count of the agent CRM pages (/contacts/, /organizations/) at the current size.

    AMPARO_DATA_DIR=/tmp/amparo-bench [DATABASE_URL=postgres://…] .venv/bin/python bench/crm_pages.py

In-process through django.test.Client (middleware, session auth, templates): the contact list
(first page, a page deep in the alphabet by cursor), searches by name, email and phone, the
page of the contact with the most tickets, the organization list and the page of the largest
organization. Prints median/p95 ms over --runs runs and the SQL query count of one request,
and with --explain the plan of the list and search queries. Read-only apart from the agent's
session row.
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
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from amparo.accounts.models import Role, User  # noqa: E402
from amparo.crm.models import Contact, ContactIdentity  # noqa: E402
from amparo.tickets.models import Ticket  # noqa: E402


def get(client: Client, url: str) -> Callable[[], Any]:
    def call() -> Any:
        response = client.get(url, HTTP_HOST="127.0.0.1")
        assert response.status_code == 200, (url, response.status_code)
        return response

    return call


def explain(client: Client, url: str) -> None:
    with CaptureQueriesContext(connection) as ctx:
        client.get(url, HTTP_HOST="127.0.0.1")
    # The longest statement of the request is the list or search query.
    sql = max((q["sql"] for q in ctx.captured_queries), key=len)
    prefix = "EXPLAIN ANALYZE " if connection.vendor == "postgresql" else "EXPLAIN QUERY PLAN "
    with connection.cursor() as cursor:
        cursor.execute(prefix + sql)
        rows = cursor.fetchall()
    print(f"\n-- plan of {url}")
    for row in rows:
        print("   ", row[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--explain", action="store_true")
    args = parser.parse_args()

    agent = User.objects.filter(role=Role.AGENT, is_active=True).order_by("id").first()
    if agent is None:
        raise SystemExit("no agent: run bench/generate.py first")
    client = Client()
    client.force_login(agent)

    contacts = Contact.objects.filter(merged_into__isnull=True)
    size = contacts.count()
    middle = contacts.order_by("name", "id").values_list("name", flat=True)[size // 2]
    deep_cursor = ""
    first = client.get("/contacts/", HTTP_HOST="127.0.0.1").content.decode()
    match = re.search(r"cursor=([\w-]+)", first)
    if match:
        deep_cursor = match.group(1)
    # A cursor in the middle of the alphabet: what "next page" costs after many pages.
    from amparo.api.pagination import _encode

    mid_id = contacts.filter(name=middle).order_by("id").values_list("id", flat=True).first()
    deep_cursor = _encode([middle, mid_id])
    email = (
        ContactIdentity.objects.filter(kind="email")
        .order_by("id")
        .values_list("value", flat=True)[size // 3]
    )
    phone = (
        ContactIdentity.objects.filter(kind="phone").order_by("id").values_list("value", flat=True)
    )[size // 4]
    surname = middle.split()[-1] if middle else "Silva"
    busiest = (
        Ticket.objects.values("contact_id").annotate(n=Count("id")).order_by("-n").first() or {}
    )
    biggest_org = (
        Contact.objects.exclude(organization=None)
        .values("organization_id")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
        or {}
    )
    urls = {
        "contact list, page 1": "/contacts/",
        "contact list, middle page by cursor": f"/contacts/?cursor={deep_cursor}",
        f"search name '{surname}'": f"/contacts/?q={surname}",
        "search rare name 'zzzz'": "/contacts/?q=zzzz",
        "search email (exact)": f"/contacts/?q={email}",
        "search phone (national form)": f"/contacts/?q={phone.removeprefix('+55')}",
        f"contact page (busiest, {busiest.get('n', 0)} tickets)": f"/contacts/{busiest.get('contact_id', 1)}/",
        "organization list, page 1": "/organizations/",
        f"organization page (biggest, {biggest_org.get('n', 0)} members)": f"/organizations/{biggest_org.get('organization_id', 1)}/",
    }
    print(
        f"{connection.vendor}: {size} contacts, {Ticket.objects.count()} tickets; agent {agent.email}"
    )
    print(f"{'page':58} {'median ms':>10} {'p95 ms':>8} {'queries':>8}")
    for label, url in urls.items():
        median, p95, queries = measure(get(client, url), args.runs)
        print(f"{label:58} {median:10.1f} {p95:8.1f} {queries:8d}")
    if args.explain:
        for url in list(urls.values())[:6]:
            explain(client, url)


if __name__ == "__main__":
    main()
