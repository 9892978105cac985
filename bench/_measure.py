"""Timing of one read, shared by the page and search benchmarks."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext


def measure(fn: Callable[[], Any], runs: int) -> tuple[float, float, int]:
    """Median and p95 milliseconds over ``runs`` calls (after two warm-up calls), and the
    number of SQL queries of one call."""
    for _ in range(2):
        fn()
    with CaptureQueriesContext(connection) as ctx:
        fn()
    queries = len(ctx.captured_queries)
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return statistics.median(times), times[max(0, round(0.95 * len(times)) - 1)], queries
