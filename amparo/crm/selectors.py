"""Reads of contacts and organizations. Every agent may look customers up."""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING

from django.db import connection
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from amparo.accounts.models import User
from amparo.core.errors import DomainError, NotFound
from amparo.crm.models import Contact, ContactIdentity, IdentityKind, Organization
from amparo.search.selectors import contact_match_q

if TYPE_CHECKING:
    from amparo.tickets.models import Ticket


def contact_list(
    *, viewer: User, q: str = "", organization_id: int | None = None
) -> QuerySet[Contact]:
    qs = Contact.objects.filter(merged_into__isnull=True)
    if organization_id is not None:
        qs = qs.filter(organization_id=organization_id)
    if q.strip():
        qs = qs.filter(contact_text_q(q))
    return qs.prefetch_related("identities")


def contact_get(*, viewer: User, contact_id: int) -> Contact:
    if not viewer.is_agent:
        raise NotFound(_("Contact not found."))
    contact = Contact.objects.prefetch_related("identities").filter(pk=contact_id).first()
    if contact is None:
        raise NotFound(_("Contact not found."))
    return contact


def organization_list(*, viewer: User, q: str = "") -> QuerySet[Organization]:
    qs = Organization.objects.all()
    if q:
        qs = qs.filter(name__icontains=q.strip())
    return qs


def organization_get(*, viewer: User, organization_id: int) -> Organization:
    org = Organization.objects.filter(pk=organization_id).first()
    if org is None or not viewer.is_agent:
        raise NotFound(_("Organization not found."))
    return org


# --- Reads for the agent pages (/contacts/, /organizations/) -----------------------------------

CONTACT_PAGE_ORDER = "name"


def _value_prefix_q(prefix: str) -> Q:
    """Identity values starting with ``prefix``, read from an index on (kind, value).

    SQLite compares text bytewise, so a range on the unique (kind, value) index is exactly
    the prefix; its LIKE ignores case and cannot use that index. On PostgreSQL a range is
    only exact under the "C" collation, so LIKE is used, with the (kind, value
    varchar_pattern_ops) index amparo.search creates for it.
    """
    if connection.vendor == "postgresql":
        return Q(value__startswith=prefix)
    return Q(value__gte=prefix, value__lt=prefix + "\U0010ffff")


def _identity_lookup_q(q: str) -> Q:
    """Identities matching ``q``, normalized the way the services store them.

    An email address matches in full or as the start of one ("maria.silva@gm"); a phone
    number in its canonical form, in full ("(11) 98765-4321" finds "+5511987654321") or as
    its start ("11 98765"); anything else is tried as a handle (lower case, no "@") and as a
    chat visitor id (kept as typed). Every alternative reads the (kind, value) index.
    """
    from amparo.crm.normalize import normalize_email, normalize_phone, phone_prefixes

    if "@" in q.strip("@"):
        by_email = Q(kind=IdentityKind.EMAIL) & _value_prefix_q(q.strip().lower())
        try:
            return Q(kind=IdentityKind.EMAIL, value=normalize_email(q)) | by_email
        except DomainError:
            return by_email
    if looks_like_phone(q):
        phones = [IdentityKind.PHONE, IdentityKind.WHATSAPP]
        found = Q(pk__in=[])
        with contextlib.suppress(DomainError):
            found |= Q(kind__in=phones, value=normalize_phone(q))
        for prefix in phone_prefixes(q):
            found |= Q(kind__in=phones) & _value_prefix_q(prefix)
        return found
    handle_kinds = [
        k for k in IdentityKind.values if k not in (IdentityKind.EMAIL, IdentityKind.PHONE)
    ]
    return Q(kind__in=handle_kinds, value=q.removeprefix("@").lower()) | Q(
        kind=IdentityKind.CHAT, value=q
    )


def contact_text_q(q: str) -> Q:
    """What a contact search box matches: an email address or phone number (whole, or its
    beginning) through the identities' index; anything else as words starting a word of the
    name, the organization's name or an identity ("mar sil" finds Maria Silva), through the
    search index (amparo.search), or as a handle."""
    q = q.strip()[:200]
    owners = ContactIdentity.objects.filter(_identity_lookup_q(q)).values("contact_id")
    if "@" in q.strip("@") or looks_like_phone(q):
        return Q(pk__in=owners)
    # A handle or visitor id typed in full: a few ids, joined to the word matches' list.
    return contact_match_q(q, also=list(owners.values_list("contact_id", flat=True)[:100]))


