"""Operators see workers and periodic runs in the Django admin, and cannot edit them."""

from __future__ import annotations

from datetime import UTC, datetime

from django.utils import timezone

from amparo.accounts.models import User
from amparo.jobs.models import PeriodicRun, WorkerHeartbeat


def test_admin_lists_workers_and_periodic_runs_read_only(db, client):
    superuser = User.objects.create_superuser("root@example.com", "x" * 12, name="Root")
    client.force_login(superuser)
    now = timezone.now()
    WorkerHeartbeat.objects.create(
        worker_id="host-worker-1", hostname="host", pid=42, started_at=now, last_seen=now
    )
    PeriodicRun.objects.create(
        name="amparo.jobs.tasks.prune_job_records",
        period_start=datetime(2026, 11, 23, 14, tzinfo=UTC),
    )

    workers = client.get("/admin/jobs/workerheartbeat/")
    runs = client.get("/admin/jobs/periodicrun/")

    assert workers.status_code == 200 and b"host-worker-1" in workers.content
    assert runs.status_code == 200 and b"prune_job_records" in runs.content
    assert client.get("/admin/jobs/workerheartbeat/add/").status_code == 403
