"""Validation of custom field values against their definitions."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils.translation import gettext as _

from amparo.core.errors import DomainError
from amparo.core.models import CustomFieldDefinition, CustomFieldType


class Required:
    """Which required fields must hold a value once ``values`` are applied."""

    ALL = "all"  # an agent, who sees every field
    CUSTOMER = "customer"  # a customer, who only sees the fields shown to customers
    NONE = "none"  # a channel or the system: nobody could have filled them in


def clean_custom_fields(
    *,
    target: str,
    values: dict[str, Any],
    current: dict[str, Any] | None = None,
    required: str = Required.ALL,
) -> dict[str, Any]:
    """Returns ``current`` updated with ``values``, each checked and coerced to its type.

    A value of None removes the field. Unknown keys and wrong types raise DomainError naming
    the field, so the API and forms can point at it. A required field can never be cleared;
    whether missing required fields are an error depends on who is writing (``required``):
    a ticket that arrives by email must never be refused for a field only agents know.
    """
    definitions = {d.key: d for d in CustomFieldDefinition.objects.filter(target=target)}
    result = dict(current or {})
    for key, value in values.items():
        definition = definitions.get(key)
        field = f"custom_fields.{key}"
        if definition is None:
            raise DomainError(_("Unknown custom field “%(key)s”.") % {"key": key}, field=field)
        if value is None or value == "":
            if definition.required:
                raise DomainError(_("This field is required."), field=field)
            result.pop(key, None)
            continue
        result[key] = _coerce(definition, value, field)
    for key, definition in definitions.items():
        if not definition.required or key in result or current is None:
            continue
        if required == Required.ALL or (
            required == Required.CUSTOMER and definition.visible_to_customers
        ):
            raise DomainError(_("This field is required."), field=f"custom_fields.{key}")
    return result


def _coerce(definition: CustomFieldDefinition, value: Any, field: str) -> Any:
    kind = definition.field_type
    if kind == CustomFieldType.TEXT:
        if not isinstance(value, str) or len(value) > 2000:
            raise DomainError(_("Enter text of at most 2000 characters."), field=field)
        return value
    if kind == CustomFieldType.NUMBER:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise DomainError(_("Enter a number."), field=field)
        return value
    if kind == CustomFieldType.BOOLEAN:
        if not isinstance(value, bool):
            raise DomainError(_("Enter true or false."), field=field)
        return value
    if kind == CustomFieldType.DATE:
        try:
            return datetime.date.fromisoformat(str(value)).isoformat()
        except ValueError as exc:
            raise DomainError(_("Enter a date as YYYY-MM-DD."), field=field) from exc
    if kind == CustomFieldType.CHOICE:
        if value not in definition.choices:
            raise DomainError(_("Choose one of the listed options."), field=field)
        return value
    raise DomainError(_("Unsupported field type."), field=field)
