"""Reads for the desk: queues, counts, saved views, the ticket page's sidebar data.

Every ticket read goes through amparo.tickets.selectors, which applies visibility.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from django.db.models import Q, QuerySet

from amparo.accounts.models import User
from amparo.core.errors import NotFound
from amparo.core.models import CustomFieldDefinition, CustomFieldTarget
from amparo.desk.filters import QueueSpec, text_condition
from amparo.desk.models import SavedView
from amparo.tickets.models import Macro, Ticket
from amparo.tickets.selectors import (
    apply_ticket_filters,
    ticket_list_for_agent,
    ticket_page_by_status,
)

# Counts stop here: counting a million-row queue exactly would scan it on every page view.
COUNT_CAP = 999
PAGE_SIZE = 50


def queue_queryset(*, agent: User, specs: list[QueueSpec]) -> QuerySet[Ticket]:
    """Visible, unmerged tickets matching every spec (a view, then the agent's filters)."""
    statuses = queue_statuses(specs)
    qs = _queue_without_status(agent=agent, specs=specs)
    return qs if statuses is None else qs.filter(status__in=statuses)


def queue_statuses(specs: list[QueueSpec]) -> list[str] | None:
    """The statuses every spec allows, in the first spec's order; None when none restricts."""
    allowed: list[str] | None = None
    for spec in specs:
        if spec.filters.status:
            wanted = [str(s) for s in spec.filters.status]
            allowed = wanted if allowed is None else [s for s in allowed if s in wanted]
    return allowed


def _queue_without_status(*, agent: User, specs: list[QueueSpec]) -> QuerySet[Ticket]:
    qs = ticket_list_for_agent(agent=agent).filter(merged_into__isnull=True)
    for spec in specs:
        qs = apply_ticket_filters(qs, replace(spec.filters, status=[])).filter(spec.extra)
        if spec.text:
            qs = qs.filter(text_condition(spec.text))
    return qs


def queue_page(
    *, agent: User, specs: list[QueueSpec], cursor: str | None, limit: int | None = None
) -> tuple[list[Ticket], str | None]:
    """A keyset page of the queue; a queue of several statuses is read one status at a time
    (keyset_page_split), each along its (…, status, -updated_at, -id) index."""
    return ticket_page_by_status(
        _queue_without_status(agent=agent, specs=specs),
        statuses=queue_statuses(specs),
        searching=any(spec.text for spec in specs),
        order=specs[-1].sort if specs else "-updated_at",
        cursor=cursor,
        limit=limit or PAGE_SIZE,
    )


def queue_count(*, agent: User, specs: list[QueueSpec]) -> tuple[int, bool]:
    """(count, capped): at most COUNT_CAP rows are counted, so the cost is bounded."""
    qs = queue_queryset(agent=agent, specs=specs).order_by().values("pk")
    n = qs[: COUNT_CAP + 1].count()
    return min(n, COUNT_CAP), n > COUNT_CAP


def saved_view_list_for_agent(*, agent: User) -> QuerySet[SavedView]:
    return SavedView.objects.filter(Q(owner=agent) | Q(is_shared=True)).select_related("owner")


def saved_view_get_for_agent(*, agent: User, view_id: int) -> SavedView:
    view = saved_view_list_for_agent(agent=agent).filter(pk=view_id).first()
    if view is None:
        raise NotFound("")
    return view


def macro_list_for_agent(*, agent: User, ticket: Ticket | None = None) -> QuerySet[Macro]:
    """Macros the agent may use; on a ticket, the shared ones, the ticket's team's and the
    agent's teams' (an administrator who sees every team is not offered every team's macros)."""
    from amparo.accounts.selectors import team_ids_for

    qs = Macro.objects.filter(is_active=True)
    if ticket is not None or not agent.sees_all_tickets:
        teams = set(team_ids_for(agent))
        if ticket is not None and ticket.team_id:
            teams.add(ticket.team_id)
        qs = qs.filter(Q(team__isnull=True) | Q(team_id__in=teams))
    return qs.order_by("name")


def macro_get_for_agent(*, agent: User, macro_id: int) -> Macro:
    macro = macro_list_for_agent(agent=agent).filter(pk=macro_id).first()
    if macro is None:
        raise NotFound("")
    return macro


def custom_field_definitions(target: str) -> list[CustomFieldDefinition]:
    return list(CustomFieldDefinition.objects.filter(target=target))


def ticket_custom_fields(ticket: Ticket, definitions: list[CustomFieldDefinition]) -> list[Any]:
    """(definition, current value) pairs in the administrator's order."""
    return [(d, ticket.custom_fields.get(d.key)) for d in definitions]


TICKET_TARGET = CustomFieldTarget.TICKET
