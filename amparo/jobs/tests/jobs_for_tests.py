"""Jobs the job-runner tests enqueue. Worker processes import this module with ``--import``.

Each job leaves its traces as lines in files under the directory it is given, so a test can see
what ran, how often, and in which process, whatever process ran it.
"""

from __future__ import annotations

import os
import time
from datetime import timedelta
from pathlib import Path

from amparo.jobs.base import PermanentError, job
from amparo.jobs.periodic import periodic


def _append(path: Path, line: str) -> int:
    """Appends a line and returns how many lines the file has now."""
    with path.open("a") as handle:
        handle.write(line + "\n")
    return len(path.read_text().splitlines())


@job(retries=3, backoff=0.3)
def flaky(marker_dir: str, failures: int) -> str:
    runs = _append(Path(marker_dir) / "flaky.runs", str(os.getpid()))
    if runs <= failures:
        raise RuntimeError(f"failure number {runs}")
    return f"succeeded on run {runs}"


@job(retries=3, backoff=0.1)
def permanently_broken(marker_dir: str) -> None:
    _append(Path(marker_dir) / "broken.runs", str(os.getpid()))
    raise PermanentError("the record this job needs is invalid")


@job(retries=1)
def slow(marker_dir: str, seconds: float) -> str:
    """Takes a while, then records its effect exactly once per completed run."""
    directory = Path(marker_dir)
    _append(directory / "slow.started", str(os.getpid()))
    time.sleep(seconds)
    _append(directory / "slow.done", str(os.getpid()))
    return "done"


@periodic(every=timedelta(seconds=2))
@job(queue="periodic", retries=1)
def tick() -> str:
    return "tick"
