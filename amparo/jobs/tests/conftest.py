"""Real ``amparo worker`` processes against the test database of this test process."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

HEARTBEAT_TIMEOUT = 2


@pytest.fixture
def heartbeat_timeout(settings):  # type: ignore[no-untyped-def]
    """A short heartbeat timeout, here and in the worker processes, so recovery is quick."""
    settings.JOBS_HEARTBEAT_TIMEOUT = HEARTBEAT_TIMEOUT
    return HEARTBEAT_TIMEOUT


@pytest.fixture
def markers(tmp_path: Path) -> Path:
    directory = tmp_path / "markers"
    directory.mkdir()
    return directory


def lines(path: Path) -> list[str]:
    return path.read_text().splitlines() if path.exists() else []


def wait_until(condition: Callable[[], object], *, timeout: float = 30, message: str = "") -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting: {message}")
        time.sleep(0.05)


@pytest.fixture
def start_worker(transactional_db, heartbeat_timeout, tmp_path):  # type: ignore[no-untyped-def]
    """Starts ``python -m amparo worker`` processes; kills whatever is left at the end."""
    from django.db import connection

    processes: list[subprocess.Popen[bytes]] = []
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "amparo.jobs.tests.worker_settings",
        "AMPARO_TEST_DATABASE_NAME": connection.settings_dict["NAME"],
        "AMPARO_JOBS_HEARTBEAT_TIMEOUT": str(heartbeat_timeout),
    }

    def start(worker_id: str, *args: str) -> subprocess.Popen[bytes]:
        log_path = tmp_path / f"worker-{len(processes)}-{worker_id}.log"
        log = log_path.open("wb")
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "amparo",
                "worker",
                "--worker-id",
                worker_id,
                "--interval",
                "0.1",
                "--import",
                "amparo.jobs.tests.jobs_for_tests",
                *args,
            ],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()
        process.log_path = log_path  # type: ignore[attr-defined]
        processes.append(process)
        return process

    yield start
    for process in processes:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=30)
