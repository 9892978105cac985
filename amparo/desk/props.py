"""One inline change on the ticket page (status, priority, team, assignee, tags, a custom
field), parsed from a form post and handed to the ticket services."""

from __future__ import annotations

import re
from typing import Any

from django.utils.translation import gettext as _

from amparo.accounts.models import User
from amparo.accounts.selectors import agent_list, team_list
from amparo.core.actors import Actor
from amparo.core.errors import DomainError
from amparo.core.models import CustomFieldDefinition, CustomFieldTarget, CustomFieldType
from amparo.tickets import services
from amparo.tickets.models import Priority, Status, Ticket

CF_PREFIX = "cf_"


def apply_field_change(*, agent: User, ticket: Ticket, field: str, value: str) -> Ticket:
    actor = Actor.of_agent(agent)
    value = value.strip()
    if field == "status":
        if value not in Status.values:
            raise DomainError(_("Choose a status from the list."), field=field)
        return services.ticket_update(ticket=ticket, actor=actor, status=value)
    if field == "priority":
        if not value.isdigit() or int(value) not in Priority.values:
            raise DomainError(_("Choose a priority from the list."), field=field)
        return services.ticket_update(ticket=ticket, actor=actor, priority=int(value))
    if field == "team":
        team = None
        if value:
            team = team_list(viewer=agent).filter(pk=_int(value, field)).first()
            if team is None:
                raise DomainError(_("Choose a team from the list."), field=field)
        return services.ticket_update(ticket=ticket, actor=actor, team=team)
    if field == "assignee":
        assignee = None
        if value:
            assignee = agent_list(viewer=agent).filter(pk=_int(value, field)).first()
            if assignee is None:
                raise DomainError(_("Choose an agent from the list."), field=field)
        return services.ticket_update(ticket=ticket, actor=actor, assignee=assignee)
    if field == "tags":
        wanted = [t for t in re.split(r"[\s,]+", value.lower()) if t]
        if len(wanted) > 30:
            raise DomainError(_("Use at most 30 tags."), field=field)
        current = [t.name for t in ticket.tags.all()]
        services.ticket_set_tags(
            ticket=ticket,
            actor=actor,
            add=[t for t in wanted if t not in current],
            remove=[t for t in current if t not in wanted],
        )
        return ticket
    if field.startswith(CF_PREFIX):
        key = field[len(CF_PREFIX) :]
        definition = CustomFieldDefinition.objects.filter(
            target=CustomFieldTarget.TICKET, key=key
        ).first()
        if definition is None:
            raise DomainError(_("Unknown field."), field=field)
        return services.ticket_update(
            ticket=ticket, actor=actor, custom_fields={key: _typed(definition, value, field)}
        )
    raise DomainError(_("Unknown field."), field=field)


def _int(value: str, field: str) -> int:
    if not value.isdigit():
        raise DomainError(_("Choose a value from the list."), field=field)
    return int(value)


def _typed(definition: CustomFieldDefinition, value: str, field: str) -> Any:
    """Form posts are strings; the custom-field validator wants the real type."""
    if value == "":
        return None
    if definition.field_type == CustomFieldType.NUMBER:
        try:
            number = float(value.replace(",", "."))
        except ValueError as exc:
            raise DomainError(_("Enter a number."), field=field) from exc
        return int(number) if number.is_integer() else number
    if definition.field_type == CustomFieldType.BOOLEAN:
        if value not in ("true", "false"):
            raise DomainError(_("Choose yes or no."), field=field)
        return value == "true"
    return value
