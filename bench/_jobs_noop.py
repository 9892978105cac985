"""The job bench/jobs.py enqueues: it does nothing, so the figures are the runner's own cost."""

from amparo.jobs.base import job


@job(queue="default", retries=1)
def noop(n: int) -> int:
    return n
