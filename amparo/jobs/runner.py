"""The worker inside another process: ``amparo serve`` runs web and worker in one process."""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence

from django.db import connections

from amparo.jobs.periodic import discover_periodic_jobs
from amparo.jobs.worker import AmparoWorker, default_worker_id

logger = logging.getLogger(__name__)

# After an unexpected error (database gone for a moment…), the embedded worker starts again.
RESTART_DELAY = 5.0


def start_worker_thread(
    stop_event: threading.Event, *, queues: Sequence[str] = ("*",), interval: float = 1.0
) -> threading.Thread:
    """Starts the full worker loop (jobs, heartbeat, recovery, periodic jobs) in a daemon thread.

    Set ``stop_event`` to stop it: the job being run finishes first, then the thread ends
    (join it with a timeout as long as the longest job you are willing to wait for).
    """
    discover_periodic_jobs()
    worker_id = default_worker_id("embedded")

    def run() -> None:
        try:
            while not stop_event.is_set():
                worker = AmparoWorker(
                    queue_names=list(queues),
                    interval=interval,
                    worker_id=worker_id,
                    stop_event=stop_event,
                )
                try:
                    worker.run()
                except Exception:
                    logger.exception(
                        "embedded worker failed; starting again in %.0fs", RESTART_DELAY
                    )
                    stop_event.wait(RESTART_DELAY)
        finally:
            # The thread's own connections: Django keeps one per thread.
            connections.close_all()

    thread = threading.Thread(target=run, name="amparo-worker", daemon=True)
    thread.start()
    return thread
