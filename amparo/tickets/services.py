"""Writes to tickets. Every change writes a timeline event and notifies on commit."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from amparo.accounts.models import Team, User
from amparo.core.actors import Actor
from amparo.core.customfields import Required, clean_custom_fields
from amparo.core.errors import Conflict, DomainError
from amparo.core.html import html_to_text, sanitize_html, text_to_html
from amparo.core.models import CustomFieldTarget
from amparo.crm.models import Contact
from amparo.tickets import notify
from amparo.tickets.delivery import sender_for
from amparo.tickets.files import attachment_store
from amparo.tickets.models import (
    OPEN_STATUSES,
    AuthorKind,
    Channel,
    DeliveryStatus,
    EventKind,
    Message,
    Priority,
    Status,
    Tag,
    Ticket,
    TicketEvent,
)

UNSET: Any = object()
MAX_BODY_CHARS = 200_000


@dataclass(frozen=True)
class NewAttachment:
    filename: str
    data: bytes
    content_id: str = ""
    is_inline: bool = False


def _event(ticket: Ticket, kind: str, actor: Actor, data: dict[str, Any] | None = None) -> None:
    TicketEvent.objects.create(
        ticket=ticket,
        kind=kind,
        actor_kind=actor.kind,
        actor_agent=actor.agent,
        actor_contact=actor.contact,
        data=data or {},
    )


def _check_agent(user: User | None, field: str) -> None:
    if user is not None and (not user.is_agent or not user.is_active):
        raise DomainError(_("Only active agents can be assigned."), field=field)


def _clean_subject(subject: str) -> str:
    subject = " ".join((subject or "").split())
    if not subject:
        raise DomainError(_("This field is required."), field="subject")
    return subject[:250]


def _clean_body(body_text: str, body_html: str) -> tuple[str, str]:
    clean_html = sanitize_html(body_html) if body_html else ""
    text = body_text or (html_to_text(clean_html) if clean_html else "")
    if not text.strip() and not clean_html:
        raise DomainError(_("The message is empty."), field="body")
    if len(text) > MAX_BODY_CHARS:
        raise DomainError(_("The message is too long."), field="body")
    return text, clean_html or text_to_html(text)


def _tags_by_name(names: list[str]) -> list[Tag]:
    tags = []
    for raw in names:
        name = "-".join(raw.strip().lower().split())[:50]
        if not name:
            continue
        tag, _created = Tag.objects.get_or_create(name=name)
        tags.append(tag)
    return tags


@transaction.atomic
def ticket_create(
    *,
    contact: Contact,
    subject: str,
    channel: str,
    actor: Actor,
    body_text: str = "",
    body_html: str = "",
    is_internal: bool = False,
    priority: int = Priority.NORMAL,
    team: Team | None = None,
    assignee: User | None = None,
    tags: list[str] | None = None,
    custom_fields: dict[str, Any] | None = None,
    language: str = "",
    external_id: str = "",
    client_id: str = "",
    channel_meta: dict[str, Any] | None = None,
    attachments: list[NewAttachment] | None = None,
    required_fields: str | None = None,
) -> Ticket:
    """A new ticket with its first message (from the customer, or an agent on their behalf).

    ``required_fields`` says which required custom fields must be given (core.customfields
    .Required); by default an agent must give them all and a channel none of them.
    """
    if channel not in Channel.values:
        raise DomainError(_("Unknown channel."), field="channel")
    if priority not in Priority.values:
        raise DomainError(_("Unknown priority."), field="priority")
    if contact.merged_into_id:
        raise DomainError(_("This contact was merged into another."), field="contact")
    _check_agent(assignee, "assignee")
    ticket = Ticket.objects.create(
        subject=_clean_subject(subject),
        channel=channel,
        priority=priority,
        contact=contact,
        organization_id=contact.organization_id,
        team=team,
        assignee=assignee,
        language=language or contact.language,
        custom_fields=clean_custom_fields(
            target=CustomFieldTarget.TICKET,
            values=custom_fields or {},
            current={},
            required=required_fields or (Required.ALL if actor.kind == "agent" else Required.NONE),
        ),
        status=Status.OPEN if assignee else Status.NEW,
    )
    if tags:
        ticket.tags.set(_tags_by_name(tags))
    _event(ticket, EventKind.CREATED, actor, {"channel": channel})
    notify.ticket_changed(ticket, "ticket.created")
    if body_text or body_html or attachments:
        message_add(
            ticket=ticket,
            actor=actor,
            body_text=body_text,
            body_html=body_html,
            is_internal=is_internal,
            channel=channel,
            external_id=external_id,
            client_id=client_id,
            channel_meta=channel_meta,
            attachments=attachments,
            _new_ticket=True,
        )
    return ticket


def message_find_duplicate(
    *, ticket: Ticket | None, channel: str, external_id: str = "", client_id: str = ""
) -> Message | None:
    if external_id:
        found = Message.objects.filter(channel=channel, external_id=external_id).first()
        if found:
            return found
    if client_id and ticket is not None:
        return Message.objects.filter(ticket=ticket, client_id=client_id).first()
    return None


@transaction.atomic
def message_add(
    *,
    ticket: Ticket,
    actor: Actor,
    body_text: str = "",
    body_html: str = "",
    is_internal: bool = False,
    channel: str | None = None,
    external_id: str = "",
    client_id: str = "",
    channel_meta: dict[str, Any] | None = None,
    attachments: list[NewAttachment] | None = None,
    _new_ticket: bool = False,
) -> Message:
    """A reply or internal note. Idempotent: the same external or client id returns the first.

    A customer writing on a solved ticket reopens it; on a closed one, the message starts a
    follow-up ticket, since a closed ticket is final.
    """
    channel = channel or ticket.channel
    duplicate = message_find_duplicate(
        ticket=ticket, channel=channel, external_id=external_id, client_id=client_id
    )
    if duplicate is not None:
        return duplicate
    # Lock and re-read: the caller's copy may be stale, and replies to one ticket serialize here.
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    if actor.kind == AuthorKind.CONTACT and is_internal:
        raise DomainError(_("Customers cannot write internal notes."), field="is_internal")
    if actor.kind == AuthorKind.CONTACT and ticket.status == Status.CLOSED:
        assert actor.contact is not None
        followup = ticket_create(
            contact=actor.contact,
            subject=ticket.subject,
            channel=channel,
            actor=actor,
            language=ticket.language,
        )
        _event(followup, EventKind.CREATED, Actor.system(), {"follow_up_of": ticket.pk})
        ticket = followup
    if ticket.merged_into_id:
        ticket = Ticket.objects.get(pk=ticket.merged_into_id)
    text, html = _clean_body(body_text, body_html) if (body_text or body_html) else ("", "")
    if not text and not attachments:
        raise DomainError(_("The message is empty."), field="body")
    sender = None if (is_internal or actor.kind == AuthorKind.CONTACT) else sender_for(channel)
    try:
        with transaction.atomic():
            message = Message.objects.create(
                ticket=ticket,
                author_kind=actor.kind,
                author_agent=actor.agent,
                author_contact=actor.contact,
                is_internal=is_internal,
                channel=channel,
                body_text=text,
                body_html=html,
                channel_meta=channel_meta or {},
                external_id=external_id[:500],
                client_id=client_id[:100],
                delivery_status=(
                    DeliveryStatus.RECEIVED
                    if actor.kind == AuthorKind.CONTACT
                    else DeliveryStatus.QUEUED
                    if sender
                    else DeliveryStatus.NONE
                ),
            )
    except IntegrityError as exc:
        # A concurrent delivery of the same message won the race: return its row.
        duplicate = message_find_duplicate(
            ticket=ticket, channel=channel, external_id=external_id, client_id=client_id
        )
        if duplicate is None:
            raise Conflict(_("The message could not be stored; try again.")) from exc
        return duplicate
    for item in attachments or []:
        attachment_store(
            ticket=ticket,
            message=message,
            filename=item.filename,
            data=item.data,
            content_id=item.content_id,
            is_inline=item.is_inline,
        )
    _apply_message_to_ticket(ticket, message, actor, new_ticket=_new_ticket)
    _event(
        ticket,
        EventKind.NOTE if is_internal else EventKind.MESSAGE,
        actor,
        {"message_id": message.pk},
    )
    notify.message_created(message)
    if sender is not None:
        sender(message.pk)
    return message


def _apply_message_to_ticket(
    ticket: Ticket, message: Message, actor: Actor, *, new_ticket: bool
) -> None:
    now = message.created_at
    fields: dict[str, Any] = {"message_count": F("message_count") + 1, "updated_at": now}
    if not message.is_internal:
        fields["last_message_at"] = now
    old_status = ticket.status
    new_status = old_status
    if actor.kind == AuthorKind.CONTACT:
        fields["last_customer_message_at"] = now
        if old_status in (Status.PENDING, Status.SOLVED, Status.ON_HOLD) and not new_ticket:
            new_status = Status.OPEN
    elif actor.kind == AuthorKind.AGENT and not message.is_internal:
        if ticket.first_response_at is None and not new_ticket:
            fields["first_response_at"] = now
            ticket.first_response_at = now
        if old_status == Status.NEW and not new_ticket:
            new_status = Status.OPEN
    if new_status != old_status:
        fields["status"] = new_status
        if old_status == Status.SOLVED:
            fields["solved_at"] = None
    Ticket.objects.filter(pk=ticket.pk).update(**fields)
    ticket.refresh_from_db(
        fields=[
            "message_count",
            "updated_at",
            "last_message_at",
            "last_customer_message_at",
            "status",
            "solved_at",
        ]
    )
    if new_status != old_status:
        _event(
            ticket,
            EventKind.STATUS,
            Actor.system() if actor.kind == AuthorKind.CONTACT else actor,
            {"from": old_status, "to": new_status},
        )
        notify.ticket_changed(
            ticket, "ticket.updated", {"changes": {"status": [old_status, new_status]}}
        )


@transaction.atomic
def ticket_update(
    *,
    ticket: Ticket,
    actor: Actor,
    subject: Any = UNSET,
    status: Any = UNSET,
    priority: Any = UNSET,
    team: Any = UNSET,
    assignee: Any = UNSET,
    custom_fields: Any = UNSET,
    language: Any = UNSET,
) -> Ticket:
    """Changes the given fields; each change is one timeline event. Unchanged fields write nothing."""
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    if ticket.merged_into_id:
        raise Conflict(_("This ticket was merged into another."), field="ticket")
    changes: dict[str, list[Any]] = {}
    previous_team_id, previous_assignee_id = ticket.team_id, ticket.assignee_id
    if subject is not UNSET:
        subject = _clean_subject(subject)
        if subject != ticket.subject:
            _event(ticket, EventKind.SUBJECT, actor, {"from": ticket.subject, "to": subject})
            changes["subject"] = [ticket.subject, subject]
            ticket.subject = subject
    if status is not UNSET and status != ticket.status:
        if status not in Status.values:
            raise DomainError(_("Unknown status."), field="status")
        changes["status"] = [ticket.status, status]
        _set_status(ticket, status, actor)
    if priority is not UNSET and priority != ticket.priority:
        if priority not in Priority.values:
            raise DomainError(_("Unknown priority."), field="priority")
        _event(ticket, EventKind.PRIORITY, actor, {"from": ticket.priority, "to": priority})
        changes["priority"] = [ticket.priority, priority]
        ticket.priority = priority
    if team is not UNSET and (team.pk if team else None) != ticket.team_id:
        _event(
            ticket,
            EventKind.TEAM,
            actor,
            {
                "from": ticket.team_id,
                "to": team.pk if team else None,
                "to_name": team.name if team else "",
            },
        )
        changes["team"] = [ticket.team_id, team.pk if team else None]
        ticket.team = team
    if assignee is not UNSET and (assignee.pk if assignee else None) != ticket.assignee_id:
        _check_agent(assignee, "assignee")
        _event(
            ticket,
            EventKind.ASSIGNEE,
            actor,
            {
                "from": ticket.assignee_id,
                "to": assignee.pk if assignee else None,
                "to_name": str(assignee) if assignee else "",
            },
        )
        changes["assignee"] = [ticket.assignee_id, assignee.pk if assignee else None]
        ticket.assignee = assignee
        if assignee and ticket.status == Status.NEW:
            changes.setdefault("status", [Status.NEW, Status.OPEN])
            _set_status(ticket, Status.OPEN, actor)
    if custom_fields is not UNSET:
        cleaned = clean_custom_fields(
            target=CustomFieldTarget.TICKET,
            values=custom_fields,
            current=ticket.custom_fields,
            required=_required_for(actor),
        )
        if cleaned != ticket.custom_fields:
            _event(ticket, EventKind.FIELDS, actor, {"from": ticket.custom_fields, "to": cleaned})
            changes["custom_fields"] = [ticket.custom_fields, cleaned]
            ticket.custom_fields = cleaned
    if language is not UNSET and language != ticket.language:
        changes["language"] = [ticket.language, language]
        ticket.language = language
    if changes:
        ticket.save()
        notify.ticket_changed(
            ticket,
            "ticket.updated",
            {"changes": changes},
            previous_team_id=previous_team_id,
            previous_assignee_id=previous_assignee_id,
        )
    return ticket


def _set_status(ticket: Ticket, status: str, actor: Actor) -> None:
    now = timezone.now()
    _event(ticket, EventKind.STATUS, actor, {"from": ticket.status, "to": status})
    if status == Status.SOLVED:
        ticket.solved_at = now
    elif status == Status.CLOSED:
        ticket.closed_at = now
        ticket.solved_at = ticket.solved_at or now
    elif status in OPEN_STATUSES:
        ticket.solved_at = None
        ticket.closed_at = None
    ticket.status = status


@transaction.atomic
def ticket_set_tags(
    *, ticket: Ticket, actor: Actor, add: list[str] | None = None, remove: list[str] | None = None
) -> list[str]:
    before = sorted(ticket.tags.values_list("name", flat=True))
    to_add = _tags_by_name(add or [])
    if to_add:
        ticket.tags.add(*to_add)
    if remove:
        ticket.tags.remove(*Tag.objects.filter(name__in=[r.strip().lower() for r in remove]))
    after = sorted(ticket.tags.values_list("name", flat=True))
    if after != before:
        _event(ticket, EventKind.TAGS, actor, {"from": before, "to": after})
        Ticket.objects.filter(pk=ticket.pk).update(updated_at=timezone.now())
        ticket.refresh_from_db(fields=["updated_at"])
        notify.ticket_changed(ticket, "ticket.updated", {"changes": {"tags": [before, after]}})
    return after


@transaction.atomic
def ticket_follow(*, ticket: Ticket, actor: Actor, agent: User, follow: bool = True) -> None:
    _check_agent(agent, "agent")
    present = ticket.follower_agents.filter(pk=agent.pk).exists()
    if follow and not present:
        ticket.follower_agents.add(agent)
    elif not follow and present:
        ticket.follower_agents.remove(agent)
    else:
        return
    _event(ticket, EventKind.FOLLOWERS, actor, {"agent_id": agent.pk, "following": follow})


@transaction.atomic
def ticket_add_contact_follower(*, ticket: Ticket, actor: Actor, contact: Contact) -> None:
    if contact.pk == ticket.contact_id or ticket.follower_contacts.filter(pk=contact.pk).exists():
        return
    ticket.follower_contacts.add(contact)
    _event(ticket, EventKind.FOLLOWERS, actor, {"contact_id": contact.pk, "following": True})


@transaction.atomic
def ticket_merge(*, source: Ticket, target: Ticket, actor: Actor) -> Ticket:
    """Moves the messages of ``source`` into ``target`` and closes ``source`` pointing at it."""
    if source.pk == target.pk:
        raise DomainError(_("A ticket cannot be merged into itself."), field="target")
    locked = {
        t.pk: t for t in Ticket.objects.select_for_update().filter(pk__in=[source.pk, target.pk])
    }
    source, target = locked[source.pk], locked[target.pk]
    if source.merged_into_id or target.merged_into_id:
        raise Conflict(_("One of these tickets was already merged."), field="target")
    moved = Message.objects.filter(ticket=source).update(ticket=target)
    source.attachments.update(ticket=target)
    target.tags.add(*source.tags.all())
    target.follower_agents.add(*source.follower_agents.all())
    target.follower_contacts.add(*source.follower_contacts.exclude(pk=target.contact_id))
    if source.contact_id != target.contact_id:
        target.follower_contacts.add(source.contact)
    Ticket.objects.filter(pk=target.pk).update(
        message_count=F("message_count") + moved, updated_at=timezone.now()
    )
    _event(target, EventKind.MERGED_IN, actor, {"source_id": source.pk, "messages": moved})
    _event(source, EventKind.MERGED, actor, {"target_id": target.pk})
    if source.status != Status.CLOSED:
        _set_status(source, Status.CLOSED, actor)
    source.merged_into = target
    source.message_count = 0
    source.save()
    target.refresh_from_db()
    notify.ticket_changed(source, "ticket.merged", {"target_id": target.pk})
    notify.ticket_changed(target, "ticket.updated", {"changes": {"merged_from": source.pk}})
    return target


@transaction.atomic
def message_set_delivery(*, message: Message, status: str, error: str = "") -> Message:
    """Records what a channel learnt about delivery (sent, failed with reason, bounced)."""
    if status not in DeliveryStatus.values:
        raise DomainError(_("Unknown delivery status."), field="status")
    if message.delivery_status == status and message.delivery_error == error:
        return message
    previous = message.delivery_status
    message.delivery_status = status
    message.delivery_error = error[:2000]
    message.save(update_fields=["delivery_status", "delivery_error"])
    _event(
        message.ticket,
        EventKind.DELIVERY,
        Actor.system(),
        {"message_id": message.pk, "from": previous, "to": status, "error": error[:500]},
    )
    notify.ticket_changed(
        message.ticket, "message.delivery", {"message_id": message.pk, "delivery_status": status}
    )
    return message


@transaction.atomic
def tickets_move_contact(*, source: Contact, target: Contact, actor: Any = None) -> int:
    """Part of a contact merge: the source's tickets and messages now belong to the target."""
    moved = Ticket.objects.filter(contact=source).update(
        contact=target, organization=target.organization or source.organization
    )
    Message.objects.filter(author_contact=source).update(author_contact=target)
    return moved


