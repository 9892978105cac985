"""/api/v1/tickets: list, read, create, change, reply, note, merge, follow, tags."""

from __future__ import annotations

import base64
import binascii
import datetime
from typing import Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import Field

from amparo.accounts.models import Role, Team, User
from amparo.api.pagination import keyset_page
from amparo.core.actors import Actor
from amparo.core.errors import DomainError, NotFound
from amparo.crm.models import Contact, IdentityKind
from amparo.crm.services import contact_get_or_create_by_identity
from amparo.tickets import selectors, services
from amparo.tickets.models import Tag
from amparo.tickets.schemas import (
    AttachmentIn,
    EventPage,
    FollowIn,
    MergeIn,
    MessageIn,
    MessageOut,
    MessagePage,
    TagOut,
    TicketCreateIn,
    TicketOut,
    TicketPage,
    TicketUpdateIn,
)

router = Router(tags=["tickets"])
tags_router = Router(tags=["tags"])


class TicketListQuery(Schema):
    status: list[Literal["new", "open", "pending", "on_hold", "solved", "closed"]] = Field(
        default_factory=list
    )
    priority: list[int] = Field(default_factory=list)
    team_id: int | None = None
    no_team: bool = False
    assignee_id: int | None = None
    unassigned: bool = False
    contact_id: int | None = None
    organization_id: int | None = None
    channel: list[str] = Field(default_factory=list)
    tag: str | None = None
    created_after: datetime.datetime | None = None
    created_before: datetime.datetime | None = None
    updated_after: datetime.datetime | None = None
    updated_before: datetime.datetime | None = None
    q: str = Field(
        default="",
        max_length=200,
        description=(
            'Full text: "#123" is ticket 123; otherwise every word must appear in the subject, '
            'a message or an internal note (accents and case ignored), "words in quotes" side '
            "by side, and the last word also matches longer words. Combines with the filters."
        ),
    )
    order: Literal["-updated_at", "updated_at", "-created_at", "created_at", "-id", "id"] = (
        "-updated_at"
    )
    cursor: str | None = None
    limit: int = Field(default=50, ge=1, le=200)


def _agent(request: HttpRequest) -> User:
    user = request.auth  # type: ignore[attr-defined]
    assert isinstance(user, User)
    return user


def _team(team_id: int | None) -> Team | None:
    if team_id is None:
        return None
    team = Team.objects.filter(pk=team_id).first()
    if team is None:
        raise DomainError(_("Unknown team."), field="team_id")
    return team


def _assignee(user_id: int | None) -> User | None:
    if user_id is None:
        return None
    user = User.objects.filter(pk=user_id, is_active=True).exclude(role=Role.CUSTOMER).first()
    if user is None:
        raise DomainError(_("Unknown agent."), field="assignee_id")
    return user


