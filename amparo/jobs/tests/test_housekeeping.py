"""The hourly housekeeping job prunes what the job runner and the API leave behind."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from amparo.api.models import IdempotencyKey
from amparo.jobs import services
from amparo.jobs.models import PeriodicRun, WorkerHeartbeat
from amparo.jobs.tasks import prune_job_records
from amparo.jobs.tests.jobs_for_tests import slow
from amparo.jobs.worker import AmparoWorker


def job_row(status: str, *, days_ago: float) -> DBTaskResult:
    row = DBTaskResult.objects.get(pk=slow.enqueue("/nonexistent", 0).id)
    when = timezone.now() - timedelta(days=days_ago)
    DBTaskResult.objects.filter(pk=row.pk).update(
        status=status,
        enqueued_at=when,
        finished_at=when if status in ("SUCCESSFUL", "FAILED") else None,
    )
    return row


def idempotency_key(key: str, *, hours_ago: float) -> IdempotencyKey:
    record = IdempotencyKey.objects.create(
        owner="o", key=key, method="POST", path="/api/v1/tickets", request_hash="h"
    )
    IdempotencyKey.objects.filter(pk=record.pk).update(
        created_at=timezone.now() - timedelta(hours=hours_ago)
    )
    return record


def test_prune_keeps_what_is_recent_or_unfinished(db, settings):
    settings.JOBS_RETENTION_DAYS = 14
    now = timezone.now()
    old_success = job_row("SUCCESSFUL", days_ago=15)
    old_failure = job_row("FAILED", days_ago=15)
    recent_failure = job_row("FAILED", days_ago=13)
    old_waiting = job_row("READY", days_ago=30)
    old_key = idempotency_key("old", hours_ago=25)
    fresh_key = idempotency_key("fresh", hours_ago=23)
    PeriodicRun.objects.create(name="x", period_start=now - timedelta(days=15))
    PeriodicRun.objects.create(name="x", period_start=now - timedelta(days=1))
    for worker_id, seen in (("dead", now - timedelta(days=2)), ("alive", now)):
        WorkerHeartbeat.objects.create(
            worker_id=worker_id, hostname="h", pid=1, started_at=seen, last_seen=seen
        )

    deleted = services.job_records_prune()

    assert deleted == {
        "task_results": 2,
        "periodic_runs": 1,
        "worker_heartbeats": 1,
        "idempotency_keys": 1,
    }
    remaining = set(DBTaskResult.objects.values_list("pk", flat=True))
    assert old_success.pk not in remaining and old_failure.pk not in remaining
    assert {recent_failure.pk, old_waiting.pk} <= remaining
    assert list(IdempotencyKey.objects.values_list("key", flat=True)) == [fresh_key.key]
    assert not IdempotencyKey.objects.filter(pk=old_key.pk).exists()
    assert list(WorkerHeartbeat.objects.values_list("worker_id", flat=True)) == ["alive"]


def test_prune_runs_as_a_job_on_the_periodic_queue(transactional_db, heartbeat_timeout):
    job_row("SUCCESSFUL", days_ago=30)
    result = prune_job_records.enqueue()

    AmparoWorker(queue_names=["periodic"], interval=0.05, batch=True).run()

    result.refresh()
    assert result.status == "SUCCESSFUL"
    assert result.return_value["task_results"] == 1
