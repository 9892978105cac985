"""Read-only Django admin of the runner's bookkeeping (jobs themselves: django-tasks-db's admin)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from amparo.jobs.models import PeriodicRun, WorkerHeartbeat


class ReadOnlyAdmin(admin.ModelAdmin):
    # Workers write these rows; an edit by hand would only confuse recovery or scheduling.
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(ReadOnlyAdmin):
    list_display = ("worker_id", "hostname", "pid", "queues", "started_at", "last_seen")
    search_fields = ("worker_id", "hostname")
    ordering = ("-last_seen",)


@admin.register(PeriodicRun)
class PeriodicRunAdmin(ReadOnlyAdmin):
    list_display = ("name", "period_start", "task_result_id", "created_at")
    list_filter = ("name",)
    ordering = ("-period_start",)
    date_hierarchy = "period_start"
