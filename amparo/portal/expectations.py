"""When a customer may expect an answer. Until SLA policies exist, one setting per priority."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from amparo.tickets.models import Priority


def parse_hours(raw: str) -> dict[int, int]:
    """``"urgent=2,high=8,normal=24,low=48"`` or ``"24"`` (every priority) to {priority: hours}."""
    raw = (raw or "").strip()
    if not raw:
        return {}
    if raw.isdigit():
        return dict.fromkeys(Priority.values, int(raw))
    by_name = {p.name.lower(): p.value for p in Priority}
    result: dict[int, int] = {}
    for item in raw.split(","):
        name, _sep, hours = item.partition("=")
        name, hours = name.strip().lower(), hours.strip()
        if name not in by_name or not hours.isdigit():
            raise ImproperlyConfigured(
                f"AMPARO_EXPECTED_RESPONSE_HOURS: cannot read {item.strip()!r}; "
                "write priority=hours pairs such as 'urgent=2,high=8,normal=24,low=48'."
            )
        result[by_name[name]] = int(hours)
    return result


def expected_response_hours(priority: int) -> int | None:
    """Hours within which the team usually answers a ticket of this priority; None if unset."""
    hours = parse_hours(settings.EXPECTED_RESPONSE_HOURS).get(priority)
    return hours if hours else None
