"""``amparo worker``: runs background jobs (run as many as needed, on any machine)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_tasks import task_backends
from django_tasks_db.management.commands.db_worker import (
    valid_interval,
    valid_max_tasks,
    validate_worker_id,
)

from amparo.jobs.periodic import discover_periodic_jobs
from amparo.jobs.services import WorkerIdInUse
from amparo.jobs.worker import AmparoWorker


class Command(BaseCommand):
    help = (
        "Run background jobs; also requeues the jobs of workers that died and enqueues periodic "
        "jobs. SIGTERM finishes the current job, then exits."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--queues",
            default="*",
            help="Comma-separated queues to take jobs from; '*' for all (default).",
        )
        parser.add_argument(
            "--interval",
            type=valid_interval,
            default=1.0,
            help="Seconds to wait when no job is ready (default: 1).",
        )
        parser.add_argument(
            "--batch", action="store_true", help="Exit once no job is ready to run."
        )
        parser.add_argument(
            "--max-tasks", type=valid_max_tasks, default=None, help="Exit after this many jobs."
        )
        parser.add_argument(
            "--worker-id",
            type=validate_worker_id,
            default=None,
            help="Unique id of this worker (default: host-pid-random).",
        )
        parser.add_argument(
            "--import",
            dest="imports",
            action="append",
            default=[],
            metavar="MODULE",
            help="Also import MODULE, for jobs defined outside <app>.tasks (repeatable).",
        )

    def handle(
        self,
        *args: Any,
        queues: str,
        interval: float,
        batch: bool,
        max_tasks: int | None,
        worker_id: str | None,
        imports: list[str],
        **options: Any,
    ) -> None:
        queue_names = [name.strip() for name in queues.split(",") if name.strip()]
        known: set[str] = task_backends["default"].queues
        unknown = [name for name in queue_names if name != "*" and name not in known]
        if not queue_names or unknown:
            raise CommandError(
                f"Unknown queue(s): {', '.join(unknown) or queues!r}; "
                f"configured: {', '.join(sorted(known))}."
            )
        for periodic_job in discover_periodic_jobs(imports):
            self.stdout.write(f"periodic job {periodic_job.name} every {periodic_job.every}")
        worker = AmparoWorker(
            queue_names=queue_names,
            interval=interval,
            batch=batch,
            max_tasks=max_tasks,
            worker_id=worker_id,
        )
        worker.configure_signals()
        try:
            worker.run()
        except WorkerIdInUse as exc:
            raise CommandError(str(exc)) from exc
