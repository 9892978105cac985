"""Latency of full-text search (tickets and contacts) at the database's current size.

    AMPARO_DATA_DIR=/tmp/amparo-bench [DATABASE_URL=postgres://…] .venv/bin/python bench/search.py

Needs a generated database (bench/generate.py, which rebuilds the search indexes at the end;
otherwise run ``amparo search rebuild`` first). In-process: the desk queue through its
selectors (first page and the capped count), the REST API, the customer portal and the
contacts page through django.test.Client. Terms are a common word, a rarer one, a phrase, a
prefix being typed, two words, a number that appears in one ticket, a word found nowhere and
a ticket number. Prints how many tickets match each term, median/p95 ms over --runs runs
after warm-up and the SQL queries of one run; --explain prints the plan of the desk query.
Writes one row for good: a portal account for the customer with the most tickets. Ends
with the cost the index adds to a write: one reply through the services, with and
without the triggers (each run rolled back).
"""

from __future__ import annotations

import argparse
import os
import random
import re
import statistics
import time
from collections.abc import Callable
from typing import Any

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "amparo.config.settings")
django.setup()

from _measure import measure  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402

from amparo.accounts.models import Role, TokenScope, User  # noqa: E402
from amparo.accounts.services import api_token_create, api_token_revoke  # noqa: E402
from amparo.core.actors import Actor  # noqa: E402
from amparo.crm.models import Contact, ContactIdentity  # noqa: E402
from amparo.desk import selectors as desk  # noqa: E402
from amparo.desk.filters import BUILTIN_BY_KEY, QueueSpec  # noqa: E402
from amparo.search.backends import backend  # noqa: E402
from amparo.search.selectors import index_is_current, ticket_ids_matching  # noqa: E402
from amparo.tickets.models import Message, Ticket  # noqa: E402
from amparo.tickets.services import message_add  # noqa: E402


def matches(term: str) -> int:
    """Tickets whose text matches (for an agent), counted in the index itself."""
    if term.startswith("#"):
        return 1
    ids = ticket_ids_matching(term, include_internal=True)
    if ids is None:
        return 0
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM ({ids.sql}) AS m", ids.params)
        return int(cursor.fetchone()[0])


def rare_number() -> str:
    """A long number (order, protocol) written in one message: a rare term."""
    rng = random.Random(3)
    top = Message.objects.order_by("-id").values_list("id", flat=True).first() or 0
    for _ in range(200):
        body = Message.objects.filter(id__gte=rng.randint(1, top)).values_list(
            "body_text", flat=True
        )[:1]
        found = re.search(r"\b\d{8,10}\b", body[0]) if body else None
        if found:
            return found.group(0)
    return "4815162342"


def portal_customer(contact_id: int) -> User:
    """A portal account for the contact (the generator makes none); kept for the next run."""
    contact = Contact.objects.select_related("user").get(pk=contact_id)
    if contact.user is None:
        user = User.objects.create_user(
            f"bench-portal-{contact_id}@bench.amparo.test",
            None,
            name=contact.name,
            role=Role.CUSTOMER,
        )
        Contact.objects.filter(pk=contact_id).update(user=user)
        return user
    return contact.user


def get(client: Client, url: str) -> Callable[[], Any]:
    def call() -> Any:
        response = client.get(url, HTTP_HOST="127.0.0.1")
        assert response.status_code == 200, (url, response.status_code, response.content[:300])
        return response

    return call


