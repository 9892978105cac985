"""Reads of tickets, already restricted to what the viewer may see.

An agent sees a ticket when they are an administrator, when it belongs to one of their
teams or to no team yet (the triage queue), or when it is assigned to them. A customer sees
their own tickets, those they are copied on, and their organization's when it shares them.
Anything else is reported as not found, never as forbidden, so ids cannot be probed.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field, replace

from django.db import connection
from django.db.models import Prefetch, Q, QuerySet, Value
from django.db.models.functions import Coalesce
from django.db.models.lookups import In
from django.utils.translation import gettext as _

from amparo.accounts.models import User
from amparo.accounts.selectors import team_ids_for
from amparo.api.pagination import keyset_page, keyset_page_split
from amparo.core.errors import NotFound
from amparo.crm.models import Contact
from amparo.search.selectors import ticket_text_q
from amparo.tickets.models import Attachment, Message, Ticket, TicketEvent


def ticket_visibility_q(agent: User) -> Q:
    if not agent.is_agent or not agent.is_active:
        return Q(pk__in=[])
    if agent.sees_all_tickets:
        return Q()
    teams = list(team_ids_for(agent))
    if connection.vendor == "sqlite":
        # SQLite answers an OR of indexed columns with a MULTI-INDEX OR: it collects every
        # visible ticket (a quarter of a million at 1M) and sorts them, 560 ms for a list page.
        # Testing the team through COALESCE is the same condition without an index of its own,
        # so the list walks its order index instead and stops after a page: 1.9 ms.
        return Q(In(Coalesce("team_id", Value(0)), [*teams, 0])) | Q(assignee_id=agent.pk)
    return Q(team_id__in=teams) | Q(team__isnull=True) | Q(assignee_id=agent.pk)


def customer_visibility_q(contact: Contact) -> Q:
    # One IN over a UNION of index lookups (own tickets, copied on, the organization's), not
    # ORs with a join: those made every customer list, and its search, walk all tickets by
    # date (0.4-2 s at a million tickets, up to 3.6 s with a search on PostgreSQL; 3-40 ms
    # this way on both databases), and needed a DISTINCT.
    visible = Ticket.objects.filter(contact_id=contact.pk).values("pk")
    visible = visible.union(
        Ticket.follower_contacts.through.objects.filter(contact_id=contact.pk).values("ticket_id")
    )
    if contact.organization_id and contact.organization and contact.organization.shares_tickets:
        visible = visible.union(
            Ticket.objects.filter(organization_id=contact.organization_id).values("pk")
        )
    return Q(pk__in=visible)


def _with_relations(qs: QuerySet[Ticket]) -> QuerySet[Ticket]:
    return qs.select_related("contact", "organization", "team", "assignee").prefetch_related("tags")


@dataclass
class TicketFilters:
    status: list[str] = field(default_factory=list)
    priority: list[int] = field(default_factory=list)
    team_id: int | None = None
    no_team: bool = False
    assignee_id: int | None = None
    unassigned: bool = False
    contact_id: int | None = None
    organization_id: int | None = None
    channel: list[str] = field(default_factory=list)
    tag: str | None = None
    created_after: datetime.datetime | None = None
    created_before: datetime.datetime | None = None
    updated_after: datetime.datetime | None = None
    updated_before: datetime.datetime | None = None
    # Free text (amparo.search): "#123", words, "a phrase"; internal notes included.
    text: str = ""


def apply_ticket_filters(qs: QuerySet[Ticket], f: TicketFilters) -> QuerySet[Ticket]:
    if f.status:
        qs = qs.filter(status__in=f.status)
    if f.priority:
        qs = qs.filter(priority__in=f.priority)
    if f.no_team:
        qs = qs.filter(team__isnull=True)
    elif f.team_id is not None:
        qs = qs.filter(team_id=f.team_id)
    if f.unassigned:
        qs = qs.filter(assignee__isnull=True)
    elif f.assignee_id is not None:
        qs = qs.filter(assignee_id=f.assignee_id)
    if f.contact_id is not None:
        qs = qs.filter(contact_id=f.contact_id)
    if f.organization_id is not None:
        qs = qs.filter(organization_id=f.organization_id)
    if f.channel:
        qs = qs.filter(channel__in=f.channel)
    if f.tag:
        qs = qs.filter(tags__name=f.tag)
    if f.created_after:
        qs = qs.filter(created_at__gte=f.created_after)
    if f.created_before:
        qs = qs.filter(created_at__lt=f.created_before)
    if f.updated_after:
        qs = qs.filter(updated_at__gte=f.updated_after)
    if f.updated_before:
        qs = qs.filter(updated_at__lt=f.updated_before)
    if f.text.strip():
        qs = qs.filter(ticket_text_q(f.text, include_internal=True))
    return qs


def ticket_list_for_agent(*, agent: User, filters: TicketFilters | None = None) -> QuerySet[Ticket]:
    qs = Ticket.objects.filter(ticket_visibility_q(agent))
    if filters is not None:
        qs = apply_ticket_filters(qs, filters)
    return _with_relations(qs)


def ticket_page_by_status(
    qs: QuerySet[Ticket],
    *,
    statuses: list[str] | None,
    searching: bool,
    order: str,
    cursor: str | None,
    limit: int,
) -> tuple[list[Ticket], str | None]:
    """A keyset page of ``qs`` (not filtered by status) with ``statuses`` (None: any).

    Several statuses are read one status at a time (keyset_page_split), so each query walks
    a (…, status, -updated_at, -id) index in order instead of sorting every match. A search
    is planned from its matches, not along an index: one query.
    """
    if statuses is None or searching:
        if statuses is not None:
            qs = qs.filter(status__in=statuses)
        return keyset_page(qs, order=order, cursor=cursor, limit=limit)
    return keyset_page_split(
        qs, field="status", values=statuses, order=order, cursor=cursor, limit=limit
    )


def ticket_page_for_agent(
    *, agent: User, filters: TicketFilters, order: str, cursor: str | None, limit: int
) -> tuple[list[Ticket], str | None]:
    """A keyset page of ``ticket_list_for_agent`` (see ticket_page_by_status)."""
    return ticket_page_by_status(
        ticket_list_for_agent(agent=agent, filters=replace(filters, status=[])),
        statuses=[str(s) for s in filters.status] or None,
        searching=bool(filters.text.strip()),
        order=order,
        cursor=cursor,
        limit=limit,
    )


def ticket_get_for_agent(*, agent: User, ticket_id: int) -> Ticket:
    ticket = _with_relations(
        Ticket.objects.filter(ticket_visibility_q(agent), pk=ticket_id)
    ).first()
    if ticket is None:
        raise NotFound(_("Ticket not found."))
    return ticket


def ticket_list_for_customer(*, contact: Contact, text: str = "") -> QuerySet[Ticket]:
    """The customer's tickets; ``text`` searches them without internal notes."""
    qs = Ticket.objects.filter(customer_visibility_q(contact), merged_into__isnull=True)
    if text.strip():
        qs = qs.filter(ticket_text_q(text, include_internal=False))
    return _with_relations(qs)


