"""Loads the demo company through the real services, then spreads it over the past weeks."""

from __future__ import annotations

import datetime
import random
from collections.abc import Sequence
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from amparo.accounts.models import Team, User
from amparo.accounts.services import agent_create, team_create
from amparo.core.actors import Actor
from amparo.core.demo import data
from amparo.core.models import SiteSettings
from amparo.crm.models import Contact, IdentityKind, Organization
from amparo.crm.services import contact_create, organization_create
from amparo.tickets import delivery
from amparo.tickets.models import Channel, Message, Status, Ticket, TicketEvent
from amparo.tickets.services import message_add, ticket_create, ticket_update

DEMO_PASSWORD = "amparo-demo"  # noqa: S105 (documented demo credential)
DEMO_DOMAIN = "solartelecom.com.br"
DEMO_CUSTOMER_EMAIL = "marina.castro@exemplo.com.br"

CHANNELS = [
    (Channel.EMAIL, 40),
    (Channel.WEB, 15),
    (Channel.CHAT, 15),
    (Channel.PHONE, 10),
    (Channel.WHATSAPP, 15),
    (Channel.TELEGRAM, 5),
]
STATUSES = [
    (Status.NEW, 15),
    (Status.OPEN, 30),
    (Status.PENDING, 15),
    (Status.ON_HOLD, 5),
    (Status.SOLVED, 20),
    (Status.CLOSED, 15),
]


def _pick(rng: random.Random, weighted: Sequence[tuple[str, int]]) -> str:
    return rng.choices([v for v, _w in weighted], weights=[w for _v, w in weighted])[0]


def demo_is_loaded() -> bool:
    return User.objects.filter(email=f"admin@{DEMO_DOMAIN}").exists()


def load_demo(*, tickets: int = 200, seed: int = 42) -> dict[str, int]:
    # The demo's customers are invented (some at real mail domains): nothing is sent to them.
    with transaction.atomic(), delivery.suppressed():
        return _load(tickets=tickets, seed=seed)


def _load(*, tickets: int, seed: int) -> dict[str, int]:
    rng = random.Random(seed)
    site = SiteSettings.objects.first() or SiteSettings()
    site.company_name = data.COMPANY
    site.support_email = f"suporte@{DEMO_DOMAIN}"
    site.save()

    teams = [team_create(name=name, description=desc) for name, desc in data.TEAMS]
    agents: list[User] = []
    members: dict[int, list[User]] = {t.pk: [] for t in teams}
    for name, local, role, team_indexes in data.AGENTS:
        agent = agent_create(
            email=f"{local}@{DEMO_DOMAIN}",
            name=name,
            role=role,
            password=DEMO_PASSWORD,
            teams=[teams[i] for i in team_indexes],
            language="pt-br",
            time_zone="America/Sao_Paulo",
            validate=False,
        )
        agent.signature = f"{name}\n{data.COMPANY} — Central de Atendimento"
        agent.save(update_fields=["signature"])
        agents.append(agent)
        for i in team_indexes:
            members[teams[i].pk].append(agent)

    orgs = [organization_create(name=name, domains=[domain]) for name, domain in data.ORGANIZATIONS]
    contacts = [_make_portal_customer(orgs[0]), *_make_contacts(rng, orgs)]
    _make_tickets(rng, tickets, contacts, teams, members)
    return {
        "teams": len(teams),
        "agents": len(agents),
        "organizations": len(orgs),
        "contacts": len(contacts),
        "tickets": Ticket.objects.count(),
        "messages": Message.objects.count(),
    }


def _make_portal_customer(org: Organization) -> Contact:
    """A customer who signs in to the portal with a password, so the demo needs no mail server."""
    from amparo.portal.services import customer_account_for, customer_password_set

    contact = contact_create(
        name="Marina Castro",
        identities=[
            (IdentityKind.EMAIL, DEMO_CUSTOMER_EMAIL),
            (IdentityKind.PHONE, "+5511987654321"),
        ],
        organization=org,
        language="pt-br",
    )
    user = customer_account_for(contact=contact, email=DEMO_CUSTOMER_EMAIL)
    customer_password_set(user=user, password=DEMO_PASSWORD)
    return contact


