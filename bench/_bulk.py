"""Bulk writers for the generator: COPY on PostgreSQL, executemany on SQLite.

Rows are plain tuples in the column order given; datetimes arrive as epoch floats and are
formatted here the way Django itself stores them on each backend (SQLite: naive UTC text,
which Django compares as strings, so the format must match exactly).
"""

from __future__ import annotations

import datetime
import json
import time
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection, models

_epoch = datetime.datetime(1970, 1, 1)  # naive UTC; faster than fromtimestamp(tz=...)
_td = datetime.timedelta


def _columns(
    model: type[models.Model], given: Sequence[str]
) -> tuple[list[str], tuple[Any, ...], list[int]]:
    """All columns to write: the given ones, then defaults for any the script does not know.

    Other engineers add fields while these benchmarks exist; a new column with a default is
    filled with it instead of breaking the load.
    """
    extra_cols: list[str] = []
    extra_vals: list[Any] = []
    datetimes: list[int] = []
    for field in model._meta.concrete_fields:
        if field.column in given:
            continue
        if field.primary_key:
            raise SystemExit(f"{model.__name__}: the generator must give the primary key")
        if field.has_default():
            value = field.get_default()
        elif field.null:
            value = None
        elif isinstance(field, (models.CharField, models.TextField)):
            value = ""
        else:
            raise SystemExit(
                f"bench/generate.py does not know {model.__name__}.{field.name} (no default)"
            )
        if isinstance(value, (dict, list)):
            value = json.dumps(value)
        elif isinstance(value, datetime.datetime):
            value = value.timestamp()  # formatted by BulkWriter.insert
            datetimes.append(len(extra_vals))
        extra_cols.append(field.column)
        extra_vals.append(value)
    return [*given, *extra_cols], tuple(extra_vals), datetimes


class BulkWriter:
    def __init__(self) -> None:
        self.vendor = connection.vendor
        self.rows_written = 0
        self.seconds_writing = 0.0
        connection.ensure_connection()
        self.raw = connection.connection
        if self.vendor == "postgresql":
            self._pg_prepare()
        elif self.vendor == "sqlite":
            self._sqlite_prepare()
        else:
            raise SystemExit(f"unsupported database: {self.vendor}")

    # Datetimes ---------------------------------------------------------------------------------
    def ts(self, epoch: float | None) -> str | None:
        if epoch is None:
            return None
        text = str(_epoch + _td(seconds=epoch))
        return text + "+00" if self.vendor == "postgresql" else text

    # Backend set-up ----------------------------------------------------------------------------
    def _pg_prepare(self) -> None:
        with self.raw.cursor() as cur:
            # The data is consistent by construction; skipping the deferred FK triggers halves
            # the load time. Needs a superuser, which the bench database has.
            cur.execute("SET session_replication_role = replica")
            cur.execute("SET synchronous_commit = off")
            cur.execute("SET maintenance_work_mem = '512MB'")

    def _sqlite_prepare(self) -> None:
        for pragma in (
            "PRAGMA journal_mode=OFF",  # a failed load is rerun with --force, not recovered
            "PRAGMA synchronous=OFF",
            "PRAGMA foreign_keys=OFF",
            "PRAGMA cache_size=-1000000",
            "PRAGMA temp_store=MEMORY",
            "PRAGMA locking_mode=EXCLUSIVE",
        ):
            self.raw.execute(pragma)

    def finish(self, tables: Iterable[str]) -> None:
        if self.vendor == "postgresql":
            with self.raw.cursor() as cur:
                cur.execute("SET session_replication_role = DEFAULT")
                for table in tables:
                    cur.execute(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                        f"(SELECT coalesce(max(id), 1) FROM {table}))"
                    )
        else:
            self.raw.execute("PRAGMA locking_mode=NORMAL")
            self.raw.execute("PRAGMA journal_mode=WAL")
            self.raw.execute("PRAGMA foreign_keys=ON")

    def analyze(self, tables: Iterable[str]) -> None:
        if self.vendor == "postgresql":
            # Outside atomic() Django keeps the connection in autocommit, which VACUUM needs.
            with self.raw.cursor() as cur:
                for table in tables:
                    # VACUUM sets hint bits and the visibility map, as autovacuum would on a
                    # live system, so reads measure a settled database and not the load.
                    cur.execute(f"VACUUM (ANALYZE) {table}")
        else:
            self.raw.execute("PRAGMA analysis_limit=2000")
            self.raw.execute("ANALYZE")

    # Writing -----------------------------------------------------------------------------------
    def max_id(self, model: type[models.Model]) -> int:
        with connection.cursor() as cur:
            cur.execute(f"SELECT coalesce(max(id), 0) FROM {model._meta.db_table}")
            return int(cur.fetchone()[0])

    def insert(
        self, model: type[models.Model], given: Sequence[str], rows: list[tuple[Any, ...]]
    ) -> None:
        if not rows:
            return
        columns, extra, datetimes = _columns(model, given)
        if datetimes:
            extra = tuple(self.ts(v) if i in datetimes else v for i, v in enumerate(extra))
        if extra:
            rows = [row + extra for row in rows]
        table = model._meta.db_table
        started = time.perf_counter()
        if self.vendor == "postgresql":
            sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
            with self.raw.cursor() as cur, cur.copy(sql) as copy:
                write = copy.write_row
                for row in rows:
                    write(row)
        else:
            marks = ", ".join("?" * len(columns))
            self.raw.executemany(
                f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows
            )
        self.seconds_writing += time.perf_counter() - started
        self.rows_written += len(rows)
