"""Writes of the desk: saved views. Ticket changes go through amparo.tickets.services."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from amparo.accounts.models import Role, User
from amparo.core.errors import Conflict, DomainError, NotFound
from amparo.desk.models import SavedView, SortOrder

MAX_VIEWS_PER_AGENT = 50


def _clean_name(name: str) -> str:
    name = " ".join((name or "").split())[:80]
    if not name:
        raise DomainError(_("Give the view a name."), field="name")
    return name


def _may_share(agent: User) -> bool:
    return agent.role in (Role.ADMIN, Role.SUPERVISOR)


@transaction.atomic
def saved_view_create(
    *, owner: User, name: str, filters: dict[str, Any], sort: str, is_shared: bool = False
) -> SavedView:
    name = _clean_name(name)
    if sort not in SortOrder.values:
        raise DomainError(_("Unknown sort order."), field="sort")
    if is_shared and not _may_share(owner):
        raise DomainError(_("Only supervisors can share views."), field="is_shared")
    if SavedView.objects.filter(owner=owner).count() >= MAX_VIEWS_PER_AGENT:
        raise DomainError(_("You have too many saved views; delete one first."), field="name")
    if SavedView.objects.filter(owner=owner, name=name).exists():
        raise Conflict(_("You already have a view with this name."), field="name")
    return SavedView.objects.create(
        owner=owner, name=name, filters=filters, sort=sort, is_shared=is_shared
    )


@transaction.atomic
def saved_view_delete(*, view: SavedView, agent: User) -> None:
    """Owners delete their views; supervisors may also delete shared ones."""
    if view.owner_id != agent.pk and not (view.is_shared and _may_share(agent)):
        raise NotFound(_("View not found."))
    view.delete()