def write_cost(agent: User, runs: int) -> None:
    """A note added through the services, rolled back, on a short and on the longest
    conversation; with the index's triggers and without (dropped inside the rolled-back
    transaction, so nothing changes for good), alternating so both see the same load."""
    impl = backend()
    short = Ticket.objects.filter(message_count=5, merged_into__isnull=True).order_by("id").first()
    longest = Ticket.objects.filter(merged_into__isnull=True).order_by("-message_count").first()

    def note(ticket: Ticket, without_triggers: bool) -> float:
        with transaction.atomic():
            if without_triggers:
                with connection.cursor() as cursor:
                    for name, spec in impl.TRIGGERS.items():
                        on = f" ON {spec[0]}" if connection.vendor == "postgresql" else ""
                        cursor.execute(f"DROP TRIGGER {name}{on}")
            started = time.perf_counter()
            message_add(
                ticket=ticket,
                actor=Actor.of_agent(agent),
                body_text="Obrigado pelo retorno, seguimos acompanhando o caso.",
                is_internal=True,
            )
            elapsed = (time.perf_counter() - started) * 1000
            transaction.set_rollback(True)
        return elapsed

    print("\nwrite: one internal note through the services (rolled back), median ms")
    for ticket in (short, longest):
        if ticket is None:
            continue
        times: dict[bool, list[float]] = {False: [], True: []}
        for i in range(2 * (runs + 2)):
            times[bool(i % 2)].append(note(ticket, bool(i % 2)))
        with_t, without_t = (statistics.median(times[k][2:]) for k in (False, True))
        print(
            f"  ticket #{ticket.pk} ({ticket.message_count} messages): "
            f"{with_t:.1f} with the search triggers, {without_t:.1f} without"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--explain", action="store_true")
    args = parser.parse_args()
    runs = args.runs
    if not (index_is_current("tickets") and index_is_current("contacts")):
        raise SystemExit("The search indexes are not built: run `amparo search rebuild`.")
    total = Ticket.objects.count()
    admin = User.objects.filter(role=Role.ADMIN, is_active=True).order_by("id").first()
    agent = (
        User.objects.filter(role=Role.AGENT, is_active=True, teams__isnull=False)
        .order_by("id")
        .first()
    )
    if admin is None or agent is None:
        raise SystemExit("No agents: run bench/generate.py first.")
    sample = (
        Ticket.objects.filter(pk__lte=total)
        .order_by("-id")
        .values_list("pk", flat=True)[total // 3]
    )
    terms = [
        "internet",
        "notebook",
        '"segunda via"',
        "cancel",
        "boleto vencido",
        rare_number(),
        "xyzzy",
        f"#{sample}",
    ]
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    print(
        f"tickets: {total:,}; agent #{agent.pk} in teams {list(agent.teams.values_list('id', flat=True))}"
    )
    print(f"{'search':58} {'matches':>8} {'median ms':>10} {'p95 ms':>8} {'queries':>8}")

    def row(label: str, n: int | str, fn: Callable[[], Any]) -> None:
        median, p95, queries = measure(fn, runs)
        print(f"{label:58} {n!s:>8} {median:10.1f} {p95:8.1f} {queries:8d}", flush=True)

    counts = {term: matches(term) for term in terms}
    for view in ("open", "mine"):
        base = BUILTIN_BY_KEY[view].build(agent)
        row(
            f"desk {view}: (no search, for comparison)",
            "",
            lambda base=base: desk.queue_page(agent=agent, specs=[base], cursor=None),
        )
        for term in terms:
            specs = [base, QueueSpec(text=term)]
            row(
                f"desk {view}: {term}",
                counts[term],
                lambda specs=specs: desk.queue_page(agent=agent, specs=specs, cursor=None),
            )
    for term in ("internet", '"segunda via"'):
        specs = [BUILTIN_BY_KEY["open"].build(agent), QueueSpec(text=term)]
        row(
            f"desk open, capped count: {term}",
            counts[term],
            lambda specs=specs: desk.queue_count(agent=agent, specs=specs),
        )
    agent.language = "en"
    page_client = Client()
    page_client.force_login(agent)
    row(
        "desk page /desk/?view=open&q=internet (whole page)",
        counts["internet"],
        get(page_client, "/desk/?view=open&q=internet"),
    )

    _admin_token, admin_secret = api_token_create(
        user=admin, name="bench search", scope=TokenScope.READ
    )
    _agent_token, agent_secret = api_token_create(
        user=agent, name="bench search", scope=TokenScope.READ
    )
    try:
        for who, secret in (("admin", admin_secret), ("agent", agent_secret)):
            client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
            row(f"API {who}, every status: (no search)", "", get(client, "/api/v1/tickets"))
            for term in (terms[0], terms[2], terms[5]):
                row(
                    f"API {who}, every status: q={term}",
                    counts[term],
                    get(client, f"/api/v1/tickets?q={term}"),
                )
    finally:
        api_token_revoke(token=_admin_token)
        api_token_revoke(token=_agent_token)

    busiest = (
        Contact.objects.filter(tickets__isnull=False)
        .annotate(n=Count("tickets"))
        .order_by("-n")
        .values_list("pk", "n")
        .first()
    )
    if busiest:
        customer = portal_customer(busiest[0])
        portal = Client(HTTP_ACCEPT_LANGUAGE="en")
        portal.force_login(customer)
        row(
            f"portal, customer with {busiest[1]:,} tickets: (no search)",
            "",
            get(portal, "/portal/"),
        )
        for term in (terms[0], terms[2], terms[4]):
            row(
                f"portal, customer with {busiest[1]:,} tickets: {term}",
                "",
                get(portal, f"/portal/?q={term}"),
            )
    print()
    contact = Contact.objects.filter(identities__kind="email").order_by("id")[len(terms) * 97]
    email = contact.identities.filter(kind="email").values_list("value", flat=True)[0]
    phone = (
        ContactIdentity.objects.filter(kind="phone")
        .order_by("id")
        .values_list("value", flat=True)[500]
    )
    first, _, last = contact.name.partition(" ")
    for label, q in (
        ("name prefix", first[:3].lower()),
        ("first and last name", contact.name),
        ("two prefixes", f"{first[:3]} {last[:3]}"),
        ("organization word", "comercial"),
        ("whole email", email),
        ("email prefix", email[: len(email) // 2]),
        ("phone prefix", phone[:9]),
    ):
        row(f"contacts page: {label} ({q})", "", get(page_client, f"/contacts/?q={q}"))

    if args.explain:
        specs = [BUILTIN_BY_KEY["open"].build(agent), QueueSpec(text="internet")]
        qs = desk.queue_queryset(agent=agent, specs=specs).order_by("-updated_at", "-id")[:51]
        print(qs.explain(analyze=True) if connection.vendor == "postgresql" else qs.explain())
    write_cost(agent, runs)


if __name__ == "__main__":
    main()
