"""``amparo token EMAIL``: create an API token for an agent and print it once."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from amparo.accounts.models import TokenScope, User
from amparo.accounts.services import api_token_create
from amparo.core.errors import DomainError


class Command(BaseCommand):
    help = "Create an API token for an agent; the token is printed once and stored hashed."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email")
        parser.add_argument("--name", default="cli")
        parser.add_argument("--scope", choices=TokenScope.values, default=TokenScope.WRITE)

    def handle(self, *args: Any, email: str, name: str, scope: str, **options: Any) -> None:
        user = User.objects.filter(email=email.lower()).first()
        if user is None:
            raise CommandError(f"No user {email}.")
        try:
            _token, raw = api_token_create(user=user, name=name, scope=scope)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(raw)
