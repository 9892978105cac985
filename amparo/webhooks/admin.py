"""Django admin of webhook subscriptions (read the secret nowhere: it is stored encrypted)."""

from __future__ import annotations

from django.contrib import admin

from amparo.webhooks.models import WebhookDelivery, WebhookSubscription


@admin.register(WebhookSubscription)
class WebhookSubscriptionAdmin(admin.ModelAdmin):
    list_display = ("name", "url", "is_active", "created_by", "created_at")
    list_filter = ("is_active",)
    search_fields = ("name", "url")
    # Subscriptions are created and re-pointed through the API, which checks the URL against
    # the outbound network rules and hands out the secret; here they can be renamed or paused.
    fields = ("name", "url", "events", "is_active", "created_by", "created_at", "updated_at")
    readonly_fields = ("url", "events", "created_by", "created_at", "updated_at")

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = (
        "id",
        "subscription",
        "event_type",
        "status",
        "attempts",
        "last_status_code",
        "created_at",
    )
    list_filter = ("status", "event_type")
    search_fields = ("event_id",)
    list_select_related = ("subscription",)
    raw_id_fields = ("subscription", "redelivery_of")

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
