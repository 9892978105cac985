"""``amparo openapi``: print the OpenAPI document (the committed snapshot is docs/openapi.json)."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Print the OpenAPI document of /api/v1."

    def handle(self, *args: Any, **options: Any) -> None:
        from amparo.api.main import api

        self.stdout.write(json.dumps(api.get_openapi_schema(), indent=2, sort_keys=True))
