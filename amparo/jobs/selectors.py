"""Reads of the job runner: the health summary shown at /health."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max

from amparo.jobs.models import WorkerHeartbeat


def jobs_health() -> dict[str, Any]:
    """Counts, worker liveness and queue lag; not ok when ready jobs wait with no live worker."""
    now = timezone.now()
    timeout = timedelta(seconds=settings.JOBS_HEARTBEAT_TIMEOUT)
    # One count per status (not one GROUP BY): each matches a partial index (READY: the
    # library's; RUNNING: ours), where a query on both statuses would read the whole table.
    ready = DBTaskResult.objects.filter(status=TaskResultStatus.READY).count()
    running = DBTaskResult.objects.running().count()
    failed_24h = (
        DBTaskResult.objects.failed().filter(finished_at__gte=now - timedelta(hours=24)).count()
    )
    workers_alive = WorkerHeartbeat.objects.filter(last_seen__gte=now - timeout).count()
    oldest = (
        DBTaskResult.objects.ready()
        .order_by("enqueued_at")
        .values_list("enqueued_at", "run_after")
        .first()
    )
    oldest_ready_age = None
    if oldest is not None:
        enqueued_at, run_after = oldest
        # A deferred job (a retry after backoff) has waited only since its run_after.
        waiting_since = enqueued_at if run_after == get_date_max() else max(enqueued_at, run_after)
        oldest_ready_age = max(0.0, (now - waiting_since).total_seconds())
    stuck = (
        workers_alive == 0
        and oldest_ready_age is not None
        and oldest_ready_age > timeout.total_seconds()
    )
    return {
        "ok": not stuck,
        "ready": ready,
        "running": running,
        "failed_24h": failed_24h,
        "workers_alive": workers_alive,
        "worker_heartbeat_fresh": workers_alive > 0,
        "oldest_ready_age_seconds": oldest_ready_age,
    }
