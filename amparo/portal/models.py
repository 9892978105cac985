"""Sign-in links e-mailed to customers. Only a SHA-256 of each token is stored."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class SignInLinkStatus(models.TextChoices):
    # Requested; the mail job has not run yet.
    PENDING = "pending", _("Pending")
    SENT = "sent", _("Sent")
    # The address belongs to no customer (or to an agent): nothing was sent.
    SKIPPED = "skipped", _("Skipped")
    USED = "used", pgettext_lazy("sign-in link", "Used")
    # Replaced by a newer link or a sign-in with another link.
    REVOKED = "revoked", _("Revoked")


class SignInLink(models.Model):
    """One request for a magic link. The token is made and mailed by a job, then used once."""

    email = models.EmailField(_("email"), max_length=320)
    status = models.CharField(
        _("status"),
        max_length=8,
        choices=SignInLinkStatus.choices,
        default=SignInLinkStatus.PENDING,
    )
    token_hash = models.CharField(max_length=64, blank=True)
    # The ticket an anonymous visitor just submitted: the mail confirms it and the link opens it.
    ticket = models.ForeignKey(
        "tickets.Ticket", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    next_path = models.CharField(max_length=300, blank=True)
    language = models.CharField(_("language"), max_length=8, blank=True)
    requested_ip = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("sign-in link")
        verbose_name_plural = _("sign-in links")
        indexes = [models.Index(fields=["email", "status"], name="portal_link_email_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["token_hash"], condition=~Q(token_hash=""), name="portal_link_token_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.email} ({self.status})"
