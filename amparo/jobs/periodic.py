"""Periodic jobs: a registry of ``@job`` tasks that run once per fixed period.

    @periodic(every=timedelta(hours=1))
    @job(queue="periodic")
    def prune_something() -> None: ...

Periods are aligned on the Unix epoch in UTC (hourly jobs start on the hour, daily jobs at
00:00 UTC). Every worker tick calls ``services.periodic_jobs_enqueue_due``, which enqueues each
job at most once for the current period; a period in which no worker was running is skipped,
not caught up. Periodic jobs take no arguments.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from importlib import import_module
from typing import Any

from django.apps import apps
from django.utils.module_loading import module_has_submodule
from django_tasks.base import Task

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    task: Task[Any, Any]
    every: timedelta

    def period_start(self, now: datetime) -> datetime:
        return EPOCH + ((now - EPOCH) // self.every) * self.every


_registry: dict[str, PeriodicJob] = {}


def register_periodic(task: Task[Any, Any], *, every: timedelta) -> Task[Any, Any]:
    if every < timedelta(seconds=1):
        raise ValueError("periodic jobs run at most once a second")
    name = task.module_path
    _registry[name] = PeriodicJob(name=name, task=task, every=every)
    return task


def periodic(*, every: timedelta) -> Callable[[Task[Any, Any]], Task[Any, Any]]:
    """Decorates a ``@job`` task so that workers enqueue it once every ``every``."""

    def decorate(task: Task[Any, Any]) -> Task[Any, Any]:
        if not isinstance(task, Task):
            raise TypeError("@periodic goes above @job, on a task")
        return register_periodic(task, every=every)

    return decorate


def periodic_jobs() -> list[PeriodicJob]:
    return sorted(_registry.values(), key=lambda periodic_job: periodic_job.name)


def discover_periodic_jobs(extra_modules: list[str] | tuple[str, ...] = ()) -> list[PeriodicJob]:
    """Imports ``tasks`` of every Amparo app (and ``extra_modules``) so their jobs register."""
    for app_config in apps.get_app_configs():
        if app_config.name.startswith("amparo.") and module_has_submodule(
            app_config.module, "tasks"
        ):
            import_module(f"{app_config.name}.tasks")
    for module in extra_modules:
        import_module(module)
    return periodic_jobs()
