"""Saved queue views: a named set of ticket filters and a sort, personal or shared."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from amparo.core.models import TimeStampedModel


class SortOrder(models.TextChoices):
    UPDATED_DESC = "-updated_at", _("Recently updated")
    UPDATED_ASC = "updated_at", _("Least recently updated")
    CREATED_DESC = "-created_at", _("Newest first")
    CREATED_ASC = "created_at", _("Oldest first")
    PRIORITY_DESC = "-priority", _("Highest priority")


class SavedView(TimeStampedModel):
    """``filters`` holds the queue filter form's cleaned values as JSON-safe strings and lists,
    so a view always means what the form would mean today (see desk.filters)."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="saved_views",
        verbose_name=_("owner"),
    )
    name = models.CharField(_("name"), max_length=80)
    is_shared = models.BooleanField(_("shared with every agent"), default=False)
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    sort = models.CharField(
        _("sort"), max_length=16, choices=SortOrder.choices, default=SortOrder.UPDATED_DESC
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "name", "id"]
        verbose_name = _("saved view")
        verbose_name_plural = _("saved views")
        indexes = [models.Index(fields=["is_shared"], name="savedview_shared_idx")]
        constraints = [
            models.UniqueConstraint(fields=["owner", "name"], name="savedview_owner_name_unique")
        ]

    def __str__(self) -> str:
        return self.name
