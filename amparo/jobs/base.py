"""The ``job`` decorator: a django.tasks Task that retries with exponential backoff."""

from __future__ import annotations

import functools
import logging
import random
from collections.abc import Callable
from datetime import timedelta
from typing import Any, TypeVar

from django.utils import timezone
from django_tasks import task
from django_tasks.base import Task

logger = logging.getLogger(__name__)

F = TypeVar("F", bound=Callable[..., Any])


class PermanentError(Exception):
    """Raised by a job when retrying cannot help (bad data, refused target)."""


def backoff_delay(attempt: int, base: float) -> float:
    """Seconds to wait before attempt ``attempt + 1``: base·2^(attempt-1), ±20 % jitter, ≤ 6 h."""
    delay = min(base * (2 ** (attempt - 1)), 6 * 3600)
    return delay * random.uniform(0.8, 1.2)


def job(
    *, queue: str = "default", retries: int = 5, backoff: float = 30.0, priority: int = 0
) -> Callable[[F], Task[Any, Any]]:
    def decorate(fn: F) -> Task[Any, Any]:
        @functools.wraps(fn)
        def run(*args: Any, _attempt: int = 1, **kwargs: Any) -> Any:
            try:
                return fn(*args, **kwargs)
            except PermanentError:
                logger.warning("job %s failed permanently", fn.__qualname__, exc_info=True)
                raise
            except Exception:
                if _attempt >= retries:
                    logger.exception("job %s failed after %d attempts", fn.__qualname__, _attempt)
                    raise
                delay = backoff_delay(_attempt, backoff)
                the_task.using(run_after=timezone.now() + timedelta(seconds=delay)).enqueue(
                    *args, _attempt=_attempt + 1, **kwargs
                )
                logger.warning(
                    "job %s failed (attempt %d); retrying in %.0fs",
                    fn.__qualname__,
                    _attempt,
                    delay,
                    exc_info=True,
                )
                raise

        the_task: Task[Any, Any] = task(queue_name=queue, priority=priority)(run)
        return the_task

    return decorate
