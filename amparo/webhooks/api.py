"""/api/v1/webhooks: subscriptions, their delivery log, redelivery. Administrators only."""

from __future__ import annotations

from typing import Literal

from django.http import HttpRequest
from ninja import Router, Status

from amparo.accounts.models import User
from amparo.api.pagination import keyset_page
from amparo.webhooks import selectors, services
from amparo.webhooks.schemas import (
    DeliveryOut,
    DeliveryPage,
    SubscriptionCreateIn,
    SubscriptionOut,
    SubscriptionPage,
    SubscriptionUpdateIn,
    SubscriptionWithSecretOut,
)

router = Router(tags=["webhooks"])


def _viewer(request: HttpRequest) -> User:
    user = request.auth  # type: ignore[attr-defined]
    assert isinstance(user, User)
    return user


def _with_secret(subscription: object, secret: str) -> dict[str, object]:
    out = SubscriptionOut.model_validate(subscription).model_dump()
    return {**out, "secret": secret}


@router.get("", response=SubscriptionPage, summary="List webhook subscriptions")
def list_subscriptions(
    request: HttpRequest, cursor: str | None = None, limit: int = 50
) -> dict[str, object]:
    qs = selectors.subscription_list(viewer=_viewer(request))
    items, next_cursor = keyset_page(qs, order="id", cursor=cursor, limit=limit)
    return {"items": items, "next_cursor": next_cursor}


@router.post(
    "",
    response={201: SubscriptionWithSecretOut},
    summary="Create a webhook subscription (the response holds its secret, shown only once)",
)
def create_subscription(request: HttpRequest, data: SubscriptionCreateIn) -> Status[object]:
    subscription, secret = services.webhook_subscription_create(
        actor=_viewer(request),
        name=data.name,
        url=data.url,
        events=data.events,
        is_active=data.is_active,
    )
    return Status(201, _with_secret(subscription, secret))


@router.get("/{int:subscription_id}", response=SubscriptionOut, summary="Read a subscription")
def get_subscription(request: HttpRequest, subscription_id: int) -> object:
    return selectors.subscription_get(viewer=_viewer(request), subscription_id=subscription_id)


@router.patch("/{int:subscription_id}", response=SubscriptionOut, summary="Change a subscription")
def update_subscription(
    request: HttpRequest, subscription_id: int, data: SubscriptionUpdateIn
) -> object:
    viewer = _viewer(request)
    subscription = selectors.subscription_get(viewer=viewer, subscription_id=subscription_id)
    return services.webhook_subscription_update(
        actor=viewer,
        subscription=subscription,
        name=data.name,
        url=data.url,
        events=data.events,
        is_active=data.is_active,
    )


@router.delete("/{int:subscription_id}", response={204: None}, summary="Delete a subscription")
def delete_subscription(request: HttpRequest, subscription_id: int) -> Status[None]:
    viewer = _viewer(request)
    subscription = selectors.subscription_get(viewer=viewer, subscription_id=subscription_id)
    services.webhook_subscription_delete(actor=viewer, subscription=subscription)
    return Status(204, None)


@router.post(
    "/{int:subscription_id}/rotate-secret",
    response=SubscriptionWithSecretOut,
    summary="Replace the signing secret (the old one keeps signing for 24 hours)",
)
def rotate_secret(request: HttpRequest, subscription_id: int) -> object:
    viewer = _viewer(request)
    subscription = selectors.subscription_get(viewer=viewer, subscription_id=subscription_id)
    subscription, secret = services.webhook_subscription_rotate_secret(
        actor=viewer, subscription=subscription
    )
    return _with_secret(subscription, secret)


@router.post(
    "/{int:subscription_id}/ping",
    response={202: DeliveryOut},
    summary="Send a ping event to test the receiver",
)
def ping(request: HttpRequest, subscription_id: int) -> Status[object]:
    viewer = _viewer(request)
    subscription = selectors.subscription_get(viewer=viewer, subscription_id=subscription_id)
    return Status(202, services.webhook_ping(actor=viewer, subscription=subscription))


@router.get(
    "/{int:subscription_id}/deliveries",
    response=DeliveryPage,
    summary="The delivery log of a subscription, newest first",
)
def list_deliveries(
    request: HttpRequest,
    subscription_id: int,
    status: Literal["pending", "succeeded", "failed"] | None = None,
    cursor: str | None = None,
    limit: int = 50,
) -> dict[str, object]:
    viewer = _viewer(request)
    subscription = selectors.subscription_get(viewer=viewer, subscription_id=subscription_id)
    qs = selectors.delivery_list(viewer=viewer, subscription=subscription, status=status)
    items, next_cursor = keyset_page(qs, order="-id", cursor=cursor, limit=limit)
    return {"items": items, "next_cursor": next_cursor}


@router.get(
    "/{int:subscription_id}/deliveries/{int:delivery_id}",
    response=DeliveryOut,
    summary="Read a delivery",
)
def get_delivery(request: HttpRequest, subscription_id: int, delivery_id: int) -> object:
    viewer = _viewer(request)
    subscription = selectors.subscription_get(viewer=viewer, subscription_id=subscription_id)
    return selectors.delivery_get(viewer=viewer, subscription=subscription, delivery_id=delivery_id)


@router.post(
    "/{int:subscription_id}/deliveries/{int:delivery_id}/redeliver",
    response={202: DeliveryOut},
    summary="Send the delivery's event again, as a new delivery with the same event id",
)
def redeliver(request: HttpRequest, subscription_id: int, delivery_id: int) -> Status[object]:
    viewer = _viewer(request)
    subscription = selectors.subscription_get(viewer=viewer, subscription_id=subscription_id)
    delivery = selectors.delivery_get(
        viewer=viewer, subscription=subscription, delivery_id=delivery_id
    )
    return Status(202, services.webhook_redeliver(actor=viewer, delivery=delivery))
