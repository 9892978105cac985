"""Background jobs on the ``django.tasks`` API with the database backend.

``@job(...)`` makes a function a task with retries: a failed run is enqueued again after an
exponential backoff, until ``retries`` runs have failed. Enqueue inside the transaction of the
change that causes the job (``my_job.enqueue(obj.pk)``): the database backend stores the job
in that same transaction, so a crash loses neither or both. Jobs take ids and must be
idempotent: a job may run twice (a retry, or the run of a killed worker).

``amparo worker`` (or ``runner.start_worker_thread`` inside ``amparo serve``) runs them, puts
back the jobs of workers that died and enqueues ``@periodic`` jobs. See docs/jobs.md.
"""
