"""Periodic jobs: enqueued once per period, however many workers race for it."""

from __future__ import annotations

import signal
import threading
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connections, transaction
from django_tasks_db.models import DBTaskResult

from amparo.jobs import services
from amparo.jobs.models import PeriodicRun
from amparo.jobs.periodic import PeriodicJob, discover_periodic_jobs, periodic, periodic_jobs
from amparo.jobs.tasks import prune_job_records
from amparo.jobs.tests.conftest import wait_until
from amparo.jobs.tests.jobs_for_tests import flaky, tick

NOW = datetime(2026, 11, 23, 14, 37, 12, 345000, tzinfo=UTC)


def tick_rows():  # type: ignore[no-untyped-def]
    return DBTaskResult.objects.filter(task_path=tick.module_path)


def test_periods_are_aligned_on_the_clock():
    hourly = PeriodicJob(name="x", task=tick, every=timedelta(hours=1))
    every_2s = PeriodicJob(name="x", task=tick, every=timedelta(seconds=2))
    daily = PeriodicJob(name="x", task=tick, every=timedelta(days=1))

    assert hourly.period_start(NOW) == datetime(2026, 11, 23, 14, 0, tzinfo=UTC)
    assert every_2s.period_start(NOW) == datetime(2026, 11, 23, 14, 37, 12, tzinfo=UTC)
    assert daily.period_start(NOW) == datetime(2026, 11, 23, tzinfo=UTC)


def test_periodic_goes_on_top_of_a_job():
    with pytest.raises(TypeError):
        periodic(every=timedelta(minutes=1))(lambda: None)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="once a second"):
        periodic(every=timedelta(milliseconds=10))(flaky)


def test_apps_periodic_jobs_are_discovered():
    discovered = {job.name: job.every for job in discover_periodic_jobs()}

    assert discovered[prune_job_records.module_path] == timedelta(hours=1)
    assert discovered[tick.module_path] == timedelta(seconds=2)


def test_a_periodic_job_is_enqueued_once_per_period(db):
    names = {job.name for job in periodic_jobs()}

    assert set(services.periodic_jobs_enqueue_due(now=NOW)) == names
    assert services.periodic_jobs_enqueue_due(now=NOW + timedelta(seconds=1)) == []
    assert tick_rows().count() == 1
    assert services.periodic_jobs_enqueue_due(now=NOW + timedelta(seconds=2)) == [tick.module_path]
    assert tick_rows().count() == 2

    runs = PeriodicRun.objects.filter(name=tick.module_path).order_by("period_start")
    assert [run.period_start for run in runs] == [
        datetime(2026, 11, 23, 14, 37, 12, tzinfo=UTC),
        datetime(2026, 11, 23, 14, 37, 14, tzinfo=UTC),
    ]
    assert {run.task_result_id for run in runs} == {str(row.pk) for row in tick_rows()}
    assert {row.queue_name for row in tick_rows()} == {"periodic"}


def _in_thread(target, results, key):  # type: ignore[no-untyped-def]
    def run() -> None:
        try:
            results[key] = target()
        except BaseException as exc:
            results[key] = exc
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def test_racing_schedulers_enqueue_once(transactional_db):
    barrier = threading.Barrier(4)

    def schedule() -> list[str]:
        barrier.wait()
        return services.periodic_jobs_enqueue_due(now=NOW)

    results: dict[int, object] = {}
    threads = [_in_thread(schedule, results, n) for n in range(4)]
    for thread in threads:
        thread.join(timeout=60)

    enqueued = [name for result in results.values() for name in result]  # type: ignore[attr-defined]
    assert sorted(enqueued) == sorted(job.name for job in periodic_jobs())
    assert tick_rows().count() == 1


def test_scheduler_that_loses_the_insert_race_rolls_back_its_enqueue(transactional_db):
    """The loser passed the "already enqueued?" check before the winner committed."""
    inserted, release = threading.Event(), threading.Event()

    def winner() -> list[str]:
        with transaction.atomic():
            names = services.periodic_jobs_enqueue_due(now=NOW)
            inserted.set()
            release.wait(timeout=30)
        return names

    results: dict[str, object] = {}
    first = _in_thread(winner, results, "winner")
    assert inserted.wait(timeout=30)
    second = _in_thread(lambda: services.periodic_jobs_enqueue_due(now=NOW), results, "loser")
    # Give the loser time to block on the winner's uncommitted row (or lock).
    second.join(timeout=1)
    release.set()
    first.join(timeout=30)
    second.join(timeout=30)

    assert sorted(results["winner"]) == sorted(job.name for job in periodic_jobs())  # type: ignore[call-overload]
    assert results["loser"] == []
    assert tick_rows().count() == 1
    assert PeriodicRun.objects.filter(name=tick.module_path).count() == 1


def test_two_workers_enqueue_each_period_once(start_worker):
    workers = [start_worker(name, "--queues", "periodic") for name in ("one", "two")]
    wait_until(
        lambda: PeriodicRun.objects.filter(name=tick.module_path).count() >= 3,
        timeout=60,
        message="three periods of tick",
    )
    for worker in workers:
        worker.send_signal(signal.SIGTERM)
    for worker in workers:
        assert worker.wait(timeout=30) == 0

    runs = PeriodicRun.objects.filter(name=tick.module_path)
    assert tick_rows().count() == runs.count()
    assert {run.task_result_id for run in runs} == {str(row.pk) for row in tick_rows()}
    # The hourly housekeeping job too: once for the hour, not once per worker.
    prune_runs = PeriodicRun.objects.filter(name=prune_job_records.module_path).count()
    assert (
        DBTaskResult.objects.filter(task_path=prune_job_records.module_path).count() == prune_runs
    )
    assert prune_runs in (1, 2)  # 2 only if the test straddles the hour
