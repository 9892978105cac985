"""Customers: contacts with many identities, and the organizations they belong to."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from amparo.core.models import TimeStampedModel


class Organization(TimeStampedModel):
    name = models.CharField(_("name"), max_length=200)
    domains = models.JSONField(_("email domains"), default=list, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    custom_fields = models.JSONField(_("custom attributes"), default=dict, blank=True)
    # When set, every contact of the organization sees its tickets in the portal.
    shares_tickets = models.BooleanField(_("members see each other's tickets"), default=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        indexes = [models.Index(fields=["name"], name="org_name_idx")]

    def __str__(self) -> str:
        return self.name


class Contact(TimeStampedModel):
    name = models.CharField(_("name"), max_length=200, blank=True)
    organization = models.ForeignKey(
        Organization,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contacts",
        verbose_name=_("organization"),
    )
    language = models.CharField(_("language"), max_length=8, blank=True)
    time_zone = models.CharField(_("time zone"), max_length=64, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    custom_fields = models.JSONField(_("custom attributes"), default=dict, blank=True)
    # The portal account of this contact, when they have one.
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contact",
    )
    # Set when merged into another contact; the merged row stays so old links resolve.
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="merged_from"
    )

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        indexes = [
            models.Index(fields=["name", "id"], name="contact_name_idx"),
            models.Index(fields=["organization", "name"], name="contact_org_idx"),
        ]

    def __str__(self) -> str:
        return self.name or str(_("Contact #%(id)s") % {"id": self.pk})

    @property
    def display_name(self) -> str:
        return str(self)

    @property
    def first_name(self) -> str:
        return self.name.split()[0] if self.name else ""


class IdentityKind(models.TextChoices):
    EMAIL = "email", _("Email")
    PHONE = "phone", _("Phone")
    CHAT = "chat", _("Chat visitor")
    WHATSAPP = "whatsapp", _("WhatsApp")
    TELEGRAM = "telegram", _("Telegram")
    MESSENGER = "messenger", _("Messenger")
    INSTAGRAM = "instagram", _("Instagram")
    X = "x", _("X")


class ContactIdentity(models.Model):
    """One way to reach a contact. ``value`` is normalized, so (kind, value) is unique."""

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="identities")
    kind = models.CharField(_("kind"), max_length=16, choices=IdentityKind.choices)
    value = models.CharField(_("value"), max_length=320)
    is_primary = models.BooleanField(_("primary"), default=False)
    verified = models.BooleanField(_("verified"), default=False)
    # Set when mail to this address bounces, so we stop sending and show it to agents.
    bouncing_since = models.DateTimeField(_("bouncing since"), null=True, blank=True)
    bounce_reason = models.TextField(_("bounce reason"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("identity")
        verbose_name_plural = _("identities")
        constraints = [
            models.UniqueConstraint(fields=["kind", "value"], name="identity_kind_value_unique")
        ]
        indexes = [models.Index(fields=["contact", "kind"], name="identity_contact_idx")]

    def __str__(self) -> str:
        return f"{self.kind}:{self.value}"
