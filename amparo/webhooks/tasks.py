"""Background jobs of outbound webhooks (queue "webhooks")."""

from __future__ import annotations

from amparo.jobs.base import job
from amparo.webhooks.delivery import BACKOFF_SECONDS, MAX_ATTEMPTS, attempt_delivery


# Two spare retries: the delivery row counts attempts and gives up at MAX_ATTEMPTS; the spares
# cover a run that died before recording its attempt, so a delivery is never left pending.
@job(queue="webhooks", retries=MAX_ATTEMPTS + 2, backoff=BACKOFF_SECONDS)
def deliver_webhook(delivery_id: int) -> str:
    return attempt_delivery(delivery_id)
