"""Writes of the job runner: heartbeats, recovery of jobs whose worker died, periodic enqueues.

django-tasks-db marks a job RUNNING when a worker claims it and never looks at it again, so a
worker killed mid-job (OOM, SIGKILL, a lost machine) leaves the job RUNNING forever. Workers
here beat a heartbeat; a RUNNING job whose last worker has no fresh heartbeat is put back to
READY, or marked FAILED once its workers have died ``JOBS_MAX_LOST_RUNS`` times.
"""

from __future__ import annotations

import logging
import os
import socket
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction

from amparo.api.models import IdempotencyKey
from amparo.jobs.models import PeriodicRun, WorkerHeartbeat
from amparo.jobs.periodic import periodic_jobs

logger = logging.getLogger(__name__)


class WorkerLost(Exception):
    """Recorded on a job whose workers kept dying while running it."""


def heartbeat_timeout() -> timedelta:
    return timedelta(seconds=settings.JOBS_HEARTBEAT_TIMEOUT)


# --- Heartbeats ---------------------------------------------------------------------------------


class WorkerIdInUse(Exception):
    """Another live worker already uses this worker id."""


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # exists, owned by another user
    return True


def worker_heartbeat_start(*, worker_id: str, queues: str) -> None:
    """Registers a starting worker; jobs a previous process with the same id held run again.

    Refuses an id whose heartbeat is fresh and belongs to a process that may still be running
    (another host, or a live pid here): two workers with one id would take each other's jobs.
    """
    now = timezone.now()
    hostname = socket.gethostname()[:255]
    with transaction.atomic():
        existing = WorkerHeartbeat.objects.select_for_update().filter(worker_id=worker_id).first()
        if existing is not None and existing.last_seen >= now - heartbeat_timeout():
            predecessor = existing.hostname == hostname and (
                existing.pid == os.getpid() or not _process_alive(existing.pid)
            )
            if not predecessor:
                raise WorkerIdInUse(
                    f"worker id {worker_id!r} is in use by pid {existing.pid} on "
                    f"{existing.hostname}, seen {(now - existing.last_seen).total_seconds():.0f}s "
                    "ago; give each worker its own --worker-id"
                )
        WorkerHeartbeat.objects.update_or_create(
            worker_id=worker_id,
            defaults={
                "hostname": hostname,
                "pid": os.getpid(),
                "queues": queues[:255],
                "started_at": now,
                "last_seen": now,
            },
        )
        if existing is not None:
            # A fixed --worker-id restarted: whatever it was running died with the old process,
            # and the reaper would never notice because the id now looks alive again.
            for row in DBTaskResult.objects.running().select_for_update():
                if row.worker_ids and row.worker_ids[-1] == worker_id:
                    _requeue_or_fail(row)


def worker_heartbeat_beat(*, worker_id: str) -> None:
    updated = WorkerHeartbeat.objects.filter(worker_id=worker_id).update(last_seen=timezone.now())
    if not updated:
        # Pruned while we were busy: come back rather than look dead forever.
        now = timezone.now()
        WorkerHeartbeat.objects.get_or_create(
            worker_id=worker_id,
            defaults={
                "hostname": socket.gethostname()[:255],
                "pid": os.getpid(),
                "started_at": now,
                "last_seen": now,
            },
        )


def worker_heartbeat_stop(*, worker_id: str) -> None:
    """A clean exit: the worker holds no job, so others need not wait for it to go stale."""
    WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()


# --- Jobs of dead workers -----------------------------------------------------------------------


@dataclass
class ReapResult:
    requeued: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


