"""The worker embedded in another process (amparo serve), and the jobs health report."""

from __future__ import annotations

import threading
from datetime import timedelta

from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from amparo.core.health import health_report
from amparo.jobs.models import WorkerHeartbeat
from amparo.jobs.runner import start_worker_thread
from amparo.jobs.tests.conftest import lines, wait_until
from amparo.jobs.tests.jobs_for_tests import slow


def test_embedded_worker_runs_jobs_and_stops_after_the_current_one(
    transactional_db, heartbeat_timeout, markers
):
    stop = threading.Event()
    thread = start_worker_thread(stop, interval=0.1)
    try:
        quick = slow.enqueue(str(markers), 0)
        wait_until(lambda: DBTaskResult.objects.get(pk=quick.id).status == "SUCCESSFUL")
        report = health_report()["jobs"]
        assert report["ok"] is True
        assert report["worker_heartbeat_fresh"] is True

        long = slow.enqueue(str(markers), 1.5)
        wait_until(lambda: len(lines(markers / "slow.started")) == 2, message="second job starts")
    finally:
        stop.set()
        thread.join(timeout=30)

    assert not thread.is_alive()
    assert DBTaskResult.objects.get(pk=long.id).status == "SUCCESSFUL"
    assert len(lines(markers / "slow.done")) == 2
    assert not WorkerHeartbeat.objects.exists()
    assert health_report()["jobs"]["worker_heartbeat_fresh"] is False


def test_health_reports_jobs_waiting_with_no_worker(db, heartbeat_timeout):
    waiting = slow.enqueue("/nonexistent", 0)

    report = health_report()["jobs"]
    assert report["ok"] is True  # just enqueued: a worker may simply not have looked yet
    assert report["ready"] >= 1
    assert report["running"] == 0

    DBTaskResult.objects.filter(pk=waiting.id).update(
        enqueued_at=timezone.now() - timedelta(minutes=10)
    )
    report = health_report()
    assert report["jobs"]["ok"] is False
    assert report["jobs"]["oldest_ready_age_seconds"] >= 600
    assert report["jobs"]["worker_heartbeat_fresh"] is False
    assert report["ok"] is False
