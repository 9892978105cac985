"""API schemas of webhook subscriptions and deliveries."""

from __future__ import annotations

import datetime
import uuid
from typing import Annotated, Any, Literal

from ninja import Schema
from pydantic import ConfigDict, Field

EventsIn = Literal["*"] | Annotated[list[str], Field(max_length=50)]


class StrictIn(Schema):
    # Unknown fields and loosely typed values ("yes" for true, 1 for "1") are refused.
    model_config = ConfigDict(extra="forbid", strict=True)


class SubscriptionCreateIn(StrictIn):
    name: str = Field(min_length=1, max_length=100)
    url: str = Field(min_length=1, max_length=2000)
    events: EventsIn = Field(default="*", description='Event types, or "*" for every event.')
    is_active: bool = True


class SubscriptionUpdateIn(StrictIn):
    name: str | None = Field(default=None, min_length=1, max_length=100)
    url: str | None = Field(default=None, min_length=1, max_length=2000)
    events: EventsIn | None = None
    is_active: bool | None = None


class SubscriptionOut(Schema):
    id: int
    name: str
    url: str
    events: list[str]
    is_active: bool
    created_by_id: int | None
    created_at: datetime.datetime
    updated_at: datetime.datetime


class SubscriptionWithSecretOut(SubscriptionOut):
    secret: str = Field(description="Shown only now; Amparo keeps it encrypted.")


class SubscriptionPage(Schema):
    items: list[SubscriptionOut]
    next_cursor: str | None


class DeliveryOut(Schema):
    id: int
    subscription_id: int
    event_id: uuid.UUID
    event_type: str
    payload: dict[str, Any]
    occurred_at: datetime.datetime
    status: str
    attempts: int
    last_status_code: int | None
    last_error: str
    response_excerpt: str
    next_attempt_at: datetime.datetime | None
    delivered_at: datetime.datetime | None
    redelivery_of_id: int | None
    created_at: datetime.datetime


class DeliveryPage(Schema):
    items: list[DeliveryOut]
    next_cursor: str | None
