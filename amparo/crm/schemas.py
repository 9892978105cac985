"""API schemas of contacts and organizations."""

from __future__ import annotations

import datetime
from typing import Any

from ninja import Schema
from pydantic import ConfigDict, Field


class StrictIn(Schema):
    model_config = ConfigDict(extra="forbid")


class IdentityOut(Schema):
    id: int
    kind: str
    value: str
    is_primary: bool
    verified: bool
    bouncing_since: datetime.datetime | None


class IdentityIn(StrictIn):
    kind: str = Field(max_length=16)
    value: str = Field(min_length=1, max_length=320)


class ContactOut(Schema):
    id: int
    name: str
    organization_id: int | None
    language: str
    time_zone: str
    notes: str
    custom_fields: dict[str, Any]
    identities: list[IdentityOut]
    merged_into_id: int | None
    created_at: datetime.datetime
    updated_at: datetime.datetime

    @staticmethod
    def resolve_identities(obj: Any) -> list[Any]:
        return list(obj.identities.all())


class ContactPage(Schema):
    items: list[ContactOut]
    next_cursor: str | None


class ContactCreateIn(StrictIn):
    name: str = Field(default="", max_length=200)
    identities: list[IdentityIn] = Field(default_factory=list, max_length=20)
    organization_id: int | None = None
    language: str = Field(default="", max_length=8)
    time_zone: str = Field(default="", max_length=64)
    notes: str = Field(default="", max_length=10_000)
    custom_fields: dict[str, Any] = Field(default_factory=dict)


class ContactUpdateIn(StrictIn):
    name: str | None = Field(default=None, max_length=200)
    organization_id: int | None = None
    language: str | None = Field(default=None, max_length=8)
    time_zone: str | None = Field(default=None, max_length=64)
    notes: str | None = Field(default=None, max_length=10_000)
    custom_fields: dict[str, Any] | None = None


class ContactMergeIn(StrictIn):
    target_id: int


class OrganizationOut(Schema):
    id: int
    name: str
    domains: list[str]
    notes: str
    custom_fields: dict[str, Any]
    shares_tickets: bool
    created_at: datetime.datetime


class OrganizationPage(Schema):
    items: list[OrganizationOut]
    next_cursor: str | None


class OrganizationIn(StrictIn):
    name: str = Field(min_length=1, max_length=200)
    domains: list[str] = Field(default_factory=list, max_length=50)
    notes: str = Field(default="", max_length=10_000)
    custom_fields: dict[str, Any] = Field(default_factory=dict)
    shares_tickets: bool = False


class OrganizationUpdateIn(StrictIn):
    name: str | None = Field(default=None, min_length=1, max_length=200)
    domains: list[str] | None = Field(default=None, max_length=50)
    notes: str | None = Field(default=None, max_length=10_000)
    custom_fields: dict[str, Any] | None = None
    shares_tickets: bool | None = None