def _attachments(items: list[AttachmentIn]) -> list[services.NewAttachment]:
    result = []
    for index, item in enumerate(items):
        try:
            data = base64.b64decode(item.content_base64, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise DomainError(
                _("The attachment is not valid base64."),
                field=f"attachments.{index}.content_base64",
            ) from exc
        result.append(services.NewAttachment(filename=item.filename, data=data))
    return result


@router.get("", response=TicketPage, summary="List tickets the caller may see")
def list_tickets(request: HttpRequest, query: Query[TicketListQuery]) -> dict[str, object]:
    filters = selectors.TicketFilters(
        status=list(query.status),
        priority=query.priority,
        team_id=query.team_id,
        no_team=query.no_team,
        assignee_id=query.assignee_id,
        unassigned=query.unassigned,
        contact_id=query.contact_id,
        organization_id=query.organization_id,
        channel=query.channel,
        tag=query.tag,
        created_after=query.created_after,
        created_before=query.created_before,
        updated_after=query.updated_after,
        updated_before=query.updated_before,
        text=query.q,
    )
    items, next_cursor = selectors.ticket_page_for_agent(
        agent=_agent(request),
        filters=filters,
        order=query.order,
        cursor=query.cursor,
        limit=query.limit,
    )
    return {"items": items, "next_cursor": next_cursor}


@router.post("", response={201: TicketOut}, summary="Create a ticket")
def create_ticket(request: HttpRequest, payload: TicketCreateIn) -> Status[object]:
    agent = _agent(request)
    if (payload.contact_id is None) == (payload.contact is None):
        raise DomainError(_("Give either contact_id or contact."), field="contact_id")
    if payload.contact_id is not None:
        contact = Contact.objects.filter(pk=payload.contact_id, merged_into__isnull=True).first()
        if contact is None:
            raise DomainError(_("Unknown contact."), field="contact_id")
    else:
        assert payload.contact is not None
        if payload.contact.email:
            kind, value = IdentityKind.EMAIL, payload.contact.email
        elif payload.contact.phone:
            kind, value = IdentityKind.PHONE, payload.contact.phone
        else:
            raise DomainError(_("Give the contact an email or a phone."), field="contact.email")
        contact = contact_get_or_create_by_identity(
            kind=kind, value=value, name=payload.contact.name
        )
    team = _team(payload.team_id)
    if team is not None and not agent.sees_all_tickets and team.pk not in _team_ids(agent):
        raise DomainError(_("Unknown team."), field="team_id")
    ticket = services.ticket_create(
        contact=contact,
        subject=payload.subject,
        channel=payload.channel,
        actor=Actor.of_agent(agent),
        body_text=payload.body_text,
        body_html=payload.body_html,
        is_internal=payload.is_internal,
        priority=payload.priority,
        team=team,
        assignee=_assignee(payload.assignee_id),
        tags=payload.tags,
        custom_fields=payload.custom_fields,
        language=payload.language,
        client_id=payload.client_id,
        attachments=_attachments(payload.attachments),
    )
    return Status(201, selectors.ticket_get_for_agent(agent=agent, ticket_id=ticket.pk))


def _team_ids(agent: User) -> list[int]:
    from amparo.accounts.selectors import team_ids_for

    return team_ids_for(agent)


@router.get("/{int:ticket_id}", response=TicketOut, summary="Read a ticket")
def get_ticket(request: HttpRequest, ticket_id: int) -> object:
    return selectors.ticket_get_for_agent(agent=_agent(request), ticket_id=ticket_id)


@router.patch("/{int:ticket_id}", response=TicketOut, summary="Change a ticket")
def update_ticket(request: HttpRequest, ticket_id: int, payload: TicketUpdateIn) -> object:
    agent = _agent(request)
    ticket = selectors.ticket_get_for_agent(agent=agent, ticket_id=ticket_id)
    given = payload.model_fields_set
    changes: dict[str, object] = {}
    for name in ("subject", "status", "priority", "custom_fields", "language"):
        if name in given:
            value = getattr(payload, name)
            if value is None:
                raise DomainError(_("This field cannot be null."), field=name)
            changes[name] = value
    if "team_id" in given:
        changes["team"] = _team(payload.team_id)
    if "assignee_id" in given:
        changes["assignee"] = _assignee(payload.assignee_id)
    actor = Actor.of_agent(agent)
    services.ticket_update(ticket=ticket, actor=actor, **changes)
    if payload.add_tags or payload.remove_tags:
        services.ticket_set_tags(
            ticket=ticket, actor=actor, add=payload.add_tags, remove=payload.remove_tags
        )
    try:
        return selectors.ticket_get_for_agent(agent=agent, ticket_id=ticket_id)
    except NotFound:
        # The change moved the ticket out of the agent's sight (another team): say so plainly.
        raise DomainError(
            _("Saved; the ticket is no longer visible to you."), code="moved_away"
        ) from None


def _add_message(
    request: HttpRequest, ticket_id: int, payload: MessageIn, *, internal: bool
) -> object:
    agent = _agent(request)
    ticket = selectors.ticket_get_for_agent(agent=agent, ticket_id=ticket_id)
    return services.message_add(
        ticket=ticket,
        actor=Actor.of_agent(agent),
        body_text=payload.body_text,
        body_html=payload.body_html,
        is_internal=internal,
        client_id=payload.client_id,
        attachments=_attachments(payload.attachments),
    )


@router.post(
    "/{int:ticket_id}/reply",
    response={201: MessageOut},
    summary="Reply to the customer through the ticket's channel",
)
def reply(request: HttpRequest, ticket_id: int, payload: MessageIn) -> Status[object]:
    return Status(201, _add_message(request, ticket_id, payload, internal=False))


@router.post("/{int:ticket_id}/note", response={201: MessageOut}, summary="Add an internal note")
def note(request: HttpRequest, ticket_id: int, payload: MessageIn) -> Status[object]:
    return Status(201, _add_message(request, ticket_id, payload, internal=True))


@router.get("/{int:ticket_id}/messages", response=MessagePage, summary="A ticket's messages")
def messages(
    request: HttpRequest, ticket_id: int, cursor: str | None = None, limit: int = 50
) -> dict[str, object]:
    ticket = selectors.ticket_get_for_agent(agent=_agent(request), ticket_id=ticket_id)
    qs = selectors.message_list(ticket=ticket, include_internal=True)
    items, next_cursor = keyset_page(qs, order="created_at", cursor=cursor, limit=limit)
    return {"items": items, "next_cursor": next_cursor}


@router.get("/{int:ticket_id}/events", response=EventPage, summary="A ticket's timeline events")
def events(
    request: HttpRequest, ticket_id: int, cursor: str | None = None, limit: int = 50
) -> dict[str, object]:
    ticket = selectors.ticket_get_for_agent(agent=_agent(request), ticket_id=ticket_id)
    items, next_cursor = keyset_page(
        selectors.event_list(ticket=ticket), order="created_at", cursor=cursor, limit=limit
    )
    return {"items": items, "next_cursor": next_cursor}


@router.post("/{int:ticket_id}/merge", response=TicketOut, summary="Merge this ticket into another")
def merge(request: HttpRequest, ticket_id: int, payload: MergeIn) -> object:
    agent = _agent(request)
    source = selectors.ticket_get_for_agent(agent=agent, ticket_id=ticket_id)
    try:
        target = selectors.ticket_get_for_agent(agent=agent, ticket_id=payload.target_id)
    except NotFound:
        raise DomainError(_("Unknown target ticket."), field="target_id") from None
    services.ticket_merge(source=source, target=target, actor=Actor.of_agent(agent))
    return selectors.ticket_get_for_agent(agent=agent, ticket_id=target.pk)


@router.post("/{int:ticket_id}/followers", response={204: None}, summary="Follow or unfollow")
def followers(request: HttpRequest, ticket_id: int, payload: FollowIn) -> Status[None]:
    agent = _agent(request)
    ticket = selectors.ticket_get_for_agent(agent=agent, ticket_id=ticket_id)
    follower = _assignee(payload.agent_id)
    if follower is None:
        raise DomainError(_("Unknown agent."), field="agent_id")
    services.ticket_follow(
        ticket=ticket, actor=Actor.of_agent(agent), agent=follower, follow=payload.follow
    )
    return Status(204, None)


@tags_router.get("", response=list[TagOut], summary="All tags")
def list_tags(request: HttpRequest) -> object:
    return Tag.objects.order_by("name")[:1000]
