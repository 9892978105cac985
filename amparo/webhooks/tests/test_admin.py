from __future__ import annotations

import pytest

from amparo.webhooks import services

pytestmark = pytest.mark.django_db


def test_admin_lists_subscriptions_and_deliveries(admin_client, admin_user, allow_private):
    subscription, secret = services.webhook_subscription_create(
        actor=admin_user, name="ERP", url="http://127.0.0.1:9/hook"
    )
    services.webhook_emit(event="ticket.created", payload={"ticket": {"id": 1}})

    page = admin_client.get("/admin/webhooks/webhooksubscription/")
    assert page.status_code == 200
    assert "ERP" in page.content.decode()
    detail = admin_client.get(f"/admin/webhooks/webhooksubscription/{subscription.pk}/change/")
    assert detail.status_code == 200
    assert secret not in detail.content.decode()
    assert subscription.secret_encrypted not in detail.content.decode()
    assert admin_client.get("/admin/webhooks/webhookdelivery/").status_code == 200
    # Subscriptions are created through the API, which checks the URL and returns the secret.
    assert admin_client.get("/admin/webhooks/webhooksubscription/add/").status_code == 403