def _make_contacts(rng: random.Random, orgs: list[Organization]) -> list[Contact]:
    contacts = []
    used: set[str] = set()
    for i in range(60):
        first, last = rng.choice(data.FIRST_NAMES), rng.choice(data.LAST_NAMES)
        name = f"{first} {last}"
        if name in used:
            name = f"{first} {rng.choice(data.LAST_NAMES)} {last}"
        used.add(name)
        slug = name.lower().replace(" ", ".")
        for a, b in (
            ("á", "a"),
            ("â", "a"),
            ("ã", "a"),
            ("é", "e"),
            ("ê", "e"),
            ("í", "i"),
            ("ó", "o"),
            ("ô", "o"),
            ("ú", "u"),
            ("ç", "c"),
        ):
            slug = slug.replace(a, b)
        org = orgs[i % len(orgs)] if i < 24 else None
        domain = org.domains[0] if org else rng.choice(["gmail.com", "outlook.com", "uol.com.br"])
        phone = f"+55 11 9{rng.randint(6000, 9999)}-{rng.randint(1000, 9999)}"
        identities = [(IdentityKind.EMAIL, f"{slug}{i}@{domain}"), (IdentityKind.PHONE, phone)]
        if i % 3 == 0:
            identities.append((IdentityKind.WHATSAPP, phone))
        contacts.append(
            contact_create(name=name, identities=identities, organization=org, language="pt-br")
        )
    return contacts


def _make_tickets(
    rng: random.Random,
    count: int,
    contacts: list[Contact],
    teams: list[Team],
    members: dict[int, list[User]],
) -> None:
    now = timezone.now()
    for n in range(count):
        subject, team_i, priority, first_msg, replies, followups = data.SCENARIOS[
            n % len(data.SCENARIOS)
        ]
        # The portal demo customer (contacts[0]) has a handful of requests to look at.
        contact = contacts[0] if n % 25 == 0 else rng.choice(contacts)
        team = teams[team_i]
        channel = _pick(rng, CHANNELS)
        status = _pick(rng, STATUSES)
        customer = Actor.of_contact(contact)
        ticket = ticket_create(
            contact=contact,
            subject=subject,
            channel=channel,
            actor=customer,
            body_text=first_msg,
            priority=priority,
            team=team,
        )
        assignee = rng.choice(members[team.pk]) if members[team.pk] else None
        if status != Status.NEW and assignee:
            agent_actor = Actor.of_agent(assignee)
            ticket_update(ticket=ticket, actor=agent_actor, assignee=assignee)
            if rng.random() < 0.25:
                message_add(
                    ticket=ticket,
                    actor=agent_actor,
                    is_internal=True,
                    body_text=rng.choice(data.INTERNAL_NOTES),
                )
            for i, reply in enumerate(replies):
                message_add(
                    ticket=ticket,
                    actor=agent_actor,
                    body_text=reply.format(first=contact.first_name),
                )
                if i < len(followups):
                    message_add(ticket=ticket, actor=customer, body_text=followups[i])
            if status != Status.OPEN:
                ticket_update(ticket=ticket, actor=agent_actor, status=status)
        _spread_in_time(rng, ticket, now)


def _spread_in_time(rng: random.Random, ticket: Ticket, now: datetime.datetime) -> None:
    """Demo only: moves a ticket's history into the past so queues look lived in."""
    start = now - timedelta(days=rng.uniform(0, 60), hours=rng.uniform(0, 12))
    # Messages and events in the order they were written, so the timeline reads as it happened:
    # each message some minutes or hours after the last, events a minute after what caused them.
    history = sorted(
        [(m.created_at, 0, m.pk) for m in Message.objects.filter(ticket=ticket)]
        + [(e.created_at, 1, e.pk) for e in TicketEvent.objects.filter(ticket=ticket)]
    )
    moment = start
    for _at, kind, pk in history:
        if kind == 0:
            moment = min(
                moment + timedelta(minutes=rng.uniform(20, 600)), now - timedelta(minutes=2)
            )
            Message.objects.filter(pk=pk).update(created_at=moment)
        else:
            TicketEvent.objects.filter(pk=pk).update(created_at=moment + timedelta(seconds=30))
    last = min(moment + timedelta(minutes=1), now)
    fields: dict[str, object] = {"created_at": start, "updated_at": last, "last_message_at": last}
    if ticket.first_response_at:
        fields["first_response_at"] = start + timedelta(minutes=rng.uniform(20, 300))
    ticket.refresh_from_db(fields=["status", "solved_at", "closed_at", "first_response_at"])
    if ticket.first_response_at:
        fields["first_response_at"] = start + timedelta(minutes=rng.uniform(20, 300))
    if ticket.solved_at:
        fields["solved_at"] = last
    if ticket.closed_at:
        fields["closed_at"] = last
    Ticket.objects.filter(pk=ticket.pk).update(**fields)
