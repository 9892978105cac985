"""A failing job is retried after an exponential backoff, and fails for good after ``retries``."""

from __future__ import annotations

from datetime import timedelta

from django_tasks_db.models import DBTaskResult

from amparo.jobs.tests.conftest import lines
from amparo.jobs.tests.jobs_for_tests import flaky, permanently_broken
from amparo.jobs.worker import AmparoWorker

BACKOFF = timedelta(seconds=0.3)


def run_worker(**options):  # type: ignore[no-untyped-def]
    AmparoWorker(queue_names=["default"], interval=0.05, **options).run()


def attempts_of(task) -> list[DBTaskResult]:  # type: ignore[no-untyped-def]
    return list(DBTaskResult.objects.filter(task_path=task.module_path).order_by("enqueued_at"))


def test_failing_job_is_retried_with_backoff_until_it_succeeds(
    transactional_db, heartbeat_timeout, markers
):
    flaky.enqueue(str(markers), 2)

    run_worker(max_tasks=3)

    first, second, third = attempts_of(flaky)
    assert [row.status for row in (first, second, third)] == ["FAILED", "FAILED", "SUCCESSFUL"]
    assert third.return_value == "succeeded on run 3"
    assert [row.args_kwargs["kwargs"].get("_attempt", 1) for row in (first, second, third)] == [
        1,
        2,
        3,
    ]
    assert "failure number 1" in first.traceback
    # Each retry waits base·2^(attempt-1), ±20 %, counted from the failure, and not less.
    assert second.run_after - first.started_at >= BACKOFF * 0.8
    assert second.run_after - first.finished_at <= BACKOFF * 1.2
    assert third.run_after - second.started_at >= BACKOFF * 2 * 0.8
    assert third.run_after - second.finished_at <= BACKOFF * 2 * 1.2
    assert second.started_at >= second.run_after
    assert third.started_at >= third.run_after
    assert len(lines(markers / "flaky.runs")) == 3


def test_job_fails_for_good_after_its_retries(transactional_db, heartbeat_timeout, markers):
    flaky.enqueue(str(markers), 99)

    run_worker(max_tasks=3)
    run_worker(batch=True)  # nothing is left to run

    rows = attempts_of(flaky)
    assert [row.status for row in rows] == ["FAILED", "FAILED", "FAILED"]
    assert "failure number 3" in rows[-1].traceback
    assert len(lines(markers / "flaky.runs")) == 3
    assert not DBTaskResult.objects.ready().filter(task_path=flaky.module_path).exists()


def test_permanent_error_is_not_retried(transactional_db, heartbeat_timeout, markers):
    result = permanently_broken.enqueue(str(markers))

    run_worker(batch=True)

    assert [row.status for row in attempts_of(permanently_broken)] == ["FAILED"]
    result.refresh()
    assert result.errors[0].exception_class_path == "amparo.jobs.base.PermanentError"
    assert len(lines(markers / "broken.runs")) == 1
