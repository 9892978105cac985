"""Writes of outbound webhooks: emitting events, managing subscriptions, redelivering."""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from amparo.accounts.models import Role, User
from amparo.core import crypto
from amparo.core.errors import DomainError, Forbidden
from amparo.core.netguard import check_outbound_url
from amparo.webhooks.events import EVENT_TYPES
from amparo.webhooks.models import ALL_EVENTS, WebhookDelivery, WebhookSubscription

# After a rotation the old secret still signs deliveries this long (a second v1 in the header).
ROTATION_GRACE = timedelta(hours=24)


def _require_admin(actor: User) -> None:
    if not (actor.is_active and actor.role == Role.ADMIN):
        raise Forbidden(_("Only administrators manage webhooks."))


def _require_active(subscription: WebhookSubscription) -> None:
    if not subscription.is_active:
        raise DomainError(_("The subscription is inactive; activate it first."), field="is_active")


def _new_secret() -> str:
    return "whsec_" + secrets.token_urlsafe(32)


def _clean_name(name: str) -> str:
    name = name.strip()
    if not name or len(name) > 100:
        raise DomainError(_("Give the subscription a name of up to 100 characters."), field="name")
    return name


def _clean_url(url: str) -> str:
    url = url.strip()
    if len(url) > 2000:
        raise DomainError(_("The URL is too long."), field="url")
    check_outbound_url(url)
    return url


def _clean_events(events: Iterable[str] | str) -> list[str]:
    if isinstance(events, str):
        events = [events]
    cleaned: list[str] = []
    for event in events:
        if event != ALL_EVENTS and event not in EVENT_TYPES:
            raise DomainError(
                _("Unknown event type: %(event)s.") % {"event": event}, field="events"
            )
        if event not in cleaned:
            cleaned.append(event)
    if not cleaned:
        raise DomainError(_("Choose at least one event, or * for all."), field="events")
    return [ALL_EVENTS] if ALL_EVENTS in cleaned else cleaned


def _enqueue(delivery: WebhookDelivery) -> None:
    from amparo.webhooks.tasks import deliver_webhook

    # The database task backend stores the job in the caller's transaction: no event is lost
    # and none is sent for a change that rolled back.
    deliver_webhook.enqueue(delivery.pk)


def webhook_emit(*, event: str, payload: dict[str, Any]) -> None:
    """Queues delivery of ``event`` to every active subscription, in the caller's transaction.

    Called for every ticket change, so it costs one query when nobody subscribed.
    """
    subscriptions = [
        s
        for s in WebhookSubscription.objects.filter(is_active=True).only("id", "events")
        if s.wants(event)
    ]
    if not subscriptions:
        return
    event_id = uuid.uuid4()
    occurred_at = timezone.now()
    with transaction.atomic(savepoint=False):
        deliveries = WebhookDelivery.objects.bulk_create(
            [
                WebhookDelivery(
                    subscription=subscription,
                    event_id=event_id,
                    event_type=event,
                    payload=payload,
                    occurred_at=occurred_at,
                )
                for subscription in subscriptions
            ]
        )
        for delivery in deliveries:
            _enqueue(delivery)


@transaction.atomic
def webhook_subscription_create(
    *,
    actor: User,
    name: str,
    url: str,
    events: Iterable[str] | str = ALL_EVENTS,
    is_active: bool = True,
) -> tuple[WebhookSubscription, str]:
    """A new subscription and its signing secret (shown once: only its encryption is kept)."""
    _require_admin(actor)
    secret = _new_secret()
    subscription = WebhookSubscription.objects.create(
        name=_clean_name(name),
        url=_clean_url(url),
        events=_clean_events(events),
        secret_encrypted=crypto.encrypt(secret),
        is_active=is_active,
        created_by=actor,
    )
    return subscription, secret


@transaction.atomic
def webhook_subscription_update(
    *,
    actor: User,
    subscription: WebhookSubscription,
    name: str | None = None,
    url: str | None = None,
    events: Iterable[str] | str | None = None,
    is_active: bool | None = None,
) -> WebhookSubscription:
    _require_admin(actor)
    fields = ["updated_at"]
    if name is not None:
        subscription.name = _clean_name(name)
        fields.append("name")
    if url is not None:
        subscription.url = _clean_url(url)
        fields.append("url")
    if events is not None:
        subscription.events = _clean_events(events)
        fields.append("events")
    if is_active is not None:
        subscription.is_active = is_active
        fields.append("is_active")
    subscription.save(update_fields=fields)
    return subscription


@transaction.atomic
def webhook_subscription_delete(*, actor: User, subscription: WebhookSubscription) -> None:
    """Removes the subscription and its delivery log; queued deliveries find nothing and stop."""
    _require_admin(actor)
    subscription.delete()


@transaction.atomic
def webhook_subscription_rotate_secret(
    *, actor: User, subscription: WebhookSubscription
) -> tuple[WebhookSubscription, str]:
    """A new secret; the old one keeps signing alongside it for ROTATION_GRACE."""
    _require_admin(actor)
    secret = _new_secret()
    subscription.previous_secret_encrypted = subscription.secret_encrypted
    subscription.previous_secret_expires_at = timezone.now() + ROTATION_GRACE
    subscription.secret_encrypted = crypto.encrypt(secret)
    subscription.save(
        update_fields=[
            "previous_secret_encrypted",
            "previous_secret_expires_at",
            "secret_encrypted",
            "updated_at",
        ]
    )
    return subscription, secret


@transaction.atomic
def webhook_redeliver(*, actor: User, delivery: WebhookDelivery) -> WebhookDelivery:
    """Sends the same event again as a new delivery (same event id, fresh attempts)."""
    _require_admin(actor)
    _require_active(delivery.subscription)
    again = WebhookDelivery.objects.create(
        subscription=delivery.subscription,
        event_id=delivery.event_id,
        event_type=delivery.event_type,
        payload=delivery.payload,
        occurred_at=delivery.occurred_at,
        redelivery_of=delivery,
    )
    _enqueue(again)
    return again


@transaction.atomic
def webhook_ping(*, actor: User, subscription: WebhookSubscription) -> WebhookDelivery:
    """A ``ping`` event to this subscription only, to test the receiver."""
    _require_admin(actor)
    _require_active(subscription)
    delivery = WebhookDelivery.objects.create(
        subscription=subscription,
        event_id=uuid.uuid4(),
        event_type="ping",
        payload={"subscription_id": subscription.pk},
        occurred_at=timezone.now(),
    )
    _enqueue(delivery)
    return delivery
