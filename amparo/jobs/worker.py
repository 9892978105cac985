"""The worker loop: django-tasks-db's Worker plus heartbeats, recovery and periodic jobs.

django-tasks-db's ``Worker.run`` is one closed loop with no hook per tick, so this class keeps
the library's claim (row lock that skips taken rows, exclusive transaction on SQLite) and its
``run_task`` (status, result, signals), and owns the loop to add, on each tick:

- recovery of jobs whose worker died (``services.lost_jobs_recover``);
- enqueueing of due periodic jobs (``services.periodic_jobs_enqueue_due``);

and, in a thread, a heartbeat that shows the worker alive even while a long job runs. The loop
also stops on a ``threading.Event``, so ``amparo serve`` can run it in a thread.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import threading
import time
from types import FrameType

from django.conf import settings
from django.db import DatabaseError, OperationalError, close_old_connections, connections
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction, is_locked_database_exception

from amparo.jobs import services

logger = logging.getLogger(__name__)

# Recovery and periodic checks run at most this often, however busy the queue is.
HOUSEKEEPING_EVERY = 1.0
# The longest the loop sleeps between checks of a stop request.
STOP_CHECK_EVERY = 0.5


def default_worker_id(kind: str = "worker") -> str:
    return f"{socket.gethostname()[:32]}-{kind}-{os.getpid()}-{get_random_string(8)}"


def heartbeat_every() -> float:
    # Several beats per timeout, so one slow write does not make a live worker look dead.
    return min(5.0, max(0.2, settings.JOBS_HEARTBEAT_TIMEOUT / 4))


class AmparoWorker(Worker):
    def __init__(
        self,
        *,
        queue_names: list[str],
        interval: float = 1.0,
        batch: bool = False,
        max_tasks: int | None = None,
        worker_id: str | None = None,
        stop_event: threading.Event | None = None,
        backend_name: str = "default",
    ):
        super().__init__(
            queue_names=queue_names,
            interval=interval,
            batch=batch,
            backend_name=backend_name,
            startup_delay=False,
            max_tasks=max_tasks,
            worker_id=worker_id or default_worker_id(),
            excluded_queue_names=[],
        )
        self.stop_event = stop_event or threading.Event()
        # Set by the signal handler, which must not take the Event's lock (see shutdown).
        self._signalled = False
        self._last_housekeeping = float("-inf")

    @property
    def stopping(self) -> bool:
        return self._signalled or self.stop_event.is_set()

    def shutdown(self, signum: int, frame: FrameType | None) -> None:
        """SIGTERM/SIGINT: finish the current job, then exit; a second signal exits at once."""
        if self._signalled:
            logger.warning(
                "Received %s again - exiting now; the current job runs again on another worker "
                "once this one's heartbeat is stale.",
                signal.strsignal(signum),
            )
            for handler in logging.getLogger().handlers:
                handler.flush()
            # No cleanup on purpose: the job stays RUNNING and recovery gives it to a live worker.
            os._exit(1)
        logger.warning(
            "Received %s - finishing the current job, then exiting (send it again to exit now).",
            signal.strsignal(signum),
        )
        # A plain flag: Event.set() here could deadlock if the signal interrupted the main thread
        # while it held the Event's lock inside Event.wait().
        self._signalled = True
        self.running = False

    def run(self) -> None:
        queues = ",".join(self.queue_names)
        services.worker_heartbeat_start(worker_id=self.worker_id, queues=queues)
        logger.info("worker %s started: queues=%s", self.worker_id, queues)
        beat_stop = threading.Event()
        beat = threading.Thread(
            target=self._beat, args=(beat_stop,), name=f"heartbeat-{self.worker_id}", daemon=True
        )
        beat.start()
        try:
            self._loop()
        finally:
            beat_stop.set()
            beat.join(timeout=30)
            try:
                services.worker_heartbeat_stop(worker_id=self.worker_id)
            except DatabaseError:
                logger.warning("could not remove the heartbeat of %s", self.worker_id)
            logger.info("worker %s stopped after %d jobs", self.worker_id, self._run_tasks)

    def _loop(self) -> None:
        while not self.stopping:
            close_old_connections()
            self._housekeeping()
            task_result, retrieved = self.claim_next()
            if task_result is not None:
                self.run_task(task_result)
            if self.batch and retrieved and task_result is None:
                return
            if self.max_tasks is not None and self._run_tasks >= self.max_tasks:
                return
            close_old_connections()
            if task_result is None:
                self._sleep(self.interval)

    def claim_next(self) -> tuple[DBTaskResult | None, bool]:
        """The library's claim: lock the next ready row (skipping locked ones) and mark it ours."""
        tasks = DBTaskResult.objects.ready().filter(backend_name=self.backend_name)
        if not self.process_all_queues:
            tasks = tasks.filter(queue_name__in=self.queue_names)
        with exclusive_transaction(tasks.db):
            try:
                task_result = tasks.get_locked()
                if task_result is not None:
                    task_result.claim(self.worker_id)
            except OperationalError as exc:
                if is_locked_database_exception(exc):
                    return None, False
                raise
        return task_result, True

    def _housekeeping(self) -> None:
        if time.monotonic() - self._last_housekeeping < HOUSEKEEPING_EVERY:
            return
        self._last_housekeeping = time.monotonic()
        try:
            services.lost_jobs_recover()
            services.periodic_jobs_enqueue_due()
        except DatabaseError:
            # Best effort: the next tick tries again; claiming jobs must go on meanwhile.
            logger.warning("job housekeeping failed", exc_info=True)

    def _sleep(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while not self.stopping:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return
            self.stop_event.wait(min(remaining, STOP_CHECK_EVERY))

    def _beat(self, stop: threading.Event) -> None:
        try:
            while not stop.wait(heartbeat_every()):
                try:
                    services.worker_heartbeat_beat(worker_id=self.worker_id)
                except DatabaseError:
                    logger.warning("heartbeat of %s failed", self.worker_id, exc_info=True)
                    connections.close_all()
        finally:
            # This thread's own connection; the worker loop's is untouched.
            connections.close_all()
