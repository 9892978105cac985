"""The ticket page's customer sidebar: who they are and what else they asked, on any channel."""

from __future__ import annotations

from typing import Any

from amparo.accounts.models import User
from amparo.core.models import CustomFieldDefinition, CustomFieldTarget
from amparo.crm.models import ContactIdentity, IdentityKind
from amparo.crm.normalize import format_phone
from amparo.crm.selectors import customer_tickets_for_agent
from amparo.tickets.models import Ticket

OTHER_TICKETS = 8
PHONE_KINDS = {IdentityKind.PHONE, IdentityKind.WHATSAPP}


def customer_sidebar(*, agent: User, ticket: Ticket) -> dict[str, Any]:
    contact = ticket.contact
    identities = [
        {
            "kind": identity.get_kind_display(),
            "value": format_phone(identity.value)
            if identity.kind in PHONE_KINDS
            else identity.value,
            "is_primary": identity.is_primary,
        }
        for identity in ContactIdentity.objects.filter(contact=contact).order_by(
            "kind", "-is_primary", "id"
        )
    ]
    definitions = CustomFieldDefinition.objects.filter(target=CustomFieldTarget.CONTACT)
    attributes = [
        (d.label, contact.custom_fields[d.key])
        for d in definitions
        if contact.custom_fields.get(d.key) not in (None, "")
    ]
    others = list(
        customer_tickets_for_agent(viewer=agent, contact_id=contact.pk)
        .exclude(pk=ticket.pk)
        .order_by("-created_at", "-id")[:OTHER_TICKETS]
    )
    return {
        "contact": contact,
        "organization": ticket.organization or contact.organization,
        "identities": identities,
        "attributes": attributes,
        "other_tickets": others,
    }
