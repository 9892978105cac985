"""How the portal words things for customers (statuses say what happens next)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.formats import number_format
from django.utils.translation import ngettext, pgettext_lazy

from amparo.tickets.models import Status

register = template.Library()

# A context keeps these apart from the agents' words (a request is feminine in Portuguese).
CUSTOMER_STATUS: dict[str, Any] = {
    Status.NEW: pgettext_lazy("customer request status", "Received"),
    Status.OPEN: pgettext_lazy("customer request status", "In progress"),
    Status.PENDING: pgettext_lazy("customer request status", "Awaiting your reply"),
    Status.ON_HOLD: pgettext_lazy("customer request status", "In progress"),
    Status.SOLVED: pgettext_lazy("customer request status", "Solved"),
    Status.CLOSED: pgettext_lazy("customer request status", "Closed"),
}


@register.filter
def customer_status(status: str) -> str:
    return str(CUSTOMER_STATUS.get(status, status))


@register.simple_tag
def expected_answer(hours: int | None) -> str:
    """ "We usually answer within N hours", or in days for two days and more."""
    if not hours:
        return ""
    if hours >= 48 and hours % 24 == 0:
        days = hours // 24
        return ngettext(
            "We usually answer within %(count)d day.",
            "We usually answer within %(count)d days.",
            days,
        ) % {"count": days}
    return ngettext(
        "We usually answer within %(count)d hour.",
        "We usually answer within %(count)d hours.",
        hours,
    ) % {"count": hours}


@register.filter
def filesize(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{number_format(size / (1024 * 1024), 1)} MB"
    return f"{max(size // 1024, 1)} KB"
