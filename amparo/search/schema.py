"""Keeps the search triggers and views in place around migrations.

SQLite rebuilds a table (create, copy, drop, rename) for most of Django's schema changes, and
that drops the table's triggers and fails while a view or another table's trigger names it.
So before migrations of the apps the indexes read (tickets, crm) the SQLite views and
triggers are dropped, and after every migrate (and flush) they are created again. An index
that was never built (a new install, or a flushed test database) is built there too.
"""

from __future__ import annotations

from typing import Any

from django.db import connections, transaction
from django.db.models.signals import post_migrate, pre_migrate

# Apps whose tables the search views and triggers read.
SOURCE_APPS = {"tickets", "crm", "search"}


def register() -> None:
    from django.apps import apps

    config = apps.get_app_config("search")
    pre_migrate.connect(_before_migrate, sender=config, dispatch_uid="amparo.search.before")
    post_migrate.connect(_after_migrate, sender=config, dispatch_uid="amparo.search.after")


def _tables_exist(using: str) -> bool:
    return "search_indexstate" in connections[using].introspection.table_names()


def _before_migrate(*, using: str = "default", plan: Any = None, **kwargs: Any) -> None:
    from amparo.search.backends import backend

    connection = connections[using]
    if not plan or not _tables_exist(using):
        return
    if any(migration.app_label in SOURCE_APPS for migration, _backwards in plan):
        with transaction.atomic(using=using), connection.cursor() as cursor:
            backend(connection).uninstall(cursor)


def _after_migrate(*, using: str = "default", verbosity: int = 1, **kwargs: Any) -> None:
    if not _tables_exist(using):
        return
    ensure_installed(using=using, verbosity=verbosity)


def ensure_installed(*, using: str = "default", verbosity: int = 0) -> None:
    """Creates missing triggers and views, then builds any index never built."""
    from amparo.search.backends import backend
    from amparo.search.models import IndexName, IndexState
    from amparo.search.services import search_rebuild

    connection = connections[using]
    with transaction.atomic(using=using), connection.cursor() as cursor:
        backend(connection).install(cursor)
    built = set(IndexState.objects.using(using).values_list("name", flat=True))
    missing = [name for name in IndexName.values if name not in built]
    if missing:
        progress = print if verbosity > 1 else None
        search_rebuild(names=missing, using=using, progress=progress)
