"""``amparo demo``: load the Portuguese demo company (teams, agents, customers, ~200 tickets)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from amparo.core.demo.loader import (
    DEMO_CUSTOMER_EMAIL,
    DEMO_DOMAIN,
    DEMO_PASSWORD,
    demo_is_loaded,
    load_demo,
)


class Command(BaseCommand):
    help = "Load demo data (a fictional internet provider, in Portuguese). Runs once."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--tickets", type=int, default=200)

    def handle(self, *args: Any, tickets: int, **options: Any) -> None:
        if demo_is_loaded():
            self.stdout.write("Demo data is already loaded.")
        else:
            counts = load_demo(tickets=tickets)
            self.stdout.write(
                self.style.SUCCESS(
                    "Demo loaded: " + ", ".join(f"{v} {k}" for k, v in counts.items())
                )
            )
        self.stdout.write(
            f"Agents: sign in at /desk/ as admin@{DEMO_DOMAIN} or ana.souza@{DEMO_DOMAIN}; "
            f"a customer: /portal/ as {DEMO_CUSTOMER_EMAIL}; password {DEMO_PASSWORD}"
        )
