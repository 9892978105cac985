"""Email channel data: mailboxes, per-mail metadata, quarantine, flood counters, blocklist.

Tickets and messages live in amparo.tickets; these rows hold what only email needs (the
Message-ID and threading headers, the stored .eml, the state of an IMAP folder).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from amparo.core.models import TimeStampedModel


class Security(models.TextChoices):
    SSL = "ssl", _("SSL/TLS")
    STARTTLS = "starttls", _("STARTTLS")
    NONE = "none", _("None (local servers only)")


class AfterFetch(models.TextChoices):
    MOVE = "move", _("Move to the processed folder")
    FLAG = "flag", _("Mark as read and flagged")


def raw_mail_path(instance: models.Model, filename: str) -> str:
    digest = getattr(instance, "sha256", "") or "unknown"
    return f"mail/{digest[:2]}/{digest}.eml"


class Mailbox(TimeStampedModel):
    """An address customers write to; how Amparo reads it (IMAP) and answers from it (SMTP)."""

    name = models.CharField(_("name"), max_length=120)
    address = models.EmailField(_("address"), unique=True)
    from_name = models.CharField(_("sender name"), max_length=120, blank=True)
    team = models.ForeignKey(
        "accounts.Team",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="mailboxes",
        verbose_name=_("team"),
        help_text=_("New tickets go to this team; its replies are sent from this mailbox."),
    )
    is_active = models.BooleanField(pgettext_lazy("feminine", "active"), default=True)
    is_default = models.BooleanField(
        _("default"), default=False, help_text=_("Sends replies of tickets that have no mailbox.")
    )
    auto_acknowledge = models.BooleanField(_("acknowledge new tickets"), default=True)

    imap_host = models.CharField(_("IMAP server"), max_length=200, blank=True)
    imap_port = models.PositiveIntegerField(_("IMAP port"), default=993)
    imap_security = models.CharField(
        _("IMAP security"), max_length=8, choices=Security.choices, default=Security.SSL
    )
    imap_username = models.CharField(_("IMAP user"), max_length=200, blank=True)
    imap_password_encrypted = models.TextField(_("IMAP password (encrypted)"), blank=True)
    imap_folder = models.CharField(_("IMAP folder"), max_length=200, default="INBOX")
    after_fetch = models.CharField(
        _("after fetching"), max_length=4, choices=AfterFetch.choices, default=AfterFetch.MOVE
    )
    processed_folder = models.CharField(
        _("processed folder"), max_length=200, default="Amparo/Processed"
    )
    use_idle = models.BooleanField(_("use IMAP IDLE"), default=True)

    smtp_host = models.CharField(_("SMTP server"), max_length=200, blank=True)
    smtp_port = models.PositiveIntegerField(_("SMTP port"), default=587)
    smtp_security = models.CharField(
        _("SMTP security"), max_length=8, choices=Security.choices, default=Security.STARTTLS
    )
    smtp_username = models.CharField(_("SMTP user"), max_length=200, blank=True)
    smtp_password_encrypted = models.TextField(_("SMTP password (encrypted)"), blank=True)

    dkim_domain = models.CharField(_("DKIM domain"), max_length=200, blank=True)
    dkim_selector = models.CharField(_("DKIM selector"), max_length=63, blank=True)
    dkim_private_key_encrypted = models.TextField(_("DKIM private key (encrypted)"), blank=True)

    # Where the IMAP folder was read up to: UIDs are only meaningful within one UIDVALIDITY.
    uidvalidity = models.BigIntegerField(null=True, blank=True)
    last_uid = models.BigIntegerField(default=0)
    last_fetch_at = models.DateTimeField(_("last fetched at"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("mailbox")
        verbose_name_plural = _("mailboxes")

    def __str__(self) -> str:
        return f"{self.name} <{self.address}>"


class Direction(models.TextChoices):
    INBOUND = "in", _("Received")
    OUTBOUND = "out", _("Sent")


class MailKind(models.TextChoices):
    MESSAGE = "message", _("Message")
    AUTO_REPLY = "auto_reply", _("Automatic reply")
    BOUNCE = "bounce", _("Delivery failure report")
    ACK = "ack", _("Acknowledgement")


class MailMessage(models.Model):
    """One email seen or sent. ``message_id`` is unique: the same mail twice is one row."""

    direction = models.CharField(max_length=3, choices=Direction.choices)
    kind = models.CharField(max_length=10, choices=MailKind.choices, default=MailKind.MESSAGE)
    message_id = models.CharField(_("Message-ID"), max_length=500, unique=True)
    mailbox = models.ForeignKey(
        Mailbox, null=True, blank=True, on_delete=models.SET_NULL, related_name="mails"
    )
    ticket = models.ForeignKey(
        "tickets.Ticket", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    ticket_message = models.ForeignKey(
        "tickets.Message", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    in_reply_to = models.CharField(max_length=500, blank=True)
    references = models.TextField(blank=True)
    subject = models.CharField(_("subject"), max_length=500, blank=True)
    from_address = models.CharField(_("from"), max_length=320, blank=True)
    to_addresses = models.JSONField(default=list, blank=True)
    cc_addresses = models.JSONField(default=list, blank=True)
    source = models.CharField(max_length=10, blank=True)
    raw = models.FileField(upload_to=raw_mail_path, max_length=200, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    # Outbound only: delivery attempts so far (the send job gives up after a few).
    attempts = models.PositiveSmallIntegerField(default=0)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("email")
        verbose_name_plural = _("emails")
        indexes = [
            models.Index(fields=["ticket", "direction", "-id"], name="mail_ticket_idx"),
            models.Index(fields=["ticket_message"], name="mail_message_idx"),
        ]

    def __str__(self) -> str:
        return self.message_id


class QuarantineReason(models.TextChoices):
    PARSE_ERROR = "parse_error", _("Could not be parsed")
    TOO_LARGE = "too_large", _("Too large")
    LOOP = "loop", _("Mail loop (our own mail came back)")
    AUTO_REPLY = "auto_reply", _("Automatic reply to no ticket")
    LIST = "list", _("Mailing list or bulk mail")
    BOUNCE = "bounce", _("Delivery report for no message of ours")
    BLOCKED = "blocked", _("Blocked sender")
    FLOOD = "flood", _("Sender flooding")
    NO_SENDER = "no_sender", _("No valid sender")
    ERROR = "error", _("Processing error")


class QuarantinedMail(models.Model):
    """Mail that did not become a ticket message, kept with its bytes so nothing vanishes."""

    reason = models.CharField(_("reason"), max_length=12, choices=QuarantineReason.choices)
    detail = models.TextField(_("detail"), blank=True)
    mailbox = models.ForeignKey(
        Mailbox, null=True, blank=True, on_delete=models.SET_NULL, related_name="quarantined"
    )
    source = models.CharField(_("source"), max_length=10, blank=True)
    sender = models.CharField(_("sender"), max_length=320, blank=True)
    subject = models.CharField(_("subject"), max_length=500, blank=True)
    message_id = models.CharField(_("Message-ID"), max_length=500, blank=True)
    raw = models.FileField(upload_to=raw_mail_path, max_length=200)
    size = models.PositiveBigIntegerField(_("size"), default=0)
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(_("quarantined at"), auto_now_add=True)
    released_at = models.DateTimeField(_("reprocessed at"), null=True, blank=True)
    release_result = models.CharField(_("reprocessing result"), max_length=200, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("quarantined mail")
        verbose_name_plural = _("quarantined mail")
        indexes = [
            models.Index(fields=["released_at", "reason"], name="quarantine_open_idx"),
            models.Index(fields=["message_id"], name="quarantine_msgid_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_reason_display()}: {self.subject or self.message_id}"


class SenderWindow(models.Model):
    """Mail counted per sender per time window, to quarantine floods (shared by all workers)."""

    address = models.CharField(max_length=320)
    window_start = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["address", "window_start"], name="sender_window_unique")
        ]

    def __str__(self) -> str:
        return f"{self.address}@{self.window_start:%H:%M}: {self.count}"


class BlockedSender(models.Model):
    """An address (``x@y.com``) or a whole domain (``@y.com``) whose mail is quarantined."""

    pattern = models.CharField(_("address or @domain"), max_length=320, unique=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pattern"]
        verbose_name = _("blocked sender")
        verbose_name_plural = _("blocked senders")

    def __str__(self) -> str:
        return self.pattern


class AckTemplate(models.Model):
    """The acknowledgement sent for new tickets, per mailbox or per team, in one language."""

    mailbox = models.ForeignKey(
        Mailbox, null=True, blank=True, on_delete=models.CASCADE, related_name="ack_templates"
    )
    team = models.ForeignKey(
        "accounts.Team",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="ack_templates",
        verbose_name=_("team"),
    )
    language = models.CharField(
        _("language"), max_length=8, choices=[("pt-br", "Português (Brasil)"), ("en", "English")]
    )
    subject = models.CharField(_("subject"), max_length=250)
    body = models.TextField(
        _("text"),
        help_text=_(
            "Placeholders: {{ ticket.number }}, {{ ticket.subject }}, {{ customer.name }}, "
            "{{ expected_response }}."
        ),
    )

    class Meta:
        verbose_name = _("acknowledgement template")
        verbose_name_plural = _("acknowledgement templates")
        constraints = [
            models.CheckConstraint(
                condition=Q(mailbox__isnull=False) | Q(team__isnull=False),
                name="ack_template_has_owner",
            )
        ]

    def __str__(self) -> str:
        return f"{self.mailbox or self.team} ({self.language})"
