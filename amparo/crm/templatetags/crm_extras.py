"""Template filters of the CRM pages."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext as _

from amparo.crm.models import ContactIdentity, IdentityKind
from amparo.crm.normalize import format_phone as _format_phone

register = template.Library()

PHONE_KINDS = (IdentityKind.PHONE, IdentityKind.WHATSAPP)


@register.filter
def format_phone(value: str) -> str:
    return _format_phone(value)


@register.filter
def identity_display(identity: ContactIdentity) -> str:
    """The value as people write it: phone numbers in national form, handles with "@"."""
    if identity.kind in PHONE_KINDS:
        return _format_phone(identity.value)
    if identity.kind in (IdentityKind.EMAIL, IdentityKind.CHAT):
        return identity.value
    return f"@{identity.value}"


@register.filter
def of_kind(identities: Any, kinds: str) -> list[ContactIdentity]:
    """Identities (already prefetched) whose kind is one of the comma-separated ``kinds``."""
    wanted = set(kinds.split(","))
    return [i for i in identities.all() if i.kind in wanted]


@register.filter
def not_of_kind(identities: Any, kinds: str) -> list[ContactIdentity]:
    unwanted = set(kinds.split(","))
    return [i for i in identities.all() if i.kind not in unwanted]


@register.filter
def attribute_value(value: Any) -> Any:
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    return value


@register.filter
def language_name(code: str) -> str:
    from django.conf import settings

    return str(dict(settings.LANGUAGES).get(code, code))
