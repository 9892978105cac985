"""Cost of the job runner: enqueueing, draining with N worker processes, one housekeeping tick.

    AMPARO_DATA_DIR=/tmp/amparo-bench-jobs [DATABASE_URL=…] \\
        .venv/bin/python bench/jobs.py --jobs 2000 --workers 1,2

Run from the repository root (the workers import ``bench._jobs_noop``). Migrates the
configured database, then (1) enqueues --jobs no-op jobs, one transaction each and all in
one transaction, and prints enqueues/s; (2) for each worker count, enqueues --jobs jobs,
starts that many ``amparo worker --batch`` processes and prints jobs/s, measured from the
first job started to the last one finished (process start-up excluded), after the same with
one django-tasks-db ``db_worker`` as the baseline; (3) times one
housekeeping tick (recovery check and periodic check) with 0 and 200 running jobs.
Refuses a database that already holds job results; deletes all it creates at the end.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import django

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "amparo.config.settings")
django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402
from django.db.models import Max, Min  # noqa: E402
from django.utils import timezone  # noqa: E402
from django_tasks_db.models import DBTaskResult  # noqa: E402

from amparo.jobs import services  # noqa: E402
from amparo.jobs.models import PeriodicRun, WorkerHeartbeat  # noqa: E402
from amparo.jobs.periodic import discover_periodic_jobs  # noqa: E402
from bench._jobs_noop import noop  # noqa: E402


def bench_rows():  # type: ignore[no-untyped-def]
    return DBTaskResult.objects.filter(task_path=noop.module_path)


def enqueue(n: int) -> None:
    start = time.perf_counter()
    for i in range(n):
        noop.enqueue(i)
    each = time.perf_counter() - start
    start = time.perf_counter()
    with transaction.atomic():
        for i in range(n):
            noop.enqueue(i)
    together = time.perf_counter() - start
    print(f"enqueue, one transaction each: {n / each:8.0f} jobs/s")
    print(f"enqueue, one transaction     : {n / together:8.0f} jobs/s")
    bench_rows().delete()


AMPARO_WORKER = ["worker", "--batch", "--queues", "default", "--interval", "0.1", "-v", "0"]
# The library's own worker, as the baseline: no heartbeat, recovery or periodic checks.
LIBRARY_WORKER = [
    "db_worker",
    "--batch",
    "--queue-name",
    "default",
    "--no-startup-delay",
    "-v",
    "0",
]


def drain(n: int, workers: int, command: list[str] = AMPARO_WORKER) -> None:
    with transaction.atomic():
        for i in range(n):
            noop.enqueue(i)
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "amparo", *command],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(workers)
    ]
    for process in processes:
        process.wait()
    done = bench_rows().filter(status="SUCCESSFUL")
    span = done.aggregate(first=Min("started_at"), last=Max("finished_at"))
    seconds = (span["last"] - span["first"]).total_seconds()
    print(
        f"drain, {workers} {command[0]} process(es): {done.count()}/{n} jobs in {seconds:6.2f} s "
        f"= {done.count() / seconds:7.0f} jobs/s"
    )
    bench_rows().delete()


def tick_cost(running: int, runs: int = 50) -> None:
    discover_periodic_jobs()
    services.periodic_jobs_enqueue_due()  # the first call of a period enqueues; time the rest
    ids = []
    for i in range(running):
        row = DBTaskResult.objects.get(pk=noop.enqueue(i).id)
        row.claim("bench-live-worker")
        ids.append(row.pk)
    now = timezone.now()
    WorkerHeartbeat.objects.update_or_create(
        worker_id="bench-live-worker",
        defaults={"hostname": "bench", "pid": 0, "started_at": now, "last_seen": now},
    )
    DBTaskResult.objects.filter(pk__in=ids).update(started_at=now - timezone.timedelta(hours=1))
    times = []
    for _ in range(runs):
        WorkerHeartbeat.objects.filter(worker_id="bench-live-worker").update(
            last_seen=timezone.now()
        )
        start = time.perf_counter()
        services.lost_jobs_recover()
        services.periodic_jobs_enqueue_due()
        times.append(time.perf_counter() - start)
    assert bench_rows().filter(status="RUNNING").count() == running
    print(
        f"housekeeping tick, {running:3d} running jobs: median "
        f"{statistics.median(times) * 1000:6.2f} ms, max {max(times) * 1000:6.2f} ms"
    )
    bench_rows().delete()
    WorkerHeartbeat.objects.filter(worker_id="bench-live-worker").delete()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--jobs", type=int, default=2000)
    parser.add_argument("--workers", default="1,2")
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    if DBTaskResult.objects.exists():
        raise SystemExit("the database already has job results; use a database of its own")
    enqueue(args.jobs)
    drain(args.jobs, 1, LIBRARY_WORKER)
    for workers in (int(w) for w in args.workers.split(",")):
        drain(args.jobs, workers)
    for running in (0, 200):
        tick_cost(running)
    # The workers' periodic jobs (and their runs) are the bench's too.
    DBTaskResult.objects.all().delete()
    PeriodicRun.objects.all().delete()


if __name__ == "__main__":
    main()
