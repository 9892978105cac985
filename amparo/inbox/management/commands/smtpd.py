"""``amparo smtpd``: receive mail directly over SMTP (point an MX or a relay here)."""

from __future__ import annotations

import signal
import threading
from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Run an SMTP server that turns mail for our mailboxes into tickets."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=2525)

    def handle(self, *args: Any, **options: Any) -> None:
        from amparo.inbox.email.smtpd import make_controller

        controller = make_controller(options["host"], options["port"])
        stop = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
        signal.signal(signal.SIGINT, lambda *_: stop.set())
        controller.start()
        self.stdout.write(f"smtpd listening on {options['host']}:{options['port']}")
        try:
            stop.wait()
        finally:
            controller.stop()
