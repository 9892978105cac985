"""Small helpers shared by the CRM views."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from amparo.accounts.models import User
from amparo.api.pagination import keyset_page
from amparo.core.errors import DomainError
from amparo.core.models import CustomFieldDefinition

PAGE_SIZE = 50
TICKET_PAGE_SIZE = 20


def viewer(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def render_page_or_partial(
    request: HttpRequest,
    page: str,
    partial: str,
    context: dict[str, Any],
    status: int = 200,
) -> HttpResponse:
    """The whole page, or only the fragment htmx asked for (NetBox's pattern)."""
    template = partial if is_htmx(request) else page
    return render(request, template, context, status=status)


def page_of(qs: Any, *, order: str, cursor: str | None, limit: int) -> tuple[list[Any], str | None]:
    """A keyset page; a damaged cursor (edited URL) starts again from the first page."""
    try:
        return keyset_page(qs, order=order, cursor=cursor or None, limit=limit)
    except DomainError:
        return keyset_page(qs, order=order, cursor=None, limit=limit)


def custom_rows(target: str, values: dict[str, Any]) -> list[tuple[str, Any]]:
    """(label, value) of each defined attribute the record has, in the administrator's order."""
    definitions = CustomFieldDefinition.objects.filter(target=target).order_by("position", "key")
    return [(d.label, values[d.key]) for d in definitions if d.key in values]
