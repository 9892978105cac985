"""Reads for the desk: queues, counts, saved views, the ticket page's sidebar data.

Every ticket read goes through amparo.tickets.selectors, which applies visibility.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from amparo.accounts.models import User
from amparo.api.pagination import keyset_page
from amparo.core.errors import NotFound
from amparo.core.models import CustomFieldDefinition, CustomFieldTarget
from amparo.desk.filters import QueueSpec, text_condition
from amparo.desk.models import SavedView
from amparo.tickets.models import Macro, Ticket
from amparo.tickets.selectors import apply_ticket_filters, ticket_list_for_agent

# Counts stop here: counting a million-row queue exactly would scan it on every page view.
COUNT_CAP = 999
PAGE_SIZE = 50


def queue_queryset(*, agent: User, specs: list[QueueSpec]) -> QuerySet[Ticket]:
    """Visible, unmerged tickets matching every spec (a view, then the agent's filters)."""
    qs = ticket_list_for_agent(agent=agent).filter(merged_into__isnull=True)
    for spec in specs:
        qs = apply_ticket_filters(qs, spec.filters).filter(spec.extra)
        if spec.text:
            qs = qs.filter(text_condition(spec.text))
    return qs


def queue_page(
    *, agent: User, specs: list[QueueSpec], cursor: str | None, limit: int | None = None
) -> tuple[list[Ticket], str | None]:
    sort = specs[-1].sort if specs else "-updated_at"
    limit = limit or PAGE_SIZE
    return keyset_page(
        queue_queryset(agent=agent, specs=specs), order=sort, cursor=cursor, limit=limit
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


def macro_list_for_agent(*, agent: User) -> QuerySet[Macro]:
    from amparo.accounts.selectors import team_ids_for

    qs = Macro.objects.filter(is_active=True)
    if not agent.sees_all_tickets:
        qs = qs.filter(Q(team__isnull=True) | Q(team_id__in=team_ids_for(agent)))
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
