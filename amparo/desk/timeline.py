"""The ticket page's timeline: messages, notes and events in one list, oldest first."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from amparo.inbox.email.display import message_body
from amparo.tickets.models import (
    Attachment,
    DeliveryStatus,
    EventKind,
    Message,
    Priority,
    Status,
    TicketEvent,
)

# Messages already appear in full; their "added" events would only repeat them.
HIDDEN_EVENTS = {EventKind.MESSAGE, EventKind.NOTE}


@dataclass
class TimelineItem:
    kind: str  # "message" or "event"
    at: Any
    message: Message | None = None
    event: TicketEvent | None = None
    text: str = ""
    safe_html: str = ""
    # Received mail: the folded quote, images waiting for the agent, the .eml, and the
    # attachments already shown in place (not listed again).
    quoted_html: str = ""
    remote_images: int = 0
    original_url: str = ""
    attachments: list[Attachment] = field(default_factory=list)


def _label(choices: Any, value: Any) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value or "—")


def describe_event(event: TicketEvent) -> str:
    data = event.data or {}
    kind = event.kind
    if kind == EventKind.CREATED:
        if data.get("follow_up_of"):
            return _("Follow-up of ticket #%(n)s") % {"n": data["follow_up_of"]}
        return _("Ticket created")
    if kind == EventKind.STATUS:
        return _("Status changed from %(old)s to %(new)s") % {
            "old": _label(Status, data.get("from")),
            "new": _label(Status, data.get("to")),
        }
    if kind == EventKind.PRIORITY:
        return _("Priority changed from %(old)s to %(new)s") % {
            "old": _label(Priority, data.get("from")),
            "new": _label(Priority, data.get("to")),
        }
    if kind == EventKind.TEAM:
        if data.get("to"):
            return _("Moved to team %(team)s") % {"team": data.get("to_name") or data["to"]}
        return _("Removed from its team")
    if kind == EventKind.ASSIGNEE:
        if data.get("to"):
            return _("Assigned to %(name)s") % {"name": data.get("to_name") or data["to"]}
        return _("Unassigned")
    if kind == EventKind.TAGS:
        return _("Tags set to %(tags)s") % {"tags": ", ".join(data.get("to") or []) or "—"}
    if kind == EventKind.FIELDS:
        return _("Custom fields changed")
    if kind == EventKind.SUBJECT:
        return _("Subject changed to “%(subject)s”") % {"subject": data.get("to", "")}
    if kind == EventKind.FOLLOWERS:
        return _("Started following") if data.get("following") else _("Stopped following")
    if kind == EventKind.CONTACT:
        return _("Customer changed")
    if kind == EventKind.MERGED:
        return _("Merged into ticket #%(n)s") % {"n": data.get("target_id")}
    if kind == EventKind.MERGED_IN:
        return _("Ticket #%(n)s merged into this one") % {"n": data.get("source_id")}
    if kind == EventKind.DELIVERY:
        text = _("Message delivery: %(status)s") % {
            "status": _label(DeliveryStatus, data.get("to"))
        }
        if data.get("error"):
            text += f" ({data['error']})"
        return text
    return _label(EventKind, kind)


def _message_item(message: Message, with_original: set[int]) -> TimelineItem:
    attachments = list(message.attachments.all())
    # Sanitized when stored; sanitized again here so a row written by any other path (an
    # import, an old version) still cannot carry active content onto the page.
    body = message_body(message, attachments)
    return TimelineItem(
        kind="message",
        at=message.created_at,
        message=message,
        safe_html=body.html,
        quoted_html=body.quoted_html,
        remote_images=body.remote_images,
        original_url=(
            reverse("inbox:message_original", args=[message.pk])
            if message.pk in with_original
            else ""
        ),
        attachments=[a for a in attachments if a.pk not in body.inline_attachment_ids],
    )


def build_timeline(
    messages: list[Message],
    events: list[TicketEvent],
    *,
    with_original: set[int] | None = None,
) -> list[TimelineItem]:
    """``with_original``: the messages whose original email the agent may download."""
    items = [_message_item(m, with_original or set()) for m in messages]
    items += [
        TimelineItem(kind="event", at=e.created_at, event=e, text=describe_event(e))
        for e in events
        if e.kind not in HIDDEN_EVENTS
    ]
    items.sort(key=lambda item: (item.at, 0 if item.kind == "event" else 1))
    return items