# --- Bulk actions (the agent desk) ----------------------------------------------------------------

BULK_MAX = 200


def _bulk_tickets(agent: User, ticket_ids: list[int]) -> list[Ticket]:
    """The tickets, each one checked against what ``agent`` may see; any unseen id fails all."""
    from amparo.tickets.selectors import ticket_visibility_q

    ids = list(dict.fromkeys(ticket_ids))
    if not ids:
        raise DomainError(_("Select at least one ticket."), field="tickets")
    if len(ids) > BULK_MAX:
        raise DomainError(
            _("Select at most %(max)d tickets at a time.") % {"max": BULK_MAX}, field="tickets"
        )
    tickets = list(Ticket.objects.filter(ticket_visibility_q(agent), pk__in=ids).order_by("id"))
    if len(tickets) != len(ids):
        from amparo.core.errors import NotFound

        raise NotFound(_("Ticket not found."), field="tickets")
    return tickets


@transaction.atomic
def tickets_bulk_update(
    *,
    agent: User,
    ticket_ids: list[int],
    status: Any = UNSET,
    priority: Any = UNSET,
    team: Any = UNSET,
    assignee: Any = UNSET,
) -> list[Ticket]:
    """Applies the same changes to many tickets in one transaction: all succeed or none."""
    actor = Actor.of_agent(agent)
    return [
        ticket_update(
            ticket=ticket,
            actor=actor,
            status=status,
            priority=priority,
            team=team,
            assignee=assignee,
        )
        for ticket in _bulk_tickets(agent, ticket_ids)
        if not ticket.merged_into_id
    ]


