from __future__ import annotations

import pytest
from django.core.management import call_command

from amparo.webhooks.tests.receiver import Receiver


@pytest.fixture
def receiver():  # type: ignore[no-untyped-def]
    server = Receiver().start()
    yield server
    server.stop()


@pytest.fixture
def allow_private(settings):  # type: ignore[no-untyped-def]
    """The receiver listens on 127.0.0.1, which production refuses."""
    settings.OUTBOUND_ALLOW_PRIVATE = True


@pytest.fixture
def run_webhook_jobs():  # type: ignore[no-untyped-def]
    """Runs the real database worker over the webhooks queue until nothing is ready."""

    def run() -> None:
        call_command(
            "db_worker",
            "--batch",
            "--queue-name",
            "webhooks",
            "--no-startup-delay",
            "--interval",
            "0",
            verbosity=0,
        )

    return run
