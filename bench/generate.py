"""Fill the configured database with a realistic help desk: N tickets over ~3 years.

    AMPARO_DATA_DIR=/tmp/amparo-bench [DATABASE_URL=postgres://…] \\
        .venv/bin/python bench/generate.py --tickets 1000000

Bypasses the services on purpose (they write one ticket per transaction): rows are built in
Python exactly as the services would leave them and written in big batches, with COPY on
PostgreSQL and executemany on SQLite, then the tables are analysed and the search indexes
rebuilt (the load bypasses their triggers). Refuses to add to a database that already has
tickets unless --force.
"""

from __future__ import annotations

import argparse
import math
import os
import random
import sys
import time
import unicodedata

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "amparo.config.settings")
django.setup()

import corpus_ptbr as C  # noqa: E402
from _bulk import BulkWriter  # noqa: E402
from _distributions import TOPIC_TAGS  # noqa: E402
from _gen_tickets import (  # noqa: E402
    EVENT_COLS,
    MESSAGE_COLS,
    TAG_COLS,
    TICKET_COLS,
    Batch,
    TicketMaker,
    World,
)
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from amparo.accounts.models import Role, Team, TeamMembership, User  # noqa: E402
from amparo.crm.models import Contact, ContactIdentity, Organization  # noqa: E402
from amparo.search.services import search_rebuild, search_suspend  # noqa: E402
from amparo.tickets.models import Message, Tag, Ticket, TicketEvent  # noqa: E402

YEARS = 3
TEAMS = {
    "Atendimento Geral": ["cadastro", "duvida", "elogio"],
    "Financeiro": ["reembolso", "cobranca"],
    "Logística": ["entrega"],
    "Suporte Técnico": ["defeito", "acesso", "internet"],
    "Trocas e Devoluções": ["troca"],
    "Vendas": ["plano"],
    "Ouvidoria": ["reclamacao"],
    "Instalações": ["instalacao"],
}
BENCH_DOMAIN = "bench.amparo.test"
# Hours of the day (São Paulo) when customers write, as relative weights.
HOUR_WEIGHTS = [1, 0.5, 0.3, 0.2, 0.2, 0.4, 1, 3, 7, 10, 11, 10]  # 00h-11h
HOUR_WEIGHTS += [8, 9, 10, 10, 9, 8, 6, 5, 4, 3, 2, 1.5]  # 12h-23h