@transaction.atomic
def tickets_bulk_tag(
    *,
    agent: User,
    ticket_ids: list[int],
    add: list[str] | None = None,
    remove: list[str] | None = None,
) -> int:
    """Adds and removes tags on many tickets; returns how many tickets changed."""
    if not (add or remove):
        raise DomainError(_("Enter a tag."), field="tag")
    actor = Actor.of_agent(agent)
    changed = 0
    for ticket in _bulk_tickets(agent, ticket_ids):
        before = set(ticket.tags.values_list("name", flat=True))
        after = ticket_set_tags(ticket=ticket, actor=actor, add=add, remove=remove)
        changed += set(after) != before
    return changed


@transaction.atomic
def tickets_bulk_merge(*, agent: User, ticket_ids: list[int], target_id: int) -> Ticket:
    """Merges every selected ticket (except the target itself) into the target ticket."""
    target = _bulk_tickets(agent, [target_id])[0]
    sources = [t for t in _bulk_tickets(agent, ticket_ids) if t.pk != target.pk]
    if not sources:
        raise DomainError(_("Select tickets other than the target."), field="tickets")
    actor = Actor.of_agent(agent)
    for source in sources:
        target = ticket_merge(source=source, target=target, actor=actor)
    return target


@transaction.atomic
def ticket_apply_macro(*, ticket: Ticket, agent: User, macro: Any) -> str:
    """Applies a macro's changes to the ticket and returns its reply text for the composer.

    ``macro.actions`` may hold status, priority, team_id, assignee_id ("me" for the agent
    applying it), add_tags and remove_tags. The reply itself is not sent: the agent reviews it.
    """
    from amparo.tickets.macros import macro_render
    from amparo.tickets.models import Macro

    actions = macro.actions or {}
    actor = Actor.of_agent(agent)
    changes: dict[str, Any] = {}
    if "status" in actions:
        changes["status"] = actions["status"]
    if "priority" in actions:
        changes["priority"] = actions["priority"]
    if "team_id" in actions:
        team_id = actions["team_id"]
        changes["team"] = Team.objects.filter(pk=team_id).first() if team_id else None
    if "assignee_id" in actions:
        assignee_id = actions["assignee_id"]
        changes["assignee"] = (
            agent
            if assignee_id == "me"
            else User.objects.filter(pk=assignee_id).first()
            if assignee_id
            else None
        )
    if changes:
        ticket = ticket_update(ticket=ticket, actor=actor, **changes)
    if actions.get("add_tags") or actions.get("remove_tags"):
        ticket_set_tags(
            ticket=ticket,
            actor=actor,
            add=list(actions.get("add_tags") or []),
            remove=list(actions.get("remove_tags") or []),
        )
    Macro.objects.filter(pk=macro.pk).update(usage_count=F("usage_count") + 1)
    return macro_render(macro=macro, ticket=ticket, agent=agent)


def _required_for(actor: Actor) -> str:
    """Editing fields, required ones bind whoever sees them: agents all, customers the shown."""
    if actor.kind == "agent":
        return Required.ALL
    if actor.kind == "contact":
        return Required.CUSTOMER
    return Required.NONE