def _requeue_or_fail(row: DBTaskResult, result: ReapResult | None = None) -> None:
    lost_runs = len(row.worker_ids)
    if lost_runs >= settings.JOBS_MAX_LOST_RUNS:
        error = WorkerLost(
            f"The worker running this job stopped without finishing it {lost_runs} times "
            f"(workers: {', '.join(row.worker_ids)}); it is not run again. "
            "Check what the job does to its worker (memory, crashes), then enqueue it again."
        )
        row.set_failed(error)
        logger.error("job %s (%s) failed: %s", row.id, row.task_path, error)
        if result is not None:
            result.failed.append(str(row.id))
        return
    row.status = TaskResultStatus.READY
    row.save(update_fields=["status"])
    logger.warning(
        "job %s (%s) requeued: worker %s died while running it",
        row.id,
        row.task_path,
        row.worker_ids[-1] if row.worker_ids else "?",
    )
    if result is not None:
        result.requeued.append(str(row.id))


def lost_jobs_recover(*, now: datetime | None = None) -> ReapResult:
    """Puts back to READY (or fails) RUNNING jobs whose last worker has no fresh heartbeat."""
    now = now or timezone.now()
    cutoff = now - heartbeat_timeout()
    result = ReapResult()
    # A job claimed less than a timeout ago is never touched, whatever the heartbeats say.
    if not DBTaskResult.objects.running().filter(started_at__lt=cutoff).exists():
        return result
    with exclusive_transaction():
        alive = set(
            WorkerHeartbeat.objects.filter(last_seen__gte=cutoff).values_list(
                "worker_id", flat=True
            )
        )
        # skip_locked: two reapers never handle the same row (the lock is held until commit).
        rows = (
            DBTaskResult.objects.running()
            .filter(started_at__lt=cutoff)
            .select_for_update(skip_locked=True)
        )
        for row in rows:
            if row.worker_ids and row.worker_ids[-1] in alive:
                continue
            _requeue_or_fail(row, result)
    return result


# --- Periodic jobs ------------------------------------------------------------------------------


def periodic_jobs_enqueue_due(*, now: datetime | None = None) -> list[str]:
    """Enqueues every registered periodic job whose current period has no run yet.

    The run row and the job are written in one transaction, and (name, period_start) is unique:
    when several workers race, one insert wins and the others roll back their enqueue.
    Returns the names enqueued by this call.
    """
    now = now or timezone.now()
    enqueued = []
    for periodic_job in periodic_jobs():
        period_start = periodic_job.period_start(now)
        if PeriodicRun.objects.filter(name=periodic_job.name, period_start=period_start).exists():
            continue
        try:
            with transaction.atomic():
                run = PeriodicRun.objects.create(name=periodic_job.name, period_start=period_start)
                task_result = periodic_job.task.enqueue()
                run.task_result_id = str(task_result.id)
                run.save(update_fields=["task_result_id"])
        except IntegrityError:
            continue  # another worker enqueued this period first
        enqueued.append(periodic_job.name)
        logger.info("periodic job %s enqueued for %s", periodic_job.name, period_start)
    return enqueued


# --- Housekeeping -------------------------------------------------------------------------------


def job_records_prune(*, now: datetime | None = None) -> dict[str, int]:
    """Deletes finished job results, periodic runs and dead-worker rows past retention, and
    API idempotency keys past their 24 hours. Returns the number of rows deleted per kind."""
    now = now or timezone.now()
    retention = now - timedelta(days=settings.JOBS_RETENTION_DAYS)
    deleted: dict[str, int] = {}
    with transaction.atomic():
        deleted["task_results"], _ = DBTaskResult.objects.filter(
            status__in=[TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED],
            finished_at__lt=retention,
        ).delete()
        deleted["periodic_runs"], _ = PeriodicRun.objects.filter(
            period_start__lt=retention
        ).delete()
        # A heartbeat this old belongs to a worker long dead; its jobs were recovered already.
        deleted["worker_heartbeats"], _ = WorkerHeartbeat.objects.filter(
            last_seen__lt=now - max(timedelta(days=1), 10 * heartbeat_timeout())
        ).delete()
        # A client replays a request with its Idempotency-Key within 24 hours, not later.
        deleted["idempotency_keys"], _ = IdempotencyKey.objects.filter(
            created_at__lt=now - timedelta(hours=24)
        ).delete()
    return deleted