def ascii_lower(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


def small_tables(
    agents: int,
) -> tuple[dict[str, int], dict[int, list[tuple[int, str]]], list, dict]:
    """Teams, agents (with memberships), an administrator and tags: idempotent."""
    team_by_name = {name: Team.objects.get_or_create(name=name)[0].pk for name in TEAMS}
    team_ids = list(team_by_name.values())
    unusable = make_password(None)
    members: dict[int, list[tuple[int, str]]] = {tid: [] for tid in team_ids}
    agent_list: list[tuple[int, str]] = []
    User.objects.get_or_create(
        email=f"admin@{BENCH_DOMAIN}",
        defaults={"name": "Admin Bench", "role": Role.ADMIN, "password": unusable},
    )
    rng = random.Random(7)
    for i in range(agents):
        first = C.FIRST_NAMES[(i * 7) % len(C.FIRST_NAMES)]
        last = C.LAST_NAMES[(i * 11) % len(C.LAST_NAMES)]
        role = Role.SUPERVISOR if i % 10 == 0 else Role.AGENT
        user, _ = User.objects.get_or_create(
            email=f"agente{i + 1:02d}@{BENCH_DOMAIN}",
            defaults={"name": f"{first} {last}", "role": role, "password": unusable},
        )
        teams = [team_ids[i % len(team_ids)]]
        if rng.random() < 0.3:
            teams.append(rng.choice(team_ids))
        for tid in set(teams):
            TeamMembership.objects.get_or_create(team_id=tid, user=user)
        for tid in user.teams.values_list("id", flat=True):
            members[tid].append((user.pk, first))
        agent_list.append((user.pk, first))
    names = {n for tags in TOPIC_TAGS.values() for n in tags}
    names |= {"urgente", "vip", "retorno", "primeiro-contato"}
    tag_ids = {n: Tag.objects.get_or_create(name=n)[0].pk for n in sorted(names)}
    return team_by_name, members, agent_list, tag_ids


def people(writer: BulkWriter, n_contacts: int, start: float, now: float) -> World:
    """Organizations, contacts and their email/phone identities, written in bulk."""
    r = random.random
    n_orgs = max(10, n_contacts // 40)
    org_first = writer.max_id(Organization) + 1
    orgs = []
    for i in range(n_orgs):
        name = f"{random.choice(C.ORG_PREFIXES)} {random.choice(C.ORG_NAMES)} {random.choice(C.ORG_SUFFIXES)}"
        domain = ascii_lower(name.split()[1]) + f"{i}.com.br"
        t = writer.ts(start + r() * (now - start) * 0.5)
        orgs.append((org_first + i, t, t, name, f'["{domain}"]', "", "{}", r() < 0.2))
    with transaction.atomic():
        writer.insert(
            Organization,
            [
                "id",
                "created_at",
                "updated_at",
                "name",
                "domains",
                "notes",
                "custom_fields",
                "shares_tickets",
            ],
            orgs,
        )
    contact_first = writer.max_id(Contact) + 1
    identity_id = writer.max_id(ContactIdentity) + 1
    contact_org: list[int | None] = []
    first_names: list[str] = []
    contacts, identities = [], []
    domains = C.EMAIL_DOMAINS
    for i in range(n_contacts):
        cid = contact_first + i
        first, last = random.choice(C.FIRST_NAMES), random.choice(C.LAST_NAMES)
        org = org_first + int(r() * n_orgs) if r() < 0.35 else None
        t = writer.ts(start + (now - start) * r())
        contacts.append(
            (cid, t, t, f"{first} {last}", org, "pt-br", "America/Sao_Paulo", "", "{}", None, None)
        )
        contact_org.append(org)
        first_names.append(first)
        x = r()
        if x < 0.9:
            email = f"{ascii_lower(first)}.{ascii_lower(last)}{cid}@{random.choice(domains)}"
            identities.append((identity_id, cid, "email", email, True, r() < 0.6, None, "", t))
            identity_id += 1
        if x >= 0.45:
            phone = f"+55{11 + int(r() * 88)}9{(cid * 7919) % 100_000_000:08d}"
            identities.append((identity_id, cid, "phone", phone, x >= 0.9, r() < 0.5, None, "", t))
            identity_id += 1
        if len(contacts) >= 50_000:
            _flush_people(writer, contacts, identities)
    _flush_people(writer, contacts, identities)
    return World(
        team_ids=[],
        team_by_name={},
        members={},
        agents=[],
        tag_ids={},
        contact_first_id=contact_first,
        contact_count=n_contacts,
        contact_org=contact_org,
        contact_first_name=first_names,
    )


def _flush_people(writer: BulkWriter, contacts: list, identities: list) -> None:
    with transaction.atomic():
        writer.insert(
            Contact,
            [
                "id",
                "created_at",
                "updated_at",
                "name",
                "organization_id",
                "language",
                "time_zone",
                "notes",
                "custom_fields",
                "user_id",
                "merged_into_id",
            ],
            contacts,
        )
        writer.insert(
            ContactIdentity,
            [
                "id",
                "contact_id",
                "kind",
                "value",
                "is_primary",
                "verified",
                "bouncing_since",
                "bounce_reason",
                "created_at",
            ],
            identities,
        )
    contacts.clear()
    identities.clear()


def creation_times(n: int, start: float, now: float) -> list[float]:
    """Sorted creation times: volume grows over the years, weekdays and office hours busier."""
    days = (now - start) / 86400
    hours = [h for h, w in enumerate(HOUR_WEIGHTS) for _ in range(round(w * 4))]
    r = random.random
    out = []
    local_midnight0 = math.floor((start - 3 * 3600) / 86400) * 86400 + 3 * 3600
    while len(out) < n:
        day = int(days * math.sqrt(r()))  # density grows linearly with time
        if day % 7 in (2, 3) and r() < 0.6:  # 1970-01-01 was a Thursday: 2,3 = Sat, Sun
            continue
        t = local_midnight0 + day * 86400 + hours[int(r() * len(hours))] * 3600 + r() * 3600
        if start <= t < now - 300:
            out.append(t)
    out.sort()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--agents", type=int, default=40)
    parser.add_argument("--batch", type=int, default=20_000, help="tickets per transaction")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--force", action="store_true", help="add to a non-empty database")
    args = parser.parse_args()
    random.seed(args.seed)
    began = time.perf_counter()
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    call_command("migrate", verbosity=0)
    if Ticket.objects.exists() and not args.force:
        sys.exit("The tickets table is not empty; pass --force to add more anyway.")
    # The rows below bypass the services, and on PostgreSQL the triggers too (replica mode):
    # empty the search indexes and keep SQLite's triggers off them; rebuilt at the end.
    search_suspend()
    now = time.time()
    start = now - YEARS * 365 * 86400
    team_by_name, members, agents, tag_ids = small_tables(args.agents)
    writer = BulkWriter()
    step = time.perf_counter()
    world = people(writer, max(10, args.tickets // 5), start, now)
    print(
        f"contacts/orgs/identities: {writer.rows_written:,} rows in {time.perf_counter() - step:.1f}s"
    )
    world.team_ids = list(team_by_name.values())
    world.team_by_name = team_by_name
    world.members = members
    world.agents = agents
    world.tag_ids = tag_ids
    world.topic_team = {topic: team for team, topics in TEAMS.items() for topic in topics}
    maker = TicketMaker(world, now=now, ts=writer.ts)
    maker.next_message_id = writer.max_id(Message) + 1
    maker.next_event_id = writer.max_id(TicketEvent) + 1
    maker.next_tag_row_id = writer.max_id(Ticket.tags.through) + 1
    first_ticket = writer.max_id(Ticket) + 1
    times = creation_times(args.tickets, start, now)
    step = time.perf_counter()
    rows_before = writer.rows_written
    for offset in range(0, args.tickets, args.batch):
        batch = Batch()
        for i, created in enumerate(times[offset : offset + args.batch]):
            maker.make(first_ticket + offset + i, created, batch)
        with transaction.atomic():
            writer.insert(Ticket, TICKET_COLS, batch.tickets)
            writer.insert(Ticket.tags.through, TAG_COLS, batch.tags)
            writer.insert(Message, MESSAGE_COLS, batch.messages)
            writer.insert(TicketEvent, EVENT_COLS, batch.events)
        done = min(offset + args.batch, args.tickets)
        elapsed = time.perf_counter() - step
        rows = writer.rows_written - rows_before
        print(
            f"  {done:>9,} tickets  {rows:>11,} rows  {rows / elapsed:>8,.0f} rows/s  "
            f"{elapsed:6.0f}s (db {writer.seconds_writing:.0f}s)",
            flush=True,
        )
    tables = [
        m._meta.db_table
        for m in (
            Organization,
            Contact,
            ContactIdentity,
            Ticket,
            Ticket.tags.through,
            Message,
            TicketEvent,
        )
    ]
    writer.finish(tables)
    load = time.perf_counter() - began
    step = time.perf_counter()
    writer.analyze(tables)
    print(f"analyze: {time.perf_counter() - step:.1f}s")
    total = time.perf_counter() - began
    step = time.perf_counter()
    search_rebuild()
    print(f"search indexes (amparo search rebuild): {time.perf_counter() - step:.1f}s")
    counts = {
        m.__name__: m.objects.count()
        for m in (Ticket, Message, TicketEvent, Contact, ContactIdentity, Organization)
    }
    print("rows now: " + ", ".join(f"{k} {v:,}" for k, v in counts.items()))
    print(
        f"wrote {writer.rows_written:,} rows in {load:.1f}s ({writer.rows_written / load:,.0f} rows/s, "
        f"{args.tickets / load:,.0f} tickets/s); total with analyze {total:.1f}s"
    )


if __name__ == "__main__":
    main()
