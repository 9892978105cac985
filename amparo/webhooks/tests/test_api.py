"""/api/v1/webhooks as an administrator and as everyone else."""

from __future__ import annotations

import socket

import pytest

from amparo.webhooks import services
from amparo.webhooks.models import WebhookDelivery, WebhookSubscription

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"


@pytest.fixture
def admin_api(api_for, admin_agent):  # type: ignore[no-untyped-def]
    return api_for(admin_agent)


@pytest.fixture
def intranet_dns(monkeypatch):  # type: ignore[no-untyped-def]
    """A made-up name that resolves to loopback, as an intranet or rebinding name would."""
    real = socket.getaddrinfo

    def getaddrinfo(host, port, *args, **kwargs):  # type: ignore[no-untyped-def]
        if host == "hooks.intranet.test":
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port))]
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


def test_admin_creates_reads_updates_and_deletes(admin_api, allow_private, admin_agent):
    response = admin_api.post(
        "/webhooks",
        {"name": "ERP", "url": "http://127.0.0.1:9/hook", "events": ["ticket.created"]},
    )
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["secret"].startswith("whsec_")
    assert created["events"] == ["ticket.created"]
    assert created["created_by_id"] == admin_agent.pk
    sub_id = created["id"]

    read = admin_api.get(f"/webhooks/{sub_id}").json()
    assert "secret" not in read
    assert read["name"] == "ERP"
    listed = admin_api.get("/webhooks").json()
    assert [s["id"] for s in listed["items"]] == [sub_id]
    assert all("secret" not in s for s in listed["items"])

    updated = admin_api.patch(f"/webhooks/{sub_id}", {"events": "*", "is_active": False})
    assert updated.status_code == 200
    assert updated.json()["events"] == ["*"]
    assert updated.json()["is_active"] is False

    rotated = admin_api.post(f"/webhooks/{sub_id}/rotate-secret")
    assert rotated.status_code == 200
    assert rotated.json()["secret"] not in (created["secret"], "")

    assert admin_api.delete(f"/webhooks/{sub_id}").status_code == 204
    assert admin_api.get(f"/webhooks/{sub_id}").status_code == 404
    assert not WebhookSubscription.objects.exists()


BLOCKED = [
    "http://127.0.0.1/hook",
    "http://10.0.0.5/hook",
    "http://169.254.169.254/latest/meta-data/",
    "http://[::1]/hook",
    "http://localhost/hook",
    "http://hooks.intranet.test/hook",
    "http://[::ffff:127.0.0.1]/hook",
    "http://2130706433/hook",
]


@pytest.mark.parametrize("url", BLOCKED)
def test_private_targets_are_refused_at_creation(admin_api, intranet_dns, url):
    response = admin_api.post("/webhooks", {"name": "x", "url": url})
    assert response.status_code == 422
    assert response["Content-Type"] == PROBLEM
    problem = response.json()
    assert problem["status"] == 422
    assert problem["errors"][0]["field"] == "url"
    assert not WebhookSubscription.objects.exists()


def test_private_target_is_refused_on_update(admin_api, settings, admin_agent):
    settings.OUTBOUND_ALLOW_PRIVATE = True
    subscription, _secret = services.webhook_subscription_create(
        actor=admin_agent, name="x", url="http://127.0.0.1:9/hook"
    )
    settings.OUTBOUND_ALLOW_PRIVATE = False
    response = admin_api.patch(
        f"/webhooks/{subscription.pk}", {"url": "http://169.254.169.254/latest"}
    )
    assert response.status_code == 422
    assert response["Content-Type"] == PROBLEM
    subscription.refresh_from_db()
    assert subscription.url == "http://127.0.0.1:9/hook"


@pytest.mark.parametrize(
    "body",
    [
        {"name": "x", "url": "http://127.0.0.1:9/", "secret": "mine"},
        {"name": "x", "url": "http://127.0.0.1:9/", "events": "ticket.created"},
        {"name": "x", "url": "http://127.0.0.1:9/", "events": ["ticket.exploded"]},
        {"name": "x", "url": "http://127.0.0.1:9/", "events": []},
        {"name": "x", "url": "http://127.0.0.1:9/", "events": [1]},
        {"name": "x", "url": "http://127.0.0.1:9/", "is_active": "yes"},
        {"name": 123, "url": "http://127.0.0.1:9/"},
        {"name": "", "url": "http://127.0.0.1:9/"},
        {"name": "   ", "url": "http://127.0.0.1:9/"},
        {"name": "x", "url": "not a url"},
        {"name": "x", "url": "ftp://127.0.0.1/"},
        {"name": "x", "url": "http://user:pw@127.0.0.1:9/"},
        {"name": "x", "url": "http://" + "a" * 2000 + ".com/"},
        {"name": "x"},
        {"url": "http://127.0.0.1:9/"},
        [],
        "null",
        "{not json",
    ],
)
def test_bad_input_is_refused_and_creates_nothing(admin_api, allow_private, body):
    response = admin_api.post("/webhooks", body)
    assert 400 <= response.status_code < 500, response.content
    assert response["Content-Type"] == PROBLEM
    assert not WebhookSubscription.objects.exists()


