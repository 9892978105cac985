"""API input and output schemas of tickets and messages."""

from __future__ import annotations

import datetime
from typing import Any, Literal

from ninja import Schema
from pydantic import ConfigDict, Field


class StrictIn(Schema):
    model_config = ConfigDict(extra="forbid")


class ContactRefOut(Schema):
    id: int
    name: str


class TicketOut(Schema):
    id: int
    number: int
    subject: str
    status: str
    priority: int
    channel: str
    contact: ContactRefOut
    organization_id: int | None
    team_id: int | None
    assignee_id: int | None
    tags: list[str]
    custom_fields: dict[str, Any]
    language: str
    message_count: int
    merged_into_id: int | None
    created_at: datetime.datetime
    updated_at: datetime.datetime
    first_response_at: datetime.datetime | None
    last_message_at: datetime.datetime | None
    solved_at: datetime.datetime | None
    closed_at: datetime.datetime | None

    @staticmethod
    def resolve_tags(obj: Any) -> list[str]:
        return [t.name for t in obj.tags.all()]

    @staticmethod
    def resolve_contact(obj: Any) -> dict[str, Any]:
        return {"id": obj.contact_id, "name": str(obj.contact)}


class TicketPage(Schema):
    items: list[TicketOut]
    next_cursor: str | None


class AttachmentIn(StrictIn):
    filename: str = Field(min_length=1, max_length=255)
    content_base64: str = Field(min_length=1)


class NewContactIn(StrictIn):
    name: str = Field(default="", max_length=200)
    email: str | None = Field(default=None, max_length=320)
    phone: str | None = Field(default=None, max_length=40)


class TicketCreateIn(StrictIn):
    subject: str = Field(min_length=1, max_length=250)
    contact_id: int | None = None
    contact: NewContactIn | None = None
    body_text: str = Field(default="", max_length=200_000)
    body_html: str = Field(default="", max_length=500_000)
    is_internal: bool = False
    channel: str = "api"
    priority: int = 2
    team_id: int | None = None
    assignee_id: int | None = None
    tags: list[str] = Field(default_factory=list, max_length=50)
    custom_fields: dict[str, Any] = Field(default_factory=dict)
    language: str = Field(default="", max_length=8)
    client_id: str = Field(default="", max_length=100)
    attachments: list[AttachmentIn] = Field(default_factory=list, max_length=20)


class TicketUpdateIn(StrictIn):
    subject: str | None = Field(default=None, min_length=1, max_length=250)
    status: Literal["new", "open", "pending", "on_hold", "solved", "closed"] | None = None
    priority: int | None = Field(default=None, ge=1, le=4)
    team_id: int | None = None
    assignee_id: int | None = None
    custom_fields: dict[str, Any] | None = None
    language: str | None = Field(default=None, max_length=8)
    add_tags: list[str] = Field(default_factory=list, max_length=50)
    remove_tags: list[str] = Field(default_factory=list, max_length=50)


class MessageIn(StrictIn):
    body_text: str = Field(default="", max_length=200_000)
    body_html: str = Field(default="", max_length=500_000)
    client_id: str = Field(default="", max_length=100)
    attachments: list[AttachmentIn] = Field(default_factory=list, max_length=20)


class AttachmentOut(Schema):
    id: int
    filename: str
    content_type: str
    size: int
    url: str

    @staticmethod
    def resolve_url(obj: Any) -> str:
        return f"/attachments/{obj.pk}/"


class MessageOut(Schema):
    id: int
    ticket_id: int
    author_kind: str
    author_agent_id: int | None
    author_contact_id: int | None
    author_name: str
    is_internal: bool
    channel: str
    body_text: str
    body_html: str
    delivery_status: str
    delivery_error: str
    client_id: str
    created_at: datetime.datetime
    attachments: list[AttachmentOut]

    @staticmethod
    def resolve_attachments(obj: Any) -> list[Any]:
        return list(obj.attachments.all())


class MessagePage(Schema):
    items: list[MessageOut]
    next_cursor: str | None


class EventOut(Schema):
    id: int
    kind: str
    actor_kind: str
    actor_agent_id: int | None
    actor_contact_id: int | None
    data: dict[str, Any]
    created_at: datetime.datetime


class EventPage(Schema):
    items: list[EventOut]
    next_cursor: str | None


class MergeIn(StrictIn):
    target_id: int


class FollowIn(StrictIn):
    agent_id: int
    follow: bool = True


class TagOut(Schema):
    id: int
    name: str
    color: str