def looks_like_phone(q: str) -> bool:
    digits = sum(c.isdigit() for c in q)
    return digits >= 6 and all(c.isdigit() or c in "+-(). " for c in q)


def contact_search(
    *, viewer: User, q: str = "", organization_id: int | None = None
) -> QuerySet[Contact]:
    """Contacts for the agent list, matching ``q`` as ``contact_text_q`` says.

    Rows come with their organization and identities (two queries per page whatever its size).
    """
    if not viewer.is_agent:
        return Contact.objects.none()
    qs = Contact.objects.filter(merged_into__isnull=True)
    if organization_id is not None:
        qs = qs.filter(organization_id=organization_id)
    if q.strip():
        qs = qs.filter(contact_text_q(q))
    return qs.select_related("organization").prefetch_related(
        Prefetch(
            "identities", queryset=ContactIdentity.objects.order_by("kind", "-is_primary", "id")
        )
    )


def contact_get_for_page(*, viewer: User, contact_id: int) -> Contact:
    """One contact with what its page shows; merged contacts are returned too (to redirect)."""
    if not viewer.is_agent:
        raise NotFound(_("Contact not found."))
    contact = (
        Contact.objects.select_related("organization")
        .prefetch_related(
            Prefetch(
                "identities", queryset=ContactIdentity.objects.order_by("kind", "-is_primary", "id")
            )
        )
        .filter(pk=contact_id)
        .first()
    )
    if contact is None:
        raise NotFound(_("Contact not found."))
    return contact


def contact_possible_duplicates(*, viewer: User, contact: Contact, limit: int = 5) -> list[Contact]:
    """Other contacts that may be the same person: same name, or a similar name in the same
    organization. Kept to one bounded query: the exact name uses the (name, id) index and the
    organization branch only scans that organization's members.
    """
    if not viewer.is_agent or not contact.name.strip():
        return []
    same = Q(name=contact.name)
    if contact.organization_id and contact.first_name:
        same |= Q(organization_id=contact.organization_id, name__istartswith=contact.first_name)
    return list(
        Contact.objects.filter(same, merged_into__isnull=True)
        .exclude(pk=contact.pk)
        .select_related("organization")
        .order_by("name", "id")[:limit]
    )


def organization_search(*, viewer: User, q: str = "") -> QuerySet[Organization]:
    if not viewer.is_agent:
        return Organization.objects.none()
    qs = Organization.objects.all()
    q = q.strip()[:200]
    if q:
        domain = q.lower().lstrip("@")
        # A domain typed in full finds its organization even when the name differs.
        by_domain = Q(domains__icontains=domain) if "." in domain else Q(pk__in=[])
        qs = qs.filter(Q(name__icontains=q) | by_domain)
    return qs


def organization_member_counts(organization_ids: list[int]) -> dict[int, int]:
    rows = (
        Contact.objects.filter(organization_id__in=organization_ids, merged_into__isnull=True)
        .values("organization_id")
        .annotate(n=Count("id"))
        .values_list("organization_id", "n")
    )
    return dict(rows)


def organization_by_name(*, viewer: User, name: str) -> Organization | None:
    """The organization called exactly ``name`` (any case), for forms that type a name."""
    if not viewer.is_agent or not name.strip():
        return None
    return Organization.objects.filter(name__iexact=name.strip()).order_by("id").first()


def customer_tickets_for_agent(
    *, viewer: User, contact_id: int | None = None, organization_id: int | None = None
) -> QuerySet[Ticket]:
    """A contact's or an organization's tickets, on every channel, that ``viewer`` may see.

    Visibility comes from the tickets selectors; tickets the agent may not see are left out
    without a trace (not even a count), as everywhere else.
    """
    from amparo.tickets.selectors import TicketFilters, ticket_list_for_agent

    filters = TicketFilters(contact_id=contact_id, organization_id=organization_id)
    return ticket_list_for_agent(agent=viewer, filters=filters)
