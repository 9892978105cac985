"""One attempt at delivering a webhook: build the signed request, send it, record the outcome.

The job in tasks.py calls :func:`attempt_delivery`; retries and their backoff come from the job
decorator. No database transaction is held while the receiver is being called.
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass
from datetime import timedelta

import httpx
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from amparo.core import crypto
from amparo.core.netguard import OutboundBlocked, safe_post
from amparo.jobs.base import PermanentError
from amparo.webhooks.models import DeliveryStatus, WebhookDelivery, WebhookSubscription
from amparo.webhooks.signing import sign

logger = logging.getLogger(__name__)

# Attempts per delivery, and the base of the exponential backoff between them (seconds):
# 30 s, 1 min, 2 min, … — the eighth and last attempt comes about an hour after the first.
MAX_ATTEMPTS = 8
BACKOFF_SECONDS = 30.0
TIMEOUT_SECONDS = 10.0
EXCERPT_CHARS = 2000
USER_AGENT = "Amparo-Webhooks/1"


class DeliveryFailed(Exception):
    """A failed attempt that a later attempt may fix (5xx, 408, 429, timeouts, network)."""


@dataclass(frozen=True)
class Outcome:
    status_code: int | None
    error: str
    excerpt: str
    permanent: bool = False

    @property
    def succeeded(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def body_for(delivery: WebhookDelivery) -> bytes:
    envelope = {
        "id": str(delivery.event_id),
        "type": delivery.event_type,
        "created_at": delivery.occurred_at.isoformat(),
        "data": delivery.payload,
    }
    return json.dumps(envelope, cls=DjangoJSONEncoder, ensure_ascii=False).encode()


def signing_secrets(subscription: WebhookSubscription) -> list[str]:
    found = [crypto.decrypt(subscription.secret_encrypted)]
    expires = subscription.previous_secret_expires_at
    if subscription.previous_secret_encrypted and expires and expires > timezone.now():
        found.append(crypto.decrypt(subscription.previous_secret_encrypted))
    return found


def headers_for(delivery: WebhookDelivery, body: bytes, timestamp: int) -> dict[str, str]:
    return {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "Amparo-Event": delivery.event_type,
        "Amparo-Delivery": str(delivery.pk),
        "Amparo-Timestamp": str(timestamp),
        "Amparo-Signature": sign(signing_secrets(delivery.subscription), body, timestamp),
    }


def _send(delivery: WebhookDelivery) -> Outcome:
    body = body_for(delivery)
    timestamp = int(time.time())
    try:
        response = safe_post(
            delivery.subscription.url,
            content=body,
            headers=headers_for(delivery, body, timestamp),
            timeout=TIMEOUT_SECONDS,
            max_response_bytes=EXCERPT_CHARS * 4,
        )
    except OutboundBlocked as exc:
        return Outcome(None, exc.message, "", permanent=True)
    except crypto.DecryptionError as exc:
        return Outcome(None, str(exc), "", permanent=True)
    except httpx.TimeoutException as exc:
        return Outcome(None, f"timeout: {exc}" if str(exc) else "timeout", "")
    except httpx.HTTPError as exc:
        return Outcome(None, f"{type(exc).__name__}: {exc}", "")
    code = response.status_code
    excerpt = response.content.decode("utf-8", errors="replace")[:EXCERPT_CHARS]
    if 200 <= code < 300:
        return Outcome(code, "", excerpt)
    permanent = 400 <= code < 500 and code not in (408, 429)
    return Outcome(code, f"HTTP {code}", excerpt, permanent=permanent)


def _record(delivery_id: int, outcome: Outcome) -> WebhookDelivery | None:
    with transaction.atomic():
        delivery = WebhookDelivery.objects.select_for_update().filter(pk=delivery_id).first()
        if delivery is None or delivery.status == DeliveryStatus.SUCCEEDED:
            return delivery
        now = timezone.now()
        delivery.attempts += 1
        delivery.last_status_code = outcome.status_code
        delivery.last_error = outcome.error[:2000]
        delivery.response_excerpt = outcome.excerpt
        delivery.next_attempt_at = None
        if outcome.succeeded:
            delivery.status = DeliveryStatus.SUCCEEDED
            delivery.delivered_at = now
        elif outcome.permanent or delivery.attempts >= MAX_ATTEMPTS:
            delivery.status = DeliveryStatus.FAILED
        else:
            # The job decorator picks the exact delay (with jitter); this is the planned one.
            delay = BACKOFF_SECONDS * 2 ** (delivery.attempts - 1)
            delivery.next_attempt_at = now + timedelta(seconds=delay)
        delivery.save(
            update_fields=[
                "attempts",
                "last_status_code",
                "last_error",
                "response_excerpt",
                "next_attempt_at",
                "status",
                "delivered_at",
            ]
        )
        return delivery


def _fail_without_sending(delivery_id: int, error: str) -> None:
    WebhookDelivery.objects.filter(pk=delivery_id, status=DeliveryStatus.PENDING).update(
        status=DeliveryStatus.FAILED, last_error=error, next_attempt_at=None
    )


def attempt_delivery(delivery_id: int) -> str:
    """Sends the delivery once unless it is already settled; returns its status.

    Raises PermanentError when the delivery has failed for good, DeliveryFailed when another
    attempt should follow.
    """
    delivery = WebhookDelivery.objects.select_related("subscription").filter(pk=delivery_id).first()
    if delivery is None:
        return "gone"  # its subscription was deleted
    if delivery.status != DeliveryStatus.PENDING:
        return str(delivery.status)
    if not delivery.subscription.is_active:
        _fail_without_sending(delivery_id, "subscription inactive")
        raise PermanentError(f"webhook delivery {delivery_id}: subscription inactive")

    outcome = _send(delivery)
    recorded = _record(delivery_id, outcome)
    if recorded is None:
        return "gone"
    if recorded.status == DeliveryStatus.SUCCEEDED:
        return str(recorded.status)
    message = f"webhook delivery {delivery_id} attempt {recorded.attempts}: {outcome.error}"
    if recorded.status == DeliveryStatus.FAILED:
        raise PermanentError(message)
    raise DeliveryFailed(message)
