"""For tests of other apps: run the jobs they enqueued, in the test's own transaction."""

from __future__ import annotations

from collections.abc import Sequence

from amparo.jobs.worker import AmparoWorker


def run_ready_jobs(*, queues: Sequence[str] = ("*",), limit: int = 1000) -> int:
    """Runs ready jobs like a worker (claim, status, result, retries enqueued) until none is
    ready; returns how many ran. Retries wait for their backoff, so they are not run here.

    Unlike ``amparo worker --batch`` (and django-tasks-db's ``db_worker``), this neither
    closes the database connection nor starts a heartbeat thread, so it works inside the
    transaction of a test marked with the ``db`` fixture.
    """
    worker = AmparoWorker(queue_names=list(queues), batch=True, worker_id="test-run-ready-jobs")
    ran = 0
    while ran < limit:
        row, _retrieved = worker.claim_next()
        if row is None:
            break
        worker.run_task(row)
        ran += 1
    return ran
