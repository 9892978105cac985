"""Keyset (cursor) pagination: the cost of a page does not depend on how deep it is."""

from __future__ import annotations

import base64
import datetime
import json
from typing import Any, TypeVar

from django.db.models import Model, Q, QuerySet
from django.utils.dateparse import parse_datetime

from amparo.core.errors import DomainError

M = TypeVar("M", bound=Model)

MAX_LIMIT = 200


def _encode(values: list[Any]) -> str:
    raw = json.dumps([v.isoformat() if isinstance(v, datetime.datetime) else v for v in values])
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _decode(cursor: str, is_datetime: bool) -> tuple[Any, int]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        value, pk = json.loads(base64.urlsafe_b64decode(padded.encode()).decode())
        if is_datetime:
            value = parse_datetime(value)
            if value is None:
                raise ValueError
        if not isinstance(pk, int):
            raise ValueError
    except (ValueError, TypeError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DomainError(
            "The cursor is not valid; start again without it.", field="cursor"
        ) from exc
    return value, pk


def keyset_page(
    qs: QuerySet[M], *, order: str, cursor: str | None, limit: int
) -> tuple[list[M], str | None]:
    """One page of ``qs`` ordered by ``order`` (e.g. "-updated_at"), ties broken by id."""
    if limit < 1 or limit > MAX_LIMIT:
        raise DomainError(f"limit must be between 1 and {MAX_LIMIT}.", field="limit")
    descending = order.startswith("-")
    field = order.lstrip("-")
    model_field = qs.model._meta.get_field(field)
    is_datetime = getattr(model_field, "get_internal_type", lambda: "")() == "DateTimeField"
    if cursor:
        value, pk = _decode(cursor, is_datetime)
        if field == "id":
            qs = qs.filter(id__lt=pk) if descending else qs.filter(id__gt=pk)
        elif descending:
            qs = qs.filter(Q(**{f"{field}__lt": value}) | Q(**{field: value, "id__lt": pk}))
        else:
            qs = qs.filter(Q(**{f"{field}__gt": value}) | Q(**{field: value, "id__gt": pk}))
    ordering = [order, "-id" if descending else "id"] if field != "id" else [order]
    items = list(qs.order_by(*ordering)[: limit + 1])
    next_cursor = None
    if len(items) > limit:
        items = items[:limit]
        last = items[-1]
        next_cursor = _encode([getattr(last, field), last.pk])
    return items, next_cursor
