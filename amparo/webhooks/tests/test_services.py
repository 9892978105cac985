"""Subscriptions, secrets at rest and the cost of emitting events."""

from __future__ import annotations

import pytest

from amparo.core import crypto
from amparo.core.errors import DomainError, Forbidden
from amparo.core.netguard import OutboundBlocked
from amparo.webhooks import services
from amparo.webhooks.models import WebhookDelivery, WebhookSubscription

pytestmark = pytest.mark.django_db

# Nothing here runs the delivery jobs; the discard port on loopback keeps it so if one ever did.
LOCAL = "http://127.0.0.1:9/hook"


@pytest.fixture(autouse=True)
def _allow_loopback(allow_private):  # type: ignore[no-untyped-def]
    pass


def test_secret_is_encrypted_at_rest(admin_agent):
    _subscription, secret = services.webhook_subscription_create(
        actor=admin_agent, name="ERP", url=LOCAL
    )
    assert secret.startswith("whsec_")
    stored = WebhookSubscription.objects.get()
    assert secret not in stored.secret_encrypted
    assert crypto.decrypt(stored.secret_encrypted) == secret
    assert stored.events == ["*"]
    assert stored.created_by == admin_agent


def test_emit_without_subscriptions_is_one_query(django_assert_num_queries):
    with django_assert_num_queries(1):
        services.webhook_emit(event="ticket.created", payload={"ticket": {"id": 1}})


def test_emit_creates_one_delivery_per_matching_subscription(admin_agent):
    for name, events in [
        ("all", "*"),
        ("tickets", ["ticket.created"]),
        ("msgs", ["message.created"]),
    ]:
        services.webhook_subscription_create(actor=admin_agent, name=name, url=LOCAL, events=events)
    services.webhook_subscription_create(actor=admin_agent, name="off", url=LOCAL, is_active=False)
    services.webhook_emit(event="ticket.created", payload={"ticket": {"id": 7}})
    deliveries = list(WebhookDelivery.objects.select_related("subscription"))
    assert sorted(d.subscription.name for d in deliveries) == ["all", "tickets"]
    assert len({d.event_id for d in deliveries}) == 1
    assert all(d.payload == {"ticket": {"id": 7}} for d in deliveries)


def test_unknown_event_and_empty_list_are_refused(admin_agent):
    with pytest.raises(DomainError) as exc:
        services.webhook_subscription_create(
            actor=admin_agent, name="x", url=LOCAL, events=["ticket.exploded"]
        )
    assert exc.value.field == "events"
    with pytest.raises(DomainError):
        services.webhook_subscription_create(actor=admin_agent, name="x", url=LOCAL, events=[])
    assert not WebhookSubscription.objects.exists()


def test_update_checks_the_new_url(admin_agent, settings):
    subscription, _secret = services.webhook_subscription_create(
        actor=admin_agent, name="x", url=LOCAL
    )
    settings.OUTBOUND_ALLOW_PRIVATE = False
    with pytest.raises(OutboundBlocked):
        services.webhook_subscription_update(
            actor=admin_agent, subscription=subscription, url="http://169.254.169.254/latest"
        )
    subscription.refresh_from_db()
    assert subscription.url == LOCAL


def test_agents_cannot_manage_subscriptions(agent_a):
    with pytest.raises(Forbidden):
        services.webhook_subscription_create(actor=agent_a, name="x", url=LOCAL)
    assert not WebhookSubscription.objects.exists()


def test_one_event_given_as_a_string(admin_agent):
    subscription, _secret = services.webhook_subscription_create(
        actor=admin_agent, name="x", url=LOCAL, events="ticket.created"
    )
    assert subscription.events == ["ticket.created"]
    with pytest.raises(DomainError):
        services.webhook_subscription_update(
            actor=admin_agent, subscription=subscription, events="ticket"
        )
