"""One module per database; ``backend()`` picks the one of the connection in use.

Each module provides the same functions: ``create_tables``/``drop_tables`` (migration),
``install``/``uninstall``/``installed`` (triggers, views, indexes), ``ticket_ids_sql`` and
``contact_ids_sql`` (a subquery of matching ids), and ``clear``/``index_batch``/``finish``/
``optimize``/``check`` (rebuild and verification).
"""

from __future__ import annotations

from types import ModuleType

from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper

from amparo.search.backends import postgresql, sqlite

BACKENDS: dict[str, ModuleType] = {"sqlite": sqlite, "postgresql": postgresql}


def backend(connection: BaseDatabaseWrapper | None = None) -> ModuleType:
    connection = connection or connections["default"]
    try:
        return BACKENDS[connection.vendor]
    except KeyError:
        raise RuntimeError(f"amparo.search does not support {connection.vendor}") from None
