"""Writes for contacts, identities and organizations."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from amparo.core.customfields import clean_custom_fields
from amparo.core.errors import Conflict, DomainError
from amparo.core.models import CustomFieldTarget
from amparo.crm.models import Contact, ContactIdentity, IdentityKind, Organization
from amparo.crm.normalize import normalize_identity

if TYPE_CHECKING:
    from amparo.accounts.models import User

logger = logging.getLogger(__name__)


@transaction.atomic
def organization_create(
    *,
    name: str,
    domains: list[str] | None = None,
    notes: str = "",
    custom_fields: dict[str, Any] | None = None,
    shares_tickets: bool = False,
) -> Organization:
    name = name.strip()
    if not name:
        raise DomainError(_("This field is required."), field="name")
    return Organization.objects.create(
        name=name,
        domains=sorted({d.strip().lower().lstrip("@") for d in domains or [] if d.strip()}),
        notes=notes,
        custom_fields=clean_custom_fields(
            target=CustomFieldTarget.ORGANIZATION, values=custom_fields or {}, current={}
        ),
        shares_tickets=shares_tickets,
    )


@transaction.atomic
def organization_update(*, organization: Organization, **changes: Any) -> Organization:
    fields = []
    for name in ("name", "notes", "shares_tickets"):
        if name in changes:
            setattr(organization, name, changes[name])
            fields.append(name)
    if "domains" in changes:
        organization.domains = sorted({d.strip().lower().lstrip("@") for d in changes["domains"]})
        fields.append("domains")
    if "custom_fields" in changes:
        organization.custom_fields = clean_custom_fields(
            target=CustomFieldTarget.ORGANIZATION,
            values=changes["custom_fields"],
            current=organization.custom_fields,
        )
        fields.append("custom_fields")
    if fields:
        organization.save(update_fields=[*fields, "updated_at"])
    return organization


def _organization_for_email(email: str) -> Organization | None:
    domain = email.rpartition("@")[2]
    if not domain:
        return None
    # domains is a short JSON list; the match is checked in Python to stay portable.
    for org in Organization.objects.filter(domains__icontains=domain).only("id", "domains"):
        if domain in org.domains:
            return org
    return None


@transaction.atomic
def contact_create(
    *,
    name: str = "",
    identities: Sequence[tuple[str, str]] | None = None,
    organization: Organization | None = None,
    language: str = "",
    time_zone: str = "",
    notes: str = "",
    custom_fields: dict[str, Any] | None = None,
) -> Contact:
    normalized = [(kind, normalize_identity(kind, value)) for kind, value in identities or []]
    for kind, value in normalized:
        if ContactIdentity.objects.filter(kind=kind, value=value).exists():
            raise Conflict(
                _("Another contact already has %(value)s.") % {"value": value},
                field="identities",
            )
    if organization is None:
        email = next((v for k, v in normalized if k == IdentityKind.EMAIL), None)
        organization = _organization_for_email(email) if email else None
    contact = Contact.objects.create(
        name=name.strip(),
        organization=organization,
        language=language,
        time_zone=time_zone,
        notes=notes,
        custom_fields=clean_custom_fields(
            target=CustomFieldTarget.CONTACT, values=custom_fields or {}, current={}
        ),
    )
    seen_kinds: set[str] = set()
    for kind, value in normalized:
        ContactIdentity.objects.create(
            contact=contact, kind=kind, value=value, is_primary=kind not in seen_kinds
        )
        seen_kinds.add(kind)
    return contact


def contact_get_or_create_by_identity(
    *, kind: str, value: str, name: str = "", language: str = ""
) -> Contact:
    """The contact owning this identity, created when new. Safe against concurrent callers.

    Every channel calls this for each sender, so two messages from one new person arriving at
    once must still end on one contact: the unique (kind, value) constraint decides the race.
    """
    value = normalize_identity(kind, value)
    for _attempt in range(3):
        identity = (
            ContactIdentity.objects.select_related("contact").filter(kind=kind, value=value).first()
        )
        if identity is not None:
            contact = identity.contact
            while contact.merged_into_id is not None:
                contact = Contact.objects.get(pk=contact.merged_into_id)
            return contact
        try:
            with transaction.atomic():
                return contact_create(name=name, identities=[(kind, value)], language=language)
        except (IntegrityError, Conflict):
            continue
    raise Conflict(_("Could not create the contact; try again."))


@transaction.atomic
def contact_update(*, contact: Contact, **changes: Any) -> Contact:
    fields = []
    for name in ("name", "language", "time_zone", "notes"):
        if name in changes:
            setattr(contact, name, changes[name])
            fields.append(name)
    if "organization" in changes:
        contact.organization = changes["organization"]
        fields.append("organization")
    if "custom_fields" in changes:
        contact.custom_fields = clean_custom_fields(
            target=CustomFieldTarget.CONTACT,
            values=changes["custom_fields"],
            current=contact.custom_fields,
        )
        fields.append("custom_fields")
    if fields:
        contact.save(update_fields=[*fields, "updated_at"])
    return contact


@transaction.atomic
def identity_add(*, contact: Contact, kind: str, value: str) -> ContactIdentity:
    value = normalize_identity(kind, value)
    existing = ContactIdentity.objects.filter(kind=kind, value=value).first()
    if existing is not None:
        if existing.contact_id == contact.pk:
            return existing
        raise Conflict(
            _("Another contact already has %(value)s; merge the contacts instead.")
            % {"value": value},
            field="value",
        )
    is_primary = not contact.identities.filter(kind=kind).exists()
    return ContactIdentity.objects.create(
        contact=contact, kind=kind, value=value, is_primary=is_primary
    )


@transaction.atomic
def identity_remove(*, identity: ContactIdentity) -> None:
    identity.delete()


# Identity state learnt from the channels. The row itself is the record (a bounce keeps its
# first date and latest reason; the ticket timeline has the delivery event); each change is
# also logged, since the CRM keeps no history table of its own.


def _normalized(kind: str, value: str) -> str:
    """``value`` as identities store it; "" for what could be no identity of that kind."""
    try:
        return normalize_identity(kind, value or "")
    except DomainError:
        return ""


@transaction.atomic
def identity_mark_verified(*, identity: ContactIdentity) -> bool:
    """The contact proved they control this identity (say, used a link sent to it).

    True when it changes something; a verified identity stays verified.
    """
    updated = ContactIdentity.objects.filter(pk=identity.pk, verified=False).update(verified=True)
    identity.verified = True
    if updated:
        logger.info("identity %s (%s) verified", identity.pk, identity.kind)
    return bool(updated)


@transaction.atomic
def identity_mark_bouncing(*, addresses: Sequence[str], reason: str) -> int:
    """Mail to these addresses bounced for good: stop writing to them and tell the agents.

    ``bouncing_since`` keeps the first bounce; the reason is the latest. Unknown addresses are
    ignored. Returns how many identities were newly marked.
    """
    values = {v for v in (_normalized(IdentityKind.EMAIL, a) for a in addresses) if v}
    if not values:
        return 0
    reason = reason[:2000]
    emails = ContactIdentity.objects.filter(kind=IdentityKind.EMAIL, value__in=values)
    newly = list(emails.filter(bouncing_since__isnull=True).values_list("pk", flat=True))
    if newly:
        ContactIdentity.objects.filter(pk__in=newly).update(
            bouncing_since=timezone.now(), bounce_reason=reason
        )
        logger.info("identities %s marked bouncing: %s", newly, reason[:200])
    emails.filter(bouncing_since__isnull=False).exclude(pk__in=newly).exclude(
        bounce_reason=reason
    ).update(bounce_reason=reason)
    return len(newly)


@transaction.atomic
def identity_clear_bouncing(*, kind: str, value: str) -> bool:
    """The identity works again (the customer wrote to us from it): we may write to it again."""
    identity = (
        ContactIdentity.objects.filter(kind=kind, value=_normalized(kind, value))
        .exclude(bouncing_since__isnull=True)
        .first()
    )
    if identity is None:
        return False
    ContactIdentity.objects.filter(pk=identity.pk).update(bouncing_since=None, bounce_reason="")
    logger.info(
        "identity %s no longer bouncing (was since %s: %s)",
        identity.pk,
        identity.bouncing_since.isoformat() if identity.bouncing_since else "",
        identity.bounce_reason[:200],
    )
    return True


@transaction.atomic
def contact_set_user(*, contact: Contact, user: User | None) -> Contact:
    """Links the contact to its portal account (or unlinks it with ``user=None``).

    A contact has one account and an account one contact: linking either to another raises
    Conflict rather than silently moving a sign-in from one person to another.
    """
    if user is None:
        if contact.user_id is not None:
            logger.info("contact %s unlinked from user %s", contact.pk, contact.user_id)
            Contact.objects.filter(pk=contact.pk).update(user=None, updated_at=timezone.now())
        contact.user = None
        return contact
    if contact.user_id == user.pk:
        return contact
    if Contact.objects.filter(user=user).exclude(pk=contact.pk).exists():
        raise Conflict(_("This account belongs to another contact."), field="user")
    # Conditional, so two first sign-ins at once cannot both link a different account.
    linked = Contact.objects.filter(pk=contact.pk, user__isnull=True).update(
        user=user, updated_at=timezone.now()
    )
    if not linked:
        current = Contact.objects.filter(pk=contact.pk).values_list("user_id", flat=True).first()
        if current != user.pk:
            raise Conflict(_("This contact already has another account."), field="user")
    contact.user = user
    logger.info("contact %s linked to user %s", contact.pk, user.pk)
    return contact


@transaction.atomic
def contact_merge(*, source: Contact, target: Contact, actor: Any = None) -> Contact:
    """Moves everything of ``source`` (identities, tickets, messages) onto ``target``."""
    from amparo.tickets.services import tickets_move_contact

    if source.pk == target.pk:
        raise DomainError(_("A contact cannot be merged into itself."), field="target")
    if target.merged_into_id is not None:
        raise DomainError(_("The target contact was itself merged."), field="target")
    target_kinds = set(target.identities.values_list("kind", flat=True))
    for identity in source.identities.all():
        identity.contact = target
        identity.is_primary = identity.is_primary and identity.kind not in target_kinds
        identity.save(update_fields=["contact", "is_primary"])
    tickets_move_contact(source=source, target=target, actor=actor)
    changed = []
    if not target.organization_id and source.organization_id:
        target.organization_id = source.organization_id
        changed.append("organization")
    merged_fields = {**source.custom_fields, **target.custom_fields}
    if merged_fields != target.custom_fields:
        target.custom_fields = merged_fields
        changed.append("custom_fields")
    if not target.name and source.name:
        target.name = source.name
        changed.append("name")
    if changed:
        target.save(update_fields=[*changed, "updated_at"])
    Contact.objects.filter(merged_into=source).update(merged_into=target)
    source.merged_into = target
    if source.user_id and not target.user_id:
        target.user_id, source.user_id = source.user_id, None
        source.save(update_fields=["user"])
        target.save(update_fields=["user"])
    source.save(update_fields=["merged_into", "updated_at"])
    return target
