"""Bookkeeping of the search indexes. The indexes themselves are database objects (FTS5 tables
on SQLite, tsvector/trigram tables on PostgreSQL) created by the backends, not models."""

from __future__ import annotations

from django.db import models

# indexed_upto when every row is indexed (the largest signed 64-bit integer).
ALL = 2**63 - 1


class IndexName(models.TextChoices):
    TICKETS = "tickets"
    CONTACTS = "contacts"


class IndexState(models.Model):
    """One row per index. Rows with an id up to ``indexed_upto`` are in the index and kept
    current by the triggers; a rebuild raises it batch by batch, so writes during a rebuild
    touch only the part already rebuilt (SQLite's external-content index must never be told
    to delete a row it does not hold). No row: never built."""

    name = models.CharField(max_length=20, primary_key=True, choices=IndexName.choices)
    indexed_upto = models.BigIntegerField(default=0)
    rebuilt_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} ≤ {self.indexed_upto}"
