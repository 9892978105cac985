"""Rows for tickets, their messages, events and tags, as the services would have written them.

Everything denormalized on the ticket (message_count, first_response_at, last_message_at,
last_customer_message_at, solved_at, closed_at, updated_at, organization_id) is derived from
the messages generated for it, so the data is what a live system would hold.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import corpus_ptbr as C
import templates_ptbr as T
from _distributions import (
    CHANNEL_WEIGHTS,
    MESSAGE_COUNT_WEIGHTS,
    PRIORITY_WEIGHTS,
    STATUS_BY_AGE,
    TOPIC_TAGS,
    TOPIC_WEIGHTS,
)

DAY = 86400.0
HOUR = 3600.0

TICKET_COLS = [
    "id",
    "created_at",
    "updated_at",
    "subject",
    "status",
    "priority",
    "channel",
    "contact_id",
    "organization_id",
    "team_id",
    "assignee_id",
    "custom_fields",
    "language",
    "first_response_at",
    "last_message_at",
    "last_customer_message_at",
    "solved_at",
    "closed_at",
    "message_count",
    "merged_into_id",
]
MESSAGE_COLS = [
    "id",
    "ticket_id",
    "author_kind",
    "author_contact_id",
    "author_agent_id",
    "is_internal",
    "channel",
    "body_text",
    "body_html",
    "channel_meta",
    "delivery_status",
    "delivery_error",
    "external_id",
    "client_id",
    "created_at",
]
EVENT_COLS = [
    "id",
    "ticket_id",
    "kind",
    "actor_kind",
    "actor_agent_id",
    "actor_contact_id",
    "data",
    "created_at",
]
TAG_COLS = ["id", "ticket_id", "tag_id"]


def _picker(weights: dict[Any, float], resolution: int = 2000) -> Callable[[], Any]:
    """A fast weighted choice: an expanded table indexed by random()."""
    total = sum(weights.values())
    table: list[Any] = []
    for value, weight in weights.items():
        table.extend([value] * max(1, round(weight / total * resolution)))
    rnd = random.random
    size = len(table)
    return lambda: table[int(rnd() * size)]


def _br_date(ts_text: Any) -> str:
    d = str(ts_text)
    return f"{d[8:10]}/{d[5:7]}/{d[:4]}"


@dataclass
class World:
    """The small tables the tickets point at, already in the database."""

    team_ids: list[int]
    team_by_name: dict[str, int]
    members: dict[int, list[tuple[int, str]]]  # team id -> [(agent id, first name)]
    agents: list[tuple[int, str]]
    tag_ids: dict[str, int]
    contact_first_id: int
    contact_count: int
    contact_org: list[int | None]  # by contact index
    contact_first_name: list[str]
    topic_team: dict[str, str] = field(default_factory=dict)


@dataclass
class Batch:
    tickets: list[tuple[Any, ...]] = field(default_factory=list)
    messages: list[tuple[Any, ...]] = field(default_factory=list)
    events: list[tuple[Any, ...]] = field(default_factory=list)
    tags: list[tuple[Any, ...]] = field(default_factory=list)


class TicketMaker:
    def __init__(self, world: World, *, now: float, ts: Callable[[float | None], Any]) -> None:
        self.w = world
        self.now = now
        self.ts = ts
        self.channel = _picker(CHANNEL_WEIGHTS)
        self.topic = _picker(TOPIC_WEIGHTS)
        self.priority = _picker(PRIORITY_WEIGHTS)
        self.n_messages = _picker(MESSAGE_COUNT_WEIGHTS)
        self.status_pickers = [(age * DAY, _picker(w)) for age, w in STATUS_BY_AGE]
        self.next_message_id = 1
        self.next_event_id = 1
        self.next_tag_row_id = 1

    def _subs(self, created: float, contact_name: str, agent_name: str) -> dict[str, str]:
        r = random.random
        ch = random.choice
        return {
            "nome": contact_name,
            "agente": agent_name,
            "produto": ch(C.PRODUCTS),
            "pedido": f"{int(r() * 90_000_000) + 10_000_000}",
            "cidade": ch(C.CITIES),
            "plano": ch(C.PLANS),
            "valor": f"R$ {int(r() * 2500) + 19},{int(r() * 100):02d}",
            "data": _br_date(self.ts(created - r() * 20 * DAY)),
            "pagamento": ch(C.PAYMENT),
            "transportadora": ch(C.CARRIERS),
            "dia": ch(C.WEEKDAYS),
            "protocolo": f"{int(r() * 9_000_000_000) + 1_000_000_000}",
            "dias": str(int(r() * 25) + 2),
            "cep": f"{int(r() * 90000) + 10000:05d}-{int(r() * 1000):03d}",
        }

    def _customer_first(self, topic: str, subs: dict[str, str]) -> str:
        ch = random.choice
        parts = [
            ch(T.OPENINGS),
            ch(T.TOPICS[topic][1]),
            ch(T.DETAILS),
            ch(T.DETAILS),
            ch(T.CLOSINGS),
        ]
        return "\n\n".join(p for p in parts if p).format(**subs)

    def make(self, ticket_id: int, created: float, out: Batch) -> None:
        w, r, ch = self.w, random.random, random.choice
        ts = self.ts
        now = self.now
        age = now - created
        status = next(p for limit, p in self.status_pickers if age < limit)()
        topic = self.topic()
        channel = self.channel()
        priority = self.priority()
        if topic == "reclamacao" and priority < 3 and r() < 0.6:
            priority = 3
        contact_index = int(r() * r() * w.contact_count)  # a few customers write a lot
        contact_id = w.contact_first_id + contact_index
        org_id = w.contact_org[contact_index]
        # Recent unanswered tickets may still sit in triage (no team).
        if status == "new" and r() < 0.3:
            team_id = None
        elif r() < 0.88:
            team_id = w.team_by_name[w.topic_team[topic]]
        else:
            team_id = ch(w.team_ids)
        pool = w.members[team_id] if team_id is not None else w.agents
        if status == "new" and r() < 0.8:
            agent_id, agent_name = None, ch(pool)[1]
        else:
            agent_id, agent_name = ch(pool)
        subs = self._subs(created, w.contact_first_name[contact_index], agent_name)
        subject = ch(T.TOPICS[topic][0]).format(**subs)

        n = 1 if status == "new" else self.n_messages()
        times = [created + 1 + r() * 30]
        if n > 1:
            expo = random.expovariate
            gaps = [60 + expo(1 / (4 * HOUR))] + [60 + expo(1 / (14 * HOUR)) for _ in range(n - 2)]
            window = now - 120 - times[0]
            total = sum(gaps)
            if total > window:  # recent tickets: squeeze the conversation into the past
                scale = window / total * (0.5 + 0.5 * r())
                gaps = [g * scale for g in gaps]
            for g in gaps:
                times.append(times[-1] + g)
        first_response = last_public = last_customer = None
        events: list[tuple[float, str, str, int | None, int | None, str]] = [
            (created, "created", "contact", None, contact_id, json.dumps({"channel": channel}))
        ]
        if agent_id is not None:
            events.append(
                (
                    created + 30 + r() * 600,
                    "assignee",
                    "system",
                    None,
                    None,
                    f'{{"from": null, "to": {agent_id}}}',
                )
            )
        email = channel == "email"
        msgs = out.messages
        for i in range(n):
            t = times[i]
            if i == 0:
                kind, body = "contact", self._customer_first(topic, subs)
            else:
                if r() < 0.1:
                    kind, body = "note", ch(T.INTERNAL_NOTES).format(**subs)
                elif i % 2 == 1:
                    kind = "agent"
                    body = (ch(T.AGENT_REPLIES) + ch(T.AGENT_SIGNOFFS)).format(**subs)
                else:
                    kind, body = "contact", ch(T.CUSTOMER_FOLLOWUPS).format(**subs)
            message_id = self.next_message_id
            self.next_message_id += 1
            if kind == "contact":
                author_kind, a_contact, a_agent, internal = "contact", contact_id, None, False
                delivery = "received"
                last_customer = last_public = t
            else:
                author_kind, a_contact, a_agent = "agent", None, agent_id or ch(pool)[0]
                internal = kind == "note"
                delivery = "" if internal or channel in ("web", "phone", "visit") else "delivered"
                if not internal:
                    last_public = t
                    if first_response is None:
                        first_response = t
                        if status != "new":
                            events.append(
                                (
                                    t,
                                    "status",
                                    "agent",
                                    a_agent,
                                    None,
                                    '{"from": "new", "to": "open"}',
                                )
                            )
            html = ""
            external = ""
            if email:
                html = "<p>" + body.replace("\n\n", "</p><p>").replace("\n", "<br>") + "</p>"
                external = f"<{ticket_id}.{message_id}@mail.bench.amparo.test>"
            msgs.append(
                (
                    message_id,
                    ticket_id,
                    author_kind,
                    a_contact,
                    a_agent,
                    internal,
                    channel,
                    body,
                    html,
                    "{}",
                    delivery,
                    "",
                    external,
                    "",
                    ts(t),
                )
            )
            events.append(
                (
                    t,
                    "note" if internal else "message",
                    author_kind,
                    a_agent,
                    a_contact,
                    f'{{"message_id": {message_id}}}',
                )
            )
        updated = t
        solved_at = closed_at = None
        if status in ("solved", "closed"):
            solved_at = min(t + random.expovariate(1 / (8 * HOUR)) + 60, now - 30)
            events.append(
                (solved_at, "status", "agent", agent_id, None, '{"from": "open", "to": "solved"}')
            )
            updated = solved_at
            if status == "closed":
                closed_at = min(solved_at + 4 * DAY, now - 10)
                events.append(
                    (
                        closed_at,
                        "status",
                        "system",
                        None,
                        None,
                        '{"from": "solved", "to": "closed"}',
                    )
                )
                updated = closed_at
        out.tickets.append(
            (
                ticket_id,
                ts(created),
                ts(updated),
                subject,
                status,
                priority,
                channel,
                contact_id,
                org_id,
                team_id,
                agent_id,
                "{}",
                "pt-br",
                ts(first_response),
                ts(last_public),
                ts(last_customer),
                ts(solved_at),
                ts(closed_at),
                n,
                None,
            )
        )
        events.sort(key=lambda e: e[0])
        for e_ts, kind, actor_kind, e_agent, e_contact, data in events:
            out.events.append(
                (
                    self.next_event_id,
                    ticket_id,
                    kind,
                    actor_kind,
                    e_agent,
                    e_contact,
                    data,
                    ts(e_ts),
                )
            )
            self.next_event_id += 1
        self._tags(ticket_id, topic, out)

    def _tags(self, ticket_id: int, topic: str, out: Batch) -> None:
        x = random.random()
        count = 0 if x < 0.35 else 1 if x < 0.75 else 2 if x < 0.95 else 3
        if not count:
            return
        names: Sequence[str] = TOPIC_TAGS[topic]
        chosen = set(random.sample(names, min(count, len(names))))
        if count == 3:
            chosen.add(random.choice(("urgente", "vip", "retorno", "primeiro-contato")))
        for name in chosen:
            out.tags.append((self.next_tag_row_id, ticket_id, self.w.tag_ids[name]))
            self.next_tag_row_id += 1
