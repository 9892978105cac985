"""``amparo serve``: everything in one process — migrations, web (HTTP + websockets) and worker.

This is the embedded default: SQLite and the in-memory channel layer need web and worker in
one process so that events published by jobs reach the websockets. With PostgreSQL and Redis,
run ``amparo web`` and ``amparo worker`` as separate processes instead, in as many copies as
needed.
"""

from __future__ import annotations

import asyncio
import signal
import sys
import threading
from typing import Any

import uvicorn
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from amparo.core.realtime import register_web_loop


class Command(BaseCommand):
    help = "Migrate, then serve web and worker together (the embedded default)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--demo", action="store_true", help="Load the demo data on first run.")
        parser.add_argument("--no-worker", action="store_true", help="Serve the web only.")

    def handle(
        self, *args: Any, host: str, port: int, demo: bool, no_worker: bool, **options: Any
    ) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        if demo:
            call_command("demo")
        stop = threading.Event()
        worker = None
        if not no_worker:
            from amparo.jobs.runner import start_worker_thread

            worker = start_worker_thread(stop)
        self.stdout.write(
            self.style.SUCCESS(
                f"Amparo is serving at http://{host}:{port}/ (data in {settings.DATA_DIR})"
            )
        )
        config = uvicorn.Config(
            "amparo.config.asgi:application",
            host=host,
            port=port,
            lifespan="off",
            log_level="info",
            access_log=False,
            proxy_headers=True,
        )
        server = uvicorn.Server(config)

        async def run() -> None:
            register_web_loop(asyncio.get_running_loop())
            await server.serve()

        # uvicorn shuts down gracefully on SIGTERM, then re-raises the signal with the handler it
        # found: make that handler leave through ``finally`` so the worker thread finishes its job.
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
        try:
            asyncio.run(run())
        finally:
            stop.set()
            if worker is not None:
                worker.join(timeout=30)
