"""Bookkeeping for the job runner: which workers are alive, which periodic runs were enqueued.

django-tasks-db stores the jobs themselves (``django_tasks_db.DBTaskResult``); it has no notion
of a worker that died mid-job, nor of jobs that repeat, so these two tables add them.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkerHeartbeat(models.Model):
    """One row per running worker; ``last_seen`` moves while the worker is alive."""

    # The id django-tasks-db appends to DBTaskResult.worker_ids when the worker claims a job.
    worker_id = models.CharField(_("worker id"), max_length=64, unique=True)
    hostname = models.CharField(_("host name"), max_length=255)
    pid = models.PositiveIntegerField(_("process id"))
    queues = models.CharField(_("queues"), max_length=255, default="*")
    started_at = models.DateTimeField(_("started at"))
    last_seen = models.DateTimeField(_("last seen"), db_index=True)

    class Meta:
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")

    def __str__(self) -> str:
        return self.worker_id


class PeriodicRun(models.Model):
    """A periodic job enqueued for one period; the unique pair makes that happen once."""

    name = models.CharField(_("name"), max_length=200)
    period_start = models.DateTimeField(_("period start"))
    # The DBTaskResult id of the run, for tracing; rows outlive pruned results.
    task_result_id = models.CharField(_("task result id"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("periodic run")
        verbose_name_plural = _("periodic runs")
        constraints = [
            models.UniqueConstraint(
                fields=["name", "period_start"], name="jobs_periodic_run_once_per_period"
            )
        ]
        indexes = [models.Index(fields=["period_start"], name="jobs_periodic_period_idx")]

    def __str__(self) -> str:
        return f"{self.name} @ {self.period_start.isoformat()}"
