"""Shared model bases and site-wide settings kept in the database."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class SiteSettings(models.Model):
    """The one row of company-wide settings an administrator changes from the UI (branding)."""

    company_name = models.CharField(_("company name"), max_length=120, default="Amparo")
    logo = models.FileField(_("logo"), upload_to="branding/", blank=True)
    primary_color = models.CharField(_("primary colour"), max_length=7, default="#0f766e")
    accent_color = models.CharField(_("accent colour"), max_length=7, default="#f59e0b")
    support_email = models.EmailField(_("support email"), blank=True)

    class Meta:
        verbose_name = _("site settings")
        verbose_name_plural = _("site settings")

    def __str__(self) -> str:
        return self.company_name


class CustomFieldTarget(models.TextChoices):
    TICKET = "ticket", _("Ticket")
    CONTACT = "contact", _("Contact")
    ORGANIZATION = "organization", _("Organization")


class CustomFieldType(models.TextChoices):
    TEXT = "text", _("Text")
    NUMBER = "number", _("Number")
    DATE = "date", _("Date")
    BOOLEAN = "boolean", _("Yes/no")
    CHOICE = "choice", _("Choice")


class CustomFieldDefinition(models.Model):
    """A typed field an administrator adds to tickets, contacts or organizations."""

    target = models.CharField(_("applies to"), max_length=16, choices=CustomFieldTarget.choices)
    key = models.SlugField(_("key"), max_length=50)
    label = models.CharField(_("label"), max_length=100)
    field_type = models.CharField(_("type"), max_length=8, choices=CustomFieldType.choices)
    choices = models.JSONField(_("choices"), default=list, blank=True)
    required = models.BooleanField(_("required"), default=False)
    visible_to_customers = models.BooleanField(_("shown to customers"), default=False)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["target", "position", "key"]
        verbose_name = _("custom field")
        verbose_name_plural = _("custom fields")
        constraints = [
            models.UniqueConstraint(fields=["target", "key"], name="custom_field_target_key_unique")
        ]

    def __str__(self) -> str:
        return f"{self.target}.{self.key}"
