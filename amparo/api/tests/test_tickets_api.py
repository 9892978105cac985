"""The tickets API as a client sees it: visibility, validation, idempotency, pagination."""

from __future__ import annotations

import base64
import json

import pytest

from amparo.accounts.models import TokenScope
from amparo.accounts.services import api_token_revoke
from amparo.testing.factories import make_ticket
from amparo.tickets.models import Message, Ticket

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"


@pytest.fixture
def ticket_b(team_b, contact):
    return make_ticket(contact=contact, team=team_b, subject="Cobrança em duplicidade")


def test_create_ticket_for_new_contact(api_for, agent_a, team_a):
    api = api_for(agent_a)
    response = api.post(
        "/tickets",
        {
            "subject": "Impressora não liga",
            "contact": {"name": "João Pereira", "email": "Joao@Example.org"},
            "body_text": "Desde ontem.",
            "team_id": team_a.pk,
            "tags": ["Hardware"],
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["subject"] == "Impressora não liga"
    assert body["contact"]["name"] == "João Pereira"
    assert body["tags"] == ["hardware"]
    assert body["number"] == body["id"]
    assert Ticket.objects.get(pk=body["id"]).contact.identities.get().value == "joao@example.org"


def test_agent_of_team_a_gets_404_on_every_route_for_team_b_ticket(api_for, agent_a, ticket_b):
    api = api_for(agent_a)
    tid = ticket_b.pk
    calls = [
        api.get(f"/tickets/{tid}"),
        api.patch(f"/tickets/{tid}", {"priority": 4}),
        api.post(f"/tickets/{tid}/reply", {"body_text": "oi"}),
        api.post(f"/tickets/{tid}/note", {"body_text": "oi"}),
        api.get(f"/tickets/{tid}/messages"),
        api.get(f"/tickets/{tid}/events"),
        api.post(f"/tickets/{tid}/merge", {"target_id": tid}),
        api.post(f"/tickets/{tid}/followers", {"agent_id": agent_a.pk}),
    ]
    for response in calls:
        assert response.status_code == 404, (response.request, response.content)
        assert response["Content-Type"] == PROBLEM
    ticket_b.refresh_from_db()
    assert ticket_b.priority == 2
    assert ticket_b.messages.count() == 1
    listed = api.get("/tickets").json()["items"]
    assert tid not in [t["id"] for t in listed]


def test_merge_into_invisible_ticket_is_refused(api_for, agent_a, team_a, ticket_b, contact):
    own = make_ticket(contact=contact, team=team_a)
    response = api_for(agent_a).post(f"/tickets/{own.pk}/merge", {"target_id": ticket_b.pk})
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "target_id"
    own.refresh_from_db()
    assert own.merged_into_id is None


def test_admin_sees_every_team(api_for, admin_agent, ticket_b):
    assert api_for(admin_agent).get(f"/tickets/{ticket_b.pk}").status_code == 200


def test_reply_and_note_show_in_messages(api_for, agent_a, team_a, contact):
    ticket = make_ticket(contact=contact, team=team_a)
    api = api_for(agent_a)
    assert api.post(f"/tickets/{ticket.pk}/reply", {"body_text": "Resolvido?"}).status_code == 201
    assert api.post(f"/tickets/{ticket.pk}/note", {"body_text": "Ligar amanhã"}).status_code == 201
    items = api.get(f"/tickets/{ticket.pk}/messages").json()["items"]
    assert [(m["body_text"], m["is_internal"]) for m in items][1:] == [
        ("Resolvido?", False),
        ("Ligar amanhã", True),
    ]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"subject": "x", "contact_id": "abc"}, "contact_id"),
        ({"subject": "x", "contact_id": 1, "surprise": True}, "surprise"),
        ({"contact_id": 1}, "subject"),
        ({"subject": "x", "contact": {"name": "a", "email": "not-an-email"}}, "value"),
        ({"subject": "x", "contact_id": 999999}, "contact_id"),
        ({"subject": "x", "contact_id": 1, "priority": 9}, "priority"),
        ({"subject": "x", "contact_id": 1, "team_id": 999999}, "team_id"),
        ({"subject": "x", "contact_id": 1, "custom_fields": {"nope": 1}}, "custom_fields.nope"),
        (
            {
                "subject": "x",
                "contact_id": 1,
                "attachments": [{"filename": "a", "content_base64": "%%%"}],
            },
            "attachments.0.content_base64",
        ),
    ],
)
def test_bad_input_is_a_clear_4xx_and_creates_nothing(api_for, agent_a, contact, payload, field):
    if payload.get("contact_id") == 1:
        payload["contact_id"] = contact.pk
    before = Ticket.objects.count()
    response = api_for(agent_a).post("/tickets", payload)
    assert 400 <= response.status_code < 500, response.content
    assert response["Content-Type"] == PROBLEM
    fields = [e["field"] for e in response.json()["errors"]]
    assert field in fields, response.json()
    assert Ticket.objects.count() == before


