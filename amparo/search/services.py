"""Writes to the search indexes: rebuild (after bulk loads) and suspend (before them).

Day to day the indexes need nothing from Python: database triggers keep them current in the
same transaction as every change to tickets, messages, contacts, identities and
organizations, whatever code makes it (services, bulk ``update()``, the admin, raw SQL).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.db import connections, transaction
from django.utils import timezone

from amparo.search.backends import backend
from amparo.search.models import ALL, IndexName, IndexState

DEFAULT_BATCH = 5000

Progress = Callable[[str], object]


def _set_upto(name: str, upto: int, using: str, *, rebuilt: bool = False) -> None:
    defaults: dict[str, object] = {"indexed_upto": upto}
    if rebuilt:
        defaults["rebuilt_at"] = timezone.now()
    IndexState.objects.using(using).update_or_create(name=name, defaults=defaults)


def search_rebuild(
    *,
    names: Iterable[str] = tuple(IndexName.values),
    batch: int = DEFAULT_BATCH,
    using: str = "default",
    progress: Progress | None = None,
) -> None:
    """Empties each index, then indexes every row again in batches of ``batch`` ids, one
    transaction each; the application may keep running (searches see a growing index)."""
    connection = connections[using]
    impl = backend(connection)
    for name in names:
        if name not in IndexName.values:
            raise ValueError(f"unknown index {name!r}")
        with transaction.atomic(using=using), connection.cursor() as cursor:
            impl.clear(cursor, name)
            _set_upto(name, 0, using)
        after = 0
        while after != ALL:
            with transaction.atomic(using=using), connection.cursor() as cursor:
                upto = impl.index_batch(cursor, name, after, batch)
                _set_upto(name, upto, using)
            if progress and upto != ALL:
                progress(f"{name}: indexed up to id {upto:,}")
            after = upto
        with connection.cursor() as cursor:
            # Outside a transaction: PostgreSQL builds its index CONCURRENTLY.
            impl.finish(cursor, name)
        with transaction.atomic(using=using), connection.cursor() as cursor:
            impl.optimize(cursor, name)
            _set_upto(name, ALL, using, rebuilt=True)
        if progress:
            progress(f"{name}: done")


def search_suspend(
    *, names: Iterable[str] = tuple(IndexName.values), using: str = "default"
) -> None:
    """Before a bulk load that writes rows directly (bench/generate.py): empties the indexes,
    and on SQLite stops the triggers from touching them until ``search_rebuild`` (saving the
    load their work; PostgreSQL's go on upserting, and COPY in replica mode skips them).
    Searches find nothing that was there before, rather than something wrong."""
    connection = connections[using]
    impl = backend(connection)
    for name in names:
        with transaction.atomic(using=using), connection.cursor() as cursor:
            impl.clear(cursor, name)
            _set_upto(name, 0, using)
