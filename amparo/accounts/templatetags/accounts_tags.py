"""Template helpers so other apps can include the availability switch as it is."""

from __future__ import annotations

from typing import Any

from django import template

from amparo.accounts.models import Availability

register = template.Library()


@register.simple_tag
def availability_choices() -> list[tuple[str, Any]]:
    return list(Availability.choices)