def test_malformed_json_is_400(api_for, agent_a):
    response = api_for(agent_a).post("/tickets", "{not json")
    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM


def test_huge_body_is_413(api_for, agent_a, contact, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    payload = {"subject": "x", "contact_id": contact.pk, "body_text": "a" * 20_000}
    response = api_for(agent_a).post("/tickets", payload)
    assert response.status_code == 413
    assert response["Content-Type"] == PROBLEM


def test_bad_and_revoked_tokens_are_401(api_for, agent_a):
    from conftest import ApiClient

    assert ApiClient("amp_nope_nope").get("/tickets").status_code == 401
    assert ApiClient("").get("/tickets").status_code == 401
    api = api_for(agent_a)
    assert api.get("/tickets").status_code == 200
    token = agent_a.api_tokens.get()
    api_token_revoke(token=token)
    response = api.get("/tickets")
    assert response.status_code == 401
    assert response["Content-Type"] == PROBLEM


def test_read_token_cannot_write(api_for, agent_a, contact):
    api = api_for(agent_a, scope=TokenScope.READ)
    assert api.get("/tickets").status_code == 200
    response = api.post("/tickets", {"subject": "x", "contact_id": contact.pk, "body_text": "y"})
    assert response.status_code == 403
    assert Ticket.objects.count() == 0


def test_idempotency_key_replays_and_refuses_other_body(api_for, agent_a, contact):
    api = api_for(agent_a)
    payload = {"subject": "Pedido 123", "contact_id": contact.pk, "body_text": "a"}
    headers = {"Idempotency-Key": "abc-123"}
    first = api.post("/tickets", payload, headers=headers)
    second = api.post("/tickets", payload, headers=headers)
    assert first.status_code == second.status_code == 201
    assert first.json()["id"] == second.json()["id"]
    assert second["Idempotent-Replayed"] == "true"
    assert Ticket.objects.count() == 1
    other = api.post("/tickets", {**payload, "subject": "Outro"}, headers=headers)
    assert other.status_code == 422
    assert other["Content-Type"] == PROBLEM
    assert Ticket.objects.count() == 1


def test_idempotency_keys_are_per_token(api_for, agent_a, agent_b, contact):
    payload = {"subject": "Pedido", "contact_id": contact.pk, "body_text": "a"}
    headers = {"Idempotency-Key": "same"}
    api_for(agent_a).post("/tickets", payload, headers=headers)
    api_for(agent_b).post("/tickets", payload, headers=headers)
    assert Ticket.objects.count() == 2


def test_client_id_makes_reply_idempotent(api_for, agent_a, team_a, contact):
    ticket = make_ticket(contact=contact, team=team_a)
    api = api_for(agent_a)
    for _ in range(2):
        api.post(f"/tickets/{ticket.pk}/reply", {"body_text": "oi", "client_id": "c-1"})
    assert Message.objects.filter(ticket=ticket, client_id="c-1").count() == 1


def test_cursor_pagination_walks_every_ticket_once(api_for, agent_a, team_a, contact):
    ids = {make_ticket(contact=contact, team=team_a).pk for _ in range(7)}
    api = api_for(agent_a)
    seen: list[int] = []
    cursor = None
    while True:
        query = "?limit=3" + (f"&cursor={cursor}" if cursor else "")
        page = api.get(f"/tickets{query}").json()
        seen += [t["id"] for t in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert sorted(seen) == sorted(ids)
    assert api.get("/tickets?cursor=garbage").status_code == 400


def test_multi_status_list_walks_in_order(api_for, agent_a, team_a, contact):
    made = [make_ticket(contact=contact, team=team_a) for _ in range(7)]
    for ticket, status in zip(made, ["open", "pending", "solved"] * 3, strict=False):
        Ticket.objects.filter(pk=ticket.pk).update(status=status)
    want = list(
        Ticket.objects.filter(status__in=["new", "open", "pending"])
        .order_by("-updated_at", "-id")
        .values_list("pk", flat=True)
    )
    api = api_for(agent_a)
    seen: list[int] = []
    cursor = None
    while True:
        query = "?status=new&status=open&status=pending&limit=2"
        page = api.get(f"/tickets{query}" + (f"&cursor={cursor}" if cursor else "")).json()
        seen += [t["id"] for t in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert seen == want


@pytest.mark.parametrize(
    ("path", "statuses"),
    [("", 0), ("?status=open&status=new&status=pending&assignee_id={me}", 3)],
)
def test_list_query_count_does_not_grow_with_rows(
    api_for, agent_a, team_a, contact, path, statuses
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from amparo.api.pagination import key_queries
    from amparo.core.actors import Actor
    from amparo.tickets.services import ticket_set_tags

    api = api_for(agent_a)
    url = "/tickets" + path.format(me=agent_a.pk)
    counts = []
    for rows in (3, 30):
        while Ticket.objects.count() < rows:
            t = make_ticket(contact=contact, team=team_a, assignee=agent_a)
            ticket_set_tags(ticket=t, actor=Actor.of_agent(agent_a), add=[f"t{t.pk % 3}"])
            Ticket.objects.filter(pk=t.pk).update(status=["new", "open", "pending"][t.pk % 3])
        api.get(url)  # stamps the token's last use, once a minute
        with CaptureQueriesContext(connection) as ctx:
            page = api.get(url + ("&" if "?" in url else "?") + "limit=2").json()
            api.get(url + ("&" if "?" in url else "?") + f"limit=2&cursor={page['next_cursor']}")
        counts.append(len(ctx.captured_queries))
    # Per page: the token, the agent's teams, the tickets (one query; with several statuses
    # the keys, one query per status or one UNION, then the rows), their tags. Two pages.
    page_queries = key_queries(statuses) + 1 if statuses else 1
    assert counts == [2 * (2 + page_queries + 1)] * 2


def test_search_with_several_statuses_is_one_ticket_query(api_for, agent_a, team_a, contact):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    ticket = make_ticket(contact=contact, team=team_a)
    api = api_for(agent_a)
    api.get("/tickets")  # stamps the token's last use
    with CaptureQueriesContext(connection) as ctx:
        page = api.get(f"/tickets?status=new&status=open&q=%23{ticket.pk}").json()
    assert [t["id"] for t in page["items"]] == [ticket.pk]
    ordered = [
        q for q in ctx.captured_queries if '"tickets_ticket"' in q["sql"] and "LIMIT" in q["sql"]
    ]
    assert len(ordered) == 1  # planned from the match, not split per status


def test_filters(api_for, agent_a, team_a, contact):
    urgent = make_ticket(contact=contact, team=team_a, priority=4)
    make_ticket(contact=contact, team=team_a)
    api = api_for(agent_a)
    items = api.get("/tickets?priority=4").json()["items"]
    assert [t["id"] for t in items] == [urgent.pk]
    assert api.get("/tickets?status=bogus").status_code == 422


def test_patch_changes_fields_and_tags(api_for, agent_a, team_a, contact):
    ticket = make_ticket(contact=contact, team=team_a)
    response = api_for(agent_a).patch(
        f"/tickets/{ticket.pk}",
        {"status": "pending", "assignee_id": agent_a.pk, "add_tags": ["vip"]},
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["status"], body["assignee_id"], body["tags"]) == ("pending", agent_a.pk, ["vip"])
    events = api_for(agent_a).get(f"/tickets/{ticket.pk}/events").json()["items"]
    assert {"status", "assignee", "tags"} <= {e["kind"] for e in events}


def test_attachment_upload_is_stored_with_sniffed_type(api_for, agent_a, team_a, contact):
    ticket = make_ticket(contact=contact, team=team_a)
    png = base64.b64decode(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
    )
    payload = {
        "body_text": "segue",
        "attachments": [
            {
                "filename": "../../etc/fo\u202etxt.exe",
                "content_base64": base64.b64encode(png).decode(),
            }
        ],
    }
    response = api_for(agent_a).post(f"/tickets/{ticket.pk}/note", payload)
    assert response.status_code == 201, response.content
    attachment = response.json()["attachments"][0]
    assert attachment["content_type"] == "image/png"
    assert "/" not in attachment["filename"] and "\u202e" not in attachment["filename"]


def test_openapi_document_matches_snapshot():
    """Changes to the API are deliberate: regenerate with `amparo openapi > docs/openapi.json`."""
    from pathlib import Path

    from amparo.api.main import api

    snapshot = Path(__file__).resolve().parents[3] / "docs" / "openapi.json"
    current = json.loads(json.dumps(api.get_openapi_schema(), sort_keys=True))
    assert current == json.loads(snapshot.read_text()), (
        "The OpenAPI document changed; run `amparo openapi > docs/openapi.json` and commit it."
    )