def test_update_refuses_unknown_fields(admin_api, allow_private, admin_agent):
    subscription, _secret = services.webhook_subscription_create(
        actor=admin_agent, name="x", url="http://127.0.0.1:9/hook"
    )
    response = admin_api.patch(f"/webhooks/{subscription.pk}", {"secret_encrypted": "x"})
    assert response.status_code == 422
    assert admin_api.patch(f"/webhooks/{subscription.pk}", {"name": None}).json()["name"] == "x"


def test_agents_cannot_see_or_manage_webhooks(api_for, agent_a, allow_private, admin_agent):
    subscription, _secret = services.webhook_subscription_create(
        actor=admin_agent, name="x", url="http://127.0.0.1:9/hook"
    )
    agent_api = api_for(agent_a)
    for response in [
        agent_api.get("/webhooks"),
        agent_api.get(f"/webhooks/{subscription.pk}"),
        agent_api.get(f"/webhooks/{subscription.pk}/deliveries"),
        agent_api.post("/webhooks", {"name": "y", "url": "http://127.0.0.1:9/y"}),
        agent_api.patch(f"/webhooks/{subscription.pk}", {"name": "hacked"}),
        agent_api.delete(f"/webhooks/{subscription.pk}"),
        agent_api.post(f"/webhooks/{subscription.pk}/rotate-secret"),
    ]:
        assert response.status_code == 403, response.content
        assert response["Content-Type"] == PROBLEM
        assert "whsec_" not in response.content.decode()
    assert list(WebhookSubscription.objects.values_list("name", flat=True)) == ["x"]


def test_anonymous_gets_401(client):
    response = client.get("/api/v1/webhooks")
    assert response.status_code == 401
    assert response["Content-Type"] == PROBLEM


def test_delivery_log_pages_and_redelivers(admin_api, allow_private, admin_agent):
    subscription, _secret = services.webhook_subscription_create(
        actor=admin_agent, name="x", url="http://127.0.0.1:9/hook"
    )
    for n in range(3):
        services.webhook_emit(event="ticket.created", payload={"ticket": {"id": n}})
    base = f"/webhooks/{subscription.pk}/deliveries"
    first = admin_api.get(f"{base}?limit=2").json()
    assert [d["payload"]["ticket"]["id"] for d in first["items"]] == [2, 1]
    assert first["next_cursor"]
    second = admin_api.get(f"{base}?limit=2&cursor={first['next_cursor']}").json()
    assert [d["payload"]["ticket"]["id"] for d in second["items"]] == [0]
    assert second["next_cursor"] is None
    assert admin_api.get(f"{base}?status=failed").json()["items"] == []
    assert admin_api.get(f"{base}?status=bogus").status_code == 422
    assert admin_api.get(f"{base}?cursor=garbage").status_code == 400

    delivery_id = first["items"][0]["id"]
    one = admin_api.get(f"{base}/{delivery_id}").json()
    assert one["status"] == "pending"
    response = admin_api.post(f"{base}/{delivery_id}/redeliver")
    assert response.status_code == 202
    again = response.json()
    assert again["event_id"] == one["event_id"]
    assert again["redelivery_of_id"] == delivery_id
    assert WebhookDelivery.objects.count() == 4


def test_deliveries_of_another_subscription_are_not_found(admin_api, allow_private, admin_agent):
    a, _ = services.webhook_subscription_create(
        actor=admin_agent, name="a", url="http://127.0.0.1:9/"
    )
    b, _ = services.webhook_subscription_create(
        actor=admin_agent, name="b", url="http://127.0.0.1:9/"
    )
    services.webhook_emit(event="ticket.created", payload={})
    delivery = WebhookDelivery.objects.get(subscription=a)
    assert admin_api.get(f"/webhooks/{b.pk}/deliveries/{delivery.pk}").status_code == 404
    assert admin_api.post(f"/webhooks/{b.pk}/deliveries/{delivery.pk}/redeliver").status_code == 404


def test_ping_queues_a_delivery(admin_api, allow_private, admin_agent):
    subscription, _secret = services.webhook_subscription_create(
        actor=admin_agent, name="x", url="http://127.0.0.1:9/hook"
    )
    response = admin_api.post(f"/webhooks/{subscription.pk}/ping")
    assert response.status_code == 202
    assert response.json()["event_type"] == "ping"
