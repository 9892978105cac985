"""Django admin for tickets: a read-mostly view for administrators; the desk is where work happens."""

from django.contrib import admin

from amparo.tickets.models import Attachment, Macro, Message, Tag, Ticket, TicketEvent


class MessageInline(admin.TabularInline):
    model = Message
    fields = (
        "created_at",
        "author_kind",
        "author_agent",
        "author_contact",
        "is_internal",
        "channel",
        "body_text",
        "delivery_status",
    )
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True


@admin.register(Ticket)
class TicketAdmin(admin.ModelAdmin):
    list_display = (
        "id",
        "subject",
        "status",
        "priority",
        "channel",
        "contact",
        "team",
        "assignee",
        "updated_at",
    )
    list_filter = ("status", "priority", "channel", "team")
    search_fields = ("=id", "subject")
    raw_id_fields = ("contact", "organization", "assignee", "merged_into")
    filter_horizontal = ("tags",)
    readonly_fields = (
        "created_at",
        "updated_at",
        "first_response_at",
        "last_message_at",
        "solved_at",
        "closed_at",
        "message_count",
        "merged_into",
    )
    show_full_result_count = False
    inlines = [MessageInline]

    def has_add_permission(self, request) -> bool:  # type: ignore[no-untyped-def]
        # Tickets are created through channels or the desk, so every creation writes its events.
        return False


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = (
        "id",
        "ticket",
        "author_kind",
        "channel",
        "is_internal",
        "delivery_status",
        "created_at",
    )
    list_filter = ("channel", "author_kind", "is_internal", "delivery_status")
    raw_id_fields = ("ticket", "author_agent", "author_contact")
    readonly_fields = ("body_html", "channel_meta", "external_id", "client_id", "created_at")
    show_full_result_count = False


@admin.register(Attachment)
class AttachmentAdmin(admin.ModelAdmin):
    list_display = ("id", "filename", "content_type", "size", "ticket", "created_at")
    raw_id_fields = ("ticket", "message")
    readonly_fields = ("sha256", "size", "content_type", "file")
    show_full_result_count = False


@admin.register(TicketEvent)
class TicketEventAdmin(admin.ModelAdmin):
    list_display = ("id", "ticket", "kind", "actor_kind", "actor_agent", "created_at")
    list_filter = ("kind",)
    raw_id_fields = ("ticket", "actor_agent", "actor_contact")
    show_full_result_count = False

    def has_change_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False  # the audit trail is not edited


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ("name", "color")
    search_fields = ("name",)


@admin.register(Macro)
class MacroAdmin(admin.ModelAdmin):
    list_display = ("name", "team", "is_active", "usage_count")
    list_filter = ("is_active", "team")
