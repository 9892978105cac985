"""Reads of webhook subscriptions and deliveries: administrators only."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from amparo.accounts.models import Role, User
from amparo.core.errors import Forbidden, NotFound
from amparo.webhooks.models import WebhookDelivery, WebhookSubscription


def _require_admin(viewer: User) -> None:
    if not (viewer.is_active and viewer.role == Role.ADMIN):
        raise Forbidden(_("Only administrators manage webhooks."))


def subscription_list(*, viewer: User) -> QuerySet[WebhookSubscription]:
    _require_admin(viewer)
    return WebhookSubscription.objects.all()


def subscription_get(*, viewer: User, subscription_id: int) -> WebhookSubscription:
    subscription = subscription_list(viewer=viewer).filter(pk=subscription_id).first()
    if subscription is None:
        raise NotFound(_("Webhook subscription not found."))
    return subscription


def delivery_list(
    *, viewer: User, subscription: WebhookSubscription, status: str | None = None
) -> QuerySet[WebhookDelivery]:
    _require_admin(viewer)
    qs = WebhookDelivery.objects.filter(subscription=subscription)
    if status:
        qs = qs.filter(status=status)
    return qs


def delivery_get(
    *, viewer: User, subscription: WebhookSubscription, delivery_id: int
) -> WebhookDelivery:
    delivery = (
        delivery_list(viewer=viewer, subscription=subscription)
        .select_related("subscription")
        .filter(pk=delivery_id)
        .first()
    )
    if delivery is None:
        raise NotFound(_("Webhook delivery not found."))
    return delivery
