"""A worker killed mid-job: the job runs again on another worker, to completion, once."""

from __future__ import annotations

import signal

from django_tasks_db.models import DBTaskResult

from amparo.jobs.models import WorkerHeartbeat
from amparo.jobs.tests.conftest import lines, wait_until
from amparo.jobs.tests.jobs_for_tests import slow


def test_job_of_a_killed_worker_runs_again_on_another_worker(start_worker, markers):
    result = slow.enqueue(str(markers), 3)

    first = start_worker("first", "--queues", "default")
    wait_until(lambda: lines(markers / "slow.started"), message="first worker starts the job")
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=10)

    row = DBTaskResult.objects.get(pk=result.id)
    assert row.status == "RUNNING"
    assert row.worker_ids == ["first"]
    assert lines(markers / "slow.done") == []

    second = start_worker("second", "--queues", "default", "--max-tasks", "1")
    assert second.wait(timeout=60) == 0

    row.refresh_from_db()
    assert row.status == "SUCCESSFUL"
    assert row.return_value == "done"
    assert row.worker_ids == ["first", "second"]
    assert len(lines(markers / "slow.started")) == 2
    # The effect happened exactly once: the killed run never got there.
    assert len(lines(markers / "slow.done")) == 1
    assert lines(markers / "slow.done") == [str(second.pid)]


def test_sigterm_finishes_the_current_job_then_exits(start_worker, markers):
    result = slow.enqueue(str(markers), 2)

    worker = start_worker("polite", "--queues", "default")
    wait_until(lambda: lines(markers / "slow.started"), message="worker starts the job")
    worker.send_signal(signal.SIGTERM)

    assert worker.wait(timeout=30) == 0
    row = DBTaskResult.objects.get(pk=result.id)
    assert row.status == "SUCCESSFUL"
    assert lines(markers / "slow.done") == [str(worker.pid)]
    # A clean exit leaves no heartbeat to go stale.
    assert not WorkerHeartbeat.objects.filter(worker_id="polite").exists()


def test_idle_worker_exits_cleanly_on_sigterm(start_worker):
    worker = start_worker("idle")
    wait_until(
        lambda: WorkerHeartbeat.objects.filter(worker_id="idle").exists(),
        message="worker registers its heartbeat",
    )
    worker.send_signal(signal.SIGTERM)
    assert worker.wait(timeout=10) == 0
    assert not WorkerHeartbeat.objects.filter(worker_id="idle").exists()


def test_second_worker_with_a_taken_id_refuses_to_start(start_worker):
    first = start_worker("taken")
    wait_until(
        lambda: WorkerHeartbeat.objects.filter(worker_id="taken").exists(),
        message="first worker registers",
    )
    second = start_worker("taken")

    assert second.wait(timeout=30) == 1
    assert f"worker id 'taken' is in use by pid {first.pid}" in second.log_path.read_text()
    assert first.poll() is None
    assert WorkerHeartbeat.objects.get(worker_id="taken").pid == first.pid
