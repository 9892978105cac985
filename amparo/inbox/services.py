"""Writes for mailboxes (secrets are stored encrypted) and the quarantine's admin actions."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from amparo.core.crypto import encrypt
from amparo.core.errors import DomainError
from amparo.inbox.models import Mailbox

SECRET_FIELDS = {
    "imap_password": "imap_password_encrypted",
    "smtp_password": "smtp_password_encrypted",
    "dkim_private_key": "dkim_private_key_encrypted",
}


@transaction.atomic
def mailbox_create(*, name: str, address: str, **fields: Any) -> Mailbox:
    address = address.strip().lower()
    if "@" not in address:
        raise DomainError(_("Enter a valid email address."), field="address")
    if Mailbox.objects.filter(address=address).exists():
        raise DomainError(_("A mailbox with this address exists."), field="address")
    mailbox = Mailbox(name=name.strip() or address, address=address)
    _apply(mailbox, fields)
    mailbox.save()
    if mailbox.is_default:
        Mailbox.objects.exclude(pk=mailbox.pk).update(is_default=False)
    return mailbox


@transaction.atomic
def mailbox_update(*, mailbox: Mailbox, **fields: Any) -> Mailbox:
    _apply(mailbox, fields)
    mailbox.save()
    if mailbox.is_default:
        Mailbox.objects.exclude(pk=mailbox.pk).update(is_default=False)
    return mailbox


def _apply(mailbox: Mailbox, fields: dict[str, Any]) -> None:
    for name, value in fields.items():
        if name in SECRET_FIELDS:
            # An empty value keeps the stored secret: forms never show it back.
            if value:
                setattr(mailbox, SECRET_FIELDS[name], encrypt(value))
            continue
        if not hasattr(mailbox, name) or name.endswith("_encrypted"):
            raise DomainError(_("Unknown field."), field=name)
        setattr(mailbox, name, value)
