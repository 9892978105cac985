"""Tickets, their messages and attachments, tags, and the timeline of events."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from amparo.core.models import TimeStampedModel


class Status(models.TextChoices):
    NEW = "new", _("New")
    OPEN = "open", _("Open")
    PENDING = "pending", _("Pending")
    ON_HOLD = "on_hold", _("On hold")
    SOLVED = "solved", _("Solved")
    CLOSED = "closed", _("Closed")


OPEN_STATUSES = (Status.NEW, Status.OPEN, Status.PENDING, Status.ON_HOLD)


class Priority(models.IntegerChoices):
    LOW = 1, _("Low")
    NORMAL = 2, _("Normal")
    HIGH = 3, _("High")
    URGENT = 4, _("Urgent")


class Channel(models.TextChoices):
    EMAIL = "email", _("Email")
    WEB = "web", _("Web portal")
    CHAT = "chat", _("Live chat")
    PHONE = "phone", _("Phone")
    VISIT = "visit", _("In person")
    WHATSAPP = "whatsapp", _("WhatsApp")
    TELEGRAM = "telegram", _("Telegram")
    MESSENGER = "messenger", _("Messenger")
    INSTAGRAM = "instagram", _("Instagram")
    X = "x", _("X")
    API = "api", _("API")


class Tag(models.Model):
    name = models.SlugField(_("name"), max_length=50, unique=True, allow_unicode=True)
    color = models.CharField(_("colour"), max_length=7, default="#64748b")

    class Meta:
        ordering = ["name"]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")

    def __str__(self) -> str:
        return self.name


class Ticket(TimeStampedModel):
    """A conversation with a customer. Its id is the number people quote (#1234)."""

    subject = models.CharField(_("subject"), max_length=250)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.NEW)
    priority = models.PositiveSmallIntegerField(
        _("priority"), choices=Priority.choices, default=Priority.NORMAL
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    # db_index=False on the foreign keys below: each is the first column of a composite index
    # in Meta.indexes, which serves the same lookups (including deletes of the related row).
    contact = models.ForeignKey(
        "crm.Contact",
        on_delete=models.PROTECT,
        related_name="tickets",
        verbose_name=_("contact"),
        db_index=False,
    )
    organization = models.ForeignKey(
        "crm.Organization",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tickets",
        verbose_name=_("organization"),
        db_index=False,
    )
    team = models.ForeignKey(
        "accounts.Team",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tickets",
        verbose_name=_("team"),
        db_index=False,
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_tickets",
        verbose_name=_("assignee"),
        db_index=False,
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="tickets", verbose_name=_("tags"))
    custom_fields = models.JSONField(_("custom fields"), default=dict, blank=True)
    language = models.CharField(_("language"), max_length=8, blank=True)
    follower_agents = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="followed_tickets",
        verbose_name=_("following agents"),
    )
    follower_contacts = models.ManyToManyField(
        "crm.Contact",
        blank=True,
        related_name="followed_tickets",
        verbose_name=_("customers in copy"),
    )
    first_response_at = models.DateTimeField(_("first response at"), null=True, blank=True)
    last_message_at = models.DateTimeField(_("last message at"), null=True, blank=True)
    last_customer_message_at = models.DateTimeField(null=True, blank=True)
    solved_at = models.DateTimeField(_("solved at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    message_count = models.PositiveIntegerField(default=0)
    # Indexed by ticket_merged_into_idx, which holds merged tickets only (see Meta.indexes).
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="merged_from",
        verbose_name=_("merged into"),
        db_index=False,
    )

    class Meta:
        verbose_name = _("ticket")
        verbose_name_plural = _("tickets")
        # Every list (queues, API filters, customer history) reads one of these in order,
        # so the first page costs the same at a thousand or a million tickets.
        indexes = [
            models.Index(fields=["status", "-updated_at", "-id"], name="ticket_status_upd_idx"),
            models.Index(
                fields=["team", "status", "-updated_at", "-id"], name="ticket_team_status_idx"
            ),
            models.Index(
                fields=["assignee", "status", "-updated_at", "-id"], name="ticket_assignee_idx"
            ),
            models.Index(fields=["contact", "-created_at"], name="ticket_contact_idx"),
            models.Index(fields=["organization", "-created_at"], name="ticket_org_idx"),
            models.Index(fields=["-updated_at", "-id"], name="ticket_updated_idx"),
            models.Index(fields=["-created_at", "-id"], name="ticket_created_idx"),
            models.Index(fields=["channel", "-created_at"], name="ticket_channel_idx"),
            models.Index(fields=["priority", "status"], name="ticket_priority_idx"),
            # Partial: lookups by merged_into_id (merged_from, the SET NULL when a ticket is
            # deleted) imply NOT NULL. A full index made SQLite answer every list's
            # "merged_into IS NULL" by walking it: all tickets, oldest first.
            models.Index(
                fields=["merged_into"],
                condition=Q(merged_into__isnull=False),
                name="ticket_merged_into_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.subject}"

    @property
    def number(self) -> int:
        return self.pk

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class AuthorKind(models.TextChoices):
    CONTACT = "contact", _("Customer")
    AGENT = "agent", _("Agent")
    BOT = "bot", _("Bot")
    SYSTEM = "system", _("System")


class DeliveryStatus(models.TextChoices):
    NONE = "", _("Not sent")
    RECEIVED = "received", _("Received")
    QUEUED = "queued", _("Queued")
    SENT = "sent", _("Sent")
    DELIVERED = "delivered", _("Delivered")
    READ = "read", pgettext_lazy("delivery status", "Read")
    FAILED = "failed", _("Failed")
    BOUNCED = "bounced", _("Bounced")


class Message(models.Model):
    # Indexed by message_ticket_idx (ticket, created_at, id).
    ticket = models.ForeignKey(
        Ticket, on_delete=models.CASCADE, related_name="messages", db_index=False
    )
    author_kind = models.CharField(_("author"), max_length=8, choices=AuthorKind.choices)
    author_contact = models.ForeignKey(
        "crm.Contact", null=True, blank=True, on_delete=models.SET_NULL, related_name="messages"
    )
    author_agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="messages",
    )
    is_internal = models.BooleanField(_("internal note"), default=False)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    body_text = models.TextField(_("text"), blank=True)
    body_html = models.TextField(_("HTML (sanitized)"), blank=True)
    channel_meta = models.JSONField(_("channel data"), default=dict, blank=True)
    delivery_status = models.CharField(
        _("delivery status"), max_length=10, choices=DeliveryStatus.choices, blank=True
    )
    delivery_error = models.TextField(_("delivery error"), blank=True)
    # Provider id (email Message-ID, WhatsApp wamid, …): the same one twice is one message.
    external_id = models.CharField(max_length=500, blank=True)
    # Client-chosen id (chat widget, API): a retried send does not make a second message.
    client_id = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        indexes = [models.Index(fields=["ticket", "created_at", "id"], name="message_ticket_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "external_id"],
                condition=~Q(external_id=""),
                name="message_external_id_unique",
            ),
            models.UniqueConstraint(
                fields=["ticket", "client_id"],
                condition=~Q(client_id=""),
                name="message_client_id_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ticket_id}/{self.pk}"

    @property
    def author_name(self) -> str:
        if self.author_agent_id and self.author_agent:
            return str(self.author_agent)
        if self.author_contact_id and self.author_contact:
            return str(self.author_contact)
        return str(AuthorKind(self.author_kind).label)


def attachment_path(instance: Attachment, filename: str) -> str:
    # The stored name is random; the customer's filename is kept only in the row.
    return f"attachments/{instance.sha256[:2]}/{instance.sha256}"


class Attachment(models.Model):
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="attachments")
    # Indexed by attachment_message_idx.
    message = models.ForeignKey(
        Message,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="attachments",
        db_index=False,
    )
    file = models.FileField(upload_to=attachment_path, max_length=200)
    filename = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=120)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)
    # For inline images of HTML mail (cid:…).
    content_id = models.CharField(max_length=250, blank=True)
    is_inline = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        indexes = [models.Index(fields=["message"], name="attachment_message_idx")]

    def __str__(self) -> str:
        return self.filename


class EventKind(models.TextChoices):
    CREATED = "created", _("Ticket created")
    MESSAGE = "message", _("Message added")
    NOTE = "note", _("Internal note added")
    STATUS = "status", _("Status changed")
    PRIORITY = "priority", _("Priority changed")
    TEAM = "team", _("Team changed")
    ASSIGNEE = "assignee", _("Assignee changed")
    TAGS = "tags", _("Tags changed")
    FIELDS = "fields", _("Fields changed")
    SUBJECT = "subject", _("Subject changed")
    FOLLOWERS = "followers", _("Followers changed")
    CONTACT = "contact", _("Customer changed")
    MERGED = "merged", _("Merged")
    MERGED_IN = "merged_in", _("Ticket merged in")
    DELIVERY = "delivery", _("Delivery status changed")


class TicketEvent(models.Model):
    """One row per change to a ticket: the timeline and the audit trail read these."""

    # Indexed by event_ticket_idx (ticket, created_at, id).
    ticket = models.ForeignKey(
        Ticket, on_delete=models.CASCADE, related_name="events", db_index=False
    )
    kind = models.CharField(max_length=12, choices=EventKind.choices)
    actor_kind = models.CharField(max_length=8, choices=AuthorKind.choices)
    actor_agent = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_contact = models.ForeignKey(
        "crm.Contact", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["ticket", "created_at", "id"], name="event_ticket_idx")]

    def __str__(self) -> str:
        return f"{self.ticket_id}:{self.kind}"


class Macro(TimeStampedModel):
    """A canned reply and/or a set of ticket changes an agent applies in one click.

    ``body`` may use placeholders: {{ customer.first_name }}, {{ customer.name }},
    {{ ticket.number }}, {{ ticket.subject }}, {{ agent.name }}, {{ agent.first_name }},
    {{ agent.signature }}. ``actions`` holds changes such as {"status": "pending",
    "priority": 3, "add_tags": ["x"], "team_id": 2}.
    """

    name = models.CharField(_("name"), max_length=120)
    body = models.TextField(_("reply text"), blank=True)
    actions = models.JSONField(_("changes"), default=dict, blank=True)
    # None: shared with everyone; otherwise visible to the team's members only.
    team = models.ForeignKey(
        "accounts.Team",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="macros",
        verbose_name=_("team"),
    )
    is_active = models.BooleanField(_("active"), default=True)
    usage_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["name"]
        verbose_name = _("macro")
        verbose_name_plural = _("macros")

    def __str__(self) -> str:
        return self.name
