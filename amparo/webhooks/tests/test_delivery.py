"""Events from real ticket changes reach a real HTTP receiver, signed, with retries."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from amparo.core.actors import Actor
from amparo.testing.factories import make_ticket
from amparo.tickets.services import message_add
from amparo.webhooks import services
from amparo.webhooks.delivery import MAX_ATTEMPTS
from amparo.webhooks.models import DeliveryStatus, WebhookDelivery
from amparo.webhooks.signing import verify_signature

pytestmark = pytest.mark.django_db(transaction=True)


def _subscribe(admin, url, events="*"):
    return services.webhook_subscription_create(actor=admin, name="CRM", url=url, events=events)


def _time_passes() -> None:
    """Retries wait for their backoff; make every waiting job due now."""
    DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now() - timedelta(1))


def test_ticket_created_reaches_receiver_signed(
    allow_private, receiver, run_webhook_jobs, admin_agent, contact
):
    subscription, secret = _subscribe(admin_agent, receiver.url())
    ticket = make_ticket(contact=contact, subject="Impressora não liga")
    run_webhook_jobs()

    created = [r for r in receiver.requests if r.headers["Amparo-Event"] == "ticket.created"]
    assert len(created) == 1
    request = created[0]
    assert request.path == "/hook"
    assert request.headers["Content-Type"] == "application/json"
    assert verify_signature(secret, request.body, request.headers["Amparo-Signature"])
    assert not verify_signature("whsec_wrong", request.body, request.headers["Amparo-Signature"])
    body = json.loads(request.body)
    assert body["type"] == "ticket.created"
    assert body["data"]["ticket"]["id"] == ticket.pk
    assert body["data"]["ticket"]["subject"] == "Impressora não liga"
    assert body["data"]["ticket"]["contact_id"] == contact.pk
    delivery = WebhookDelivery.objects.get(pk=int(request.headers["Amparo-Delivery"]))
    assert str(delivery.event_id) == body["id"]
    assert delivery.subscription == subscription
    assert delivery.status == DeliveryStatus.SUCCEEDED
    assert delivery.attempts == 1
    assert delivery.last_status_code == 200
    assert delivery.response_excerpt == "ok"
    assert delivery.delivered_at is not None
    assert request.headers["Amparo-Timestamp"] in request.headers["Amparo-Signature"]


def test_message_created_carries_the_message(
    allow_private, receiver, run_webhook_jobs, admin_agent, agent_a, contact
):
    _subscription, secret = _subscribe(admin_agent, receiver.url(), events=["message.created"])
    ticket = make_ticket(contact=contact)
    receiver.requests.clear()
    run_webhook_jobs()
    receiver.requests.clear()

    message = message_add(
        ticket=ticket, actor=Actor.of_agent(agent_a), body_text="Já enviamos o técnico."
    )
    run_webhook_jobs()

    assert [r.headers["Amparo-Event"] for r in receiver.requests] == ["message.created"]
    request = receiver.requests[0]
    assert verify_signature(secret, request.body, request.headers["Amparo-Signature"])
    data = json.loads(request.body)["data"]
    assert data["message"]["id"] == message.pk
    assert data["message"]["body_text"] == "Já enviamos o técnico."
    assert data["message"]["author_agent_id"] == agent_a.pk
    assert data["ticket"]["id"] == ticket.pk


def test_only_subscribed_events_are_sent(
    allow_private, receiver, run_webhook_jobs, admin_agent, contact
):
    _subscribe(admin_agent, receiver.url(), events=["ticket.merged"])
    make_ticket(contact=contact)
    run_webhook_jobs()
    assert receiver.requests == []
    assert not WebhookDelivery.objects.exists()


def test_server_error_is_retried_until_it_succeeds(
    allow_private, receiver, run_webhook_jobs, admin_agent, contact
):
    receiver.replies = [(500, b"boom"), (200, b"thanks")]
    _subscription, secret = _subscribe(admin_agent, receiver.url(), events=["ticket.created"])
    make_ticket(contact=contact)
    run_webhook_jobs()

    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.PENDING
    assert delivery.attempts == 1
    assert delivery.last_status_code == 500
    assert delivery.response_excerpt == "boom"
    assert delivery.next_attempt_at is not None
    assert delivery.next_attempt_at > timezone.now()
    assert len(receiver.requests) == 1

    _time_passes()
    run_webhook_jobs()

    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SUCCEEDED
    assert delivery.attempts == 2
    assert delivery.last_status_code == 200
    assert delivery.last_error == ""
    assert delivery.next_attempt_at is None
    first, second = receiver.requests
    assert first.body == second.body
    assert first.headers["Amparo-Delivery"] == second.headers["Amparo-Delivery"]
    assert verify_signature(secret, second.body, second.headers["Amparo-Signature"])

    # Nothing is left to run, and running the job again sends nothing (idempotent).
    _time_passes()
    run_webhook_jobs()
    from amparo.webhooks.tasks import deliver_webhook

    assert deliver_webhook.call(delivery.pk) == DeliveryStatus.SUCCEEDED
    assert len(receiver.requests) == 2


def test_dropped_connection_is_retried(
    allow_private, receiver, run_webhook_jobs, admin_agent, contact
):
    receiver.drop_connection = True
    _subscribe(admin_agent, receiver.url(), events=["ticket.created"])
    make_ticket(contact=contact)
    run_webhook_jobs()
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.PENDING
    assert delivery.last_status_code is None
    assert delivery.last_error
    assert DBTaskResult.objects.filter(status="READY").count() == 1


@pytest.mark.parametrize("status", [408, 429, 503])
def test_retryable_statuses(
    allow_private, receiver, run_webhook_jobs, admin_agent, contact, status
):
    receiver.replies = [(status, b"")]
    _subscribe(admin_agent, receiver.url(), events=["ticket.created"])
    make_ticket(contact=contact)
    run_webhook_jobs()
    assert WebhookDelivery.objects.get().status == DeliveryStatus.PENDING
    assert DBTaskResult.objects.filter(status="READY").count() == 1


def test_gone_fails_permanently_without_retry(
    allow_private, receiver, run_webhook_jobs, admin_agent, contact
):
    receiver.replies = [(410, b"no such hook")]
    _subscribe(admin_agent, receiver.url(), events=["ticket.created"])
    make_ticket(contact=contact)
    run_webhook_jobs()

    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.attempts == 1
    assert delivery.last_status_code == 410
    assert delivery.response_excerpt == "no such hook"
    assert delivery.next_attempt_at is None
    assert not DBTaskResult.objects.filter(status="READY").exists()
    _time_passes()
    run_webhook_jobs()
    assert len(receiver.requests) == 1


def test_gives_up_after_the_last_attempt(
    allow_private, receiver, run_webhook_jobs, admin_agent, contact
):
    receiver.replies = [(500, b"")]
    _subscribe(admin_agent, receiver.url(), events=["ticket.created"])
    make_ticket(contact=contact)
    for _ in range(MAX_ATTEMPTS):
        run_webhook_jobs()
        _time_passes()
    run_webhook_jobs()
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.attempts == MAX_ATTEMPTS
    assert len(receiver.requests) == MAX_ATTEMPTS
    assert not DBTaskResult.objects.filter(status="READY").exists()


def test_private_target_is_refused_at_delivery(
    settings, receiver, run_webhook_jobs, admin_agent, contact
):
    settings.OUTBOUND_ALLOW_PRIVATE = True
    _subscribe(admin_agent, receiver.url(), events=["ticket.created"])
    settings.OUTBOUND_ALLOW_PRIVATE = False
    make_ticket(contact=contact)
    run_webhook_jobs()
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.attempts == 1
    assert delivery.last_status_code is None
    assert delivery.last_error  # the refusal, in the site's language
    assert receiver.requests == []


def test_redelivery_sends_same_event_as_new_delivery(
    allow_private, receiver, run_webhook_jobs, admin_agent, contact
):
    receiver.replies = [(410, b""), (200, b"ok")]
    _subscribe(admin_agent, receiver.url(), events=["ticket.created"])
    make_ticket(contact=contact)
    run_webhook_jobs()
    failed = WebhookDelivery.objects.get()
    assert failed.status == DeliveryStatus.FAILED

    again = services.webhook_redeliver(actor=admin_agent, delivery=failed)
    run_webhook_jobs()
    again.refresh_from_db()
    assert again.status == DeliveryStatus.SUCCEEDED
    assert again.event_id == failed.event_id
    assert again.redelivery_of == failed
    first, second = receiver.requests
    assert json.loads(first.body) == json.loads(second.body)
    assert second.headers["Amparo-Delivery"] == str(again.pk)


def test_rotated_secret_signs_with_both_during_grace(
    allow_private, receiver, run_webhook_jobs, admin_agent
):
    subscription, old = _subscribe(admin_agent, receiver.url())
    subscription, new = services.webhook_subscription_rotate_secret(
        actor=admin_agent, subscription=subscription
    )
    assert new != old
    services.webhook_ping(actor=admin_agent, subscription=subscription)
    run_webhook_jobs()
    (request,) = receiver.requests
    header = request.headers["Amparo-Signature"]
    assert verify_signature(new, request.body, header)
    assert verify_signature(old, request.body, header)

    subscription.previous_secret_expires_at = timezone.now() - timedelta(seconds=1)
    subscription.save(update_fields=["previous_secret_expires_at"])
    services.webhook_ping(actor=admin_agent, subscription=subscription)
    run_webhook_jobs()
    header = receiver.requests[1].headers["Amparo-Signature"]
    assert verify_signature(new, receiver.requests[1].body, header)
    assert not verify_signature(old, receiver.requests[1].body, header)


def test_deleted_subscription_stops_queued_deliveries(
    allow_private, receiver, run_webhook_jobs, admin_agent, contact
):
    subscription, _secret = _subscribe(admin_agent, receiver.url())
    make_ticket(contact=contact)
    services.webhook_subscription_delete(actor=admin_agent, subscription=subscription)
    run_webhook_jobs()
    assert receiver.requests == []
    assert not DBTaskResult.objects.filter(status="FAILED").exists()


def test_paused_subscription_receives_nothing(
    allow_private, receiver, run_webhook_jobs, admin_agent, contact
):
    subscription, _secret = _subscribe(admin_agent, receiver.url())
    make_ticket(contact=contact)
    services.webhook_subscription_update(
        actor=admin_agent, subscription=subscription, is_active=False
    )
    make_ticket(contact=contact)
    run_webhook_jobs()
    assert receiver.requests == []
    # Queued before the pause: settled as failed, not left pending forever.
    assert set(WebhookDelivery.objects.values_list("status", flat=True)) == {DeliveryStatus.FAILED}


def test_rolled_back_change_sends_nothing(
    allow_private, receiver, run_webhook_jobs, admin_agent, contact
):
    _subscribe(admin_agent, receiver.url())

    class Boom(Exception):
        pass

    def change_then_fail() -> None:
        with transaction.atomic():
            make_ticket(contact=contact)
            raise Boom

    with pytest.raises(Boom):
        change_then_fail()
    run_webhook_jobs()
    assert receiver.requests == []
    assert not WebhookDelivery.objects.exists()
