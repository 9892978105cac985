"""The job runner's own periodic housekeeping."""

from __future__ import annotations

from datetime import timedelta

from amparo.jobs import services
from amparo.jobs.base import job
from amparo.jobs.periodic import periodic


@periodic(every=timedelta(hours=1))
@job(queue="periodic", retries=3, backoff=60)
def prune_job_records() -> dict[str, int]:
    return services.job_records_prune()