def ticket_get_for_customer(*, contact: Contact, ticket_id: int) -> Ticket:
    ticket = _with_relations(
        Ticket.objects.filter(customer_visibility_q(contact), pk=ticket_id)
    ).first()
    if ticket is None:
        raise NotFound(_("Ticket not found."))
    return ticket


def message_list(*, ticket: Ticket, include_internal: bool) -> QuerySet[Message]:
    qs = Message.objects.filter(ticket=ticket)
    if not include_internal:
        qs = qs.filter(is_internal=False)
    return qs.select_related("author_agent", "author_contact").prefetch_related(
        Prefetch("attachments", queryset=Attachment.objects.order_by("id"))
    )


def event_list(*, ticket: Ticket) -> QuerySet[TicketEvent]:
    return TicketEvent.objects.filter(ticket=ticket).select_related("actor_agent", "actor_contact")


def attachment_get_for_agent(*, agent: User, attachment_id: int) -> Attachment:
    attachment = Attachment.objects.filter(
        pk=attachment_id, ticket__in=Ticket.objects.filter(ticket_visibility_q(agent))
    ).first()
    if attachment is None:
        raise NotFound(_("Attachment not found."))
    return attachment


def attachment_get_for_customer(*, contact: Contact, attachment_id: int) -> Attachment:
    attachment = Attachment.objects.filter(
        Q(message__isnull=True) | Q(message__is_internal=False),
        pk=attachment_id,
        ticket__in=Ticket.objects.filter(customer_visibility_q(contact)),
    ).first()
    if attachment is None:
        raise NotFound(_("Attachment not found."))
    return attachment
