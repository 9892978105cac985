"""Recovery of jobs whose worker died, and only those."""

from __future__ import annotations

import os
import socket
import subprocess
from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from amparo.jobs import services
from amparo.jobs.models import WorkerHeartbeat
from amparo.jobs.tests.conftest import lines, wait_until
from amparo.jobs.tests.jobs_for_tests import slow


def heartbeat(worker_id: str, *, seconds_ago: float) -> WorkerHeartbeat:
    seen = timezone.now() - timedelta(seconds=seconds_ago)
    return WorkerHeartbeat.objects.create(
        worker_id=worker_id, hostname="test", pid=1, started_at=seen, last_seen=seen
    )


def running_job(*worker_ids: str, started_seconds_ago: float = 600) -> DBTaskResult:
    """A job as a worker leaves it mid-run: claimed (once per worker id), status RUNNING."""
    result = slow.enqueue("/nonexistent", 1)
    row = DBTaskResult.objects.get(pk=result.id)
    for worker_id in worker_ids:
        row.claim(worker_id)
    DBTaskResult.objects.filter(pk=row.pk).update(
        started_at=timezone.now() - timedelta(seconds=started_seconds_ago)
    )
    row.refresh_from_db()
    return row


def test_job_of_a_live_worker_is_left_alone_however_long_it_runs(db, heartbeat_timeout):
    heartbeat("alive", seconds_ago=0.5)
    row = running_job("alive", started_seconds_ago=3600)

    recovered = services.lost_jobs_recover()

    row.refresh_from_db()
    assert row.status == "RUNNING"
    assert recovered.requeued == [] and recovered.failed == []


def test_job_of_a_silent_worker_runs_again(db, heartbeat_timeout):
    heartbeat("gone", seconds_ago=heartbeat_timeout + 5)
    row = running_job("gone")

    recovered = services.lost_jobs_recover()

    row.refresh_from_db()
    assert row.status == "READY"
    assert recovered.requeued == [str(row.pk)]
    assert DBTaskResult.objects.ready().filter(pk=row.pk).exists()
    assert row.worker_ids == ["gone"]


def test_job_of_a_worker_without_heartbeat_runs_again(db, heartbeat_timeout):
    row = running_job("never-seen")

    services.lost_jobs_recover()

    row.refresh_from_db()
    assert row.status == "READY"


def test_job_claimed_moments_ago_is_not_touched_yet(db, heartbeat_timeout):
    row = running_job("starting", started_seconds_ago=0)

    services.lost_jobs_recover()

    row.refresh_from_db()
    assert row.status == "RUNNING"


def test_job_that_keeps_killing_its_workers_fails_for_good(db, heartbeat_timeout, settings):
    settings.JOBS_MAX_LOST_RUNS = 3
    row = running_job("w1", "w2", "w3")

    recovered = services.lost_jobs_recover()

    row.refresh_from_db()
    assert row.status == "FAILED"
    assert recovered.failed == [str(row.pk)]
    error = row.task_result.errors[0]
    assert error.exception_class_path == "amparo.jobs.services.WorkerLost"
    assert "stopped without finishing it 3 times" in error.traceback
    assert "w1, w2, w3" in error.traceback


def dead_pid() -> int:
    process = subprocess.Popen(["true"])
    process.wait()
    return process.pid


def test_worker_restarted_with_the_same_id_recovers_its_own_job(db, heartbeat_timeout):
    # The previous process on this host died moments ago: its heartbeat is still fresh.
    seen = timezone.now()
    WorkerHeartbeat.objects.create(
        worker_id="fixed-id",
        hostname=socket.gethostname(),
        pid=dead_pid(),
        started_at=seen,
        last_seen=seen,
    )
    row = running_job("fixed-id", started_seconds_ago=0)

    services.worker_heartbeat_start(worker_id="fixed-id", queues="*")

    row.refresh_from_db()
    assert row.status == "READY"
    assert WorkerHeartbeat.objects.get(worker_id="fixed-id").pid == os.getpid()


def test_id_of_a_live_worker_elsewhere_is_refused(db, heartbeat_timeout):
    heartbeat("taken", seconds_ago=0.5)  # on host "test"
    row = running_job("taken")

    with pytest.raises(services.WorkerIdInUse, match="in use by pid 1 on test"):
        services.worker_heartbeat_start(worker_id="taken", queues="*")

    row.refresh_from_db()
    assert row.status == "RUNNING"


def test_job_longer_than_the_timeout_runs_once_while_its_worker_lives(start_worker, markers):
    start_worker("one", "--queues", "default")
    start_worker("two", "--queues", "default")
    wait_until(
        lambda: WorkerHeartbeat.objects.filter(worker_id__in=["one", "two"]).count() == 2,
        message="both workers beat",
    )
    # Longer than two heartbeat timeouts: the other worker recovers it if heartbeats stop.
    result = slow.enqueue(str(markers), 5)

    wait_until(
        lambda: DBTaskResult.objects.get(pk=result.id).status == "SUCCESSFUL",
        timeout=60,
        message="the job finishes",
    )

    row = DBTaskResult.objects.get(pk=result.id)
    assert len(row.worker_ids) == 1
    assert len(lines(markers / "slow.started")) == 1
