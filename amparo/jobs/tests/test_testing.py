"""run_ready_jobs runs enqueued jobs inside a test's transaction, as a worker would."""

from __future__ import annotations

from django_tasks_db.models import DBTaskResult

from amparo.jobs.testing import run_ready_jobs
from amparo.jobs.tests.conftest import lines
from amparo.jobs.tests.jobs_for_tests import flaky, slow


def test_runs_ready_jobs_of_the_given_queues_in_the_test_transaction(db, markers):
    done = slow.enqueue(str(markers), 0)
    failing = flaky.enqueue(str(markers), 1)
    other_queue = DBTaskResult.objects.filter(queue_name="periodic").count()

    assert run_ready_jobs(queues=["default"]) == 2

    assert DBTaskResult.objects.get(pk=done.id).status == "SUCCESSFUL"
    assert DBTaskResult.objects.get(pk=failing.id).status == "FAILED"
    # The retry waits for its backoff: enqueued, not run.
    retry = DBTaskResult.objects.filter(task_path=flaky.module_path, status="READY").get()
    assert retry.args_kwargs["kwargs"]["_attempt"] == 2
    assert len(lines(markers / "slow.done")) == 1
    assert DBTaskResult.objects.filter(queue_name="periodic").count() == other_queue
