"""The event types a subscription can ask for. Apps that emit new events add them here."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

EVENT_TYPES = {
    "ticket.created": _("A ticket was created."),
    "ticket.updated": _("A ticket changed (status, priority, team, assignee, tags, fields)."),
    "ticket.merged": _("A ticket was merged into another."),
    "message.created": _("A message or internal note was added to a ticket."),
    "message.delivery": _("The delivery status of an outgoing message changed."),
    "ping": _("Sent on request to test a subscription."),
}
