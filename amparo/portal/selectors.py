"""Reads for the portal. Tickets are read through amparo.tickets.selectors, which apply visibility."""

from __future__ import annotations

from django.db.models import QuerySet

from amparo.accounts.models import User
from amparo.core.models import CustomFieldDefinition, CustomFieldTarget
from amparo.crm.models import Contact, ContactIdentity, IdentityKind


def contact_for_email(email: str) -> Contact | None:
    """The contact owning this (normalized) address, following merges; None when unknown."""
    identity = (
        ContactIdentity.objects.select_related("contact")
        .filter(kind=IdentityKind.EMAIL, value=email)
        .first()
    )
    if identity is None:
        return None
    contact = identity.contact
    seen = {contact.pk}
    while contact.merged_into_id is not None and contact.merged_into_id not in seen:
        seen.add(contact.merged_into_id)
        contact = Contact.objects.get(pk=contact.merged_into_id)
    return contact


def contact_for_user(user: User) -> Contact | None:
    """The contact a signed-in customer acts as, or None for anyone else."""
    if not user.is_authenticated or user.is_agent or not user.is_active:
        return None
    contact = (
        Contact.objects.select_related("organization")
        .filter(user_id=user.pk, merged_into__isnull=True)
        .first()
    )
    return contact


def customer_custom_fields() -> QuerySet[CustomFieldDefinition]:
    """Ticket fields a customer may fill in when submitting a request."""
    return CustomFieldDefinition.objects.filter(
        target=CustomFieldTarget.TICKET, visible_to_customers=True
    ).order_by("position", "key")
