"""``amparo createadmin``: an administrator agent, from flags or prompts."""

from __future__ import annotations

import getpass
import os
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from amparo.accounts.models import Role
from amparo.accounts.services import agent_create
from amparo.core.errors import DomainError


class Command(BaseCommand):
    help = "Create an administrator. The password may come from AMPARO_ADMIN_PASSWORD."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--email")
        parser.add_argument("--name", default="")
        parser.add_argument("--no-input", action="store_true")

    def handle(
        self, *args: Any, email: str | None, name: str, no_input: bool, **options: Any
    ) -> None:
        if not email:
            if no_input:
                raise CommandError("--email is required with --no-input.")
            email = input("Email: ").strip()
        password = os.environ.get("AMPARO_ADMIN_PASSWORD")
        if not password:
            if no_input:
                raise CommandError("Set AMPARO_ADMIN_PASSWORD with --no-input.")
            password = getpass.getpass("Password: ")
        try:
            user = agent_create(
                email=email, name=name or email.split("@")[0], role=Role.ADMIN, password=password
            )
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(self.style.SUCCESS(f"Administrator {user.email} created."))
