"""Canonical forms of identity values, so one person's phone or address is found however typed."""

from __future__ import annotations

import re
import unicodedata

import phonenumbers
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from amparo.core.errors import DomainError
from amparo.crm.models import IdentityKind

_HANDLE = re.compile(r"^[\w.\-]{1,100}$")


def normalize_email(value: str) -> str:
    value = unicodedata.normalize("NFC", value.strip()).lower()
    try:
        validate_email(value)
    except ValidationError as exc:
        raise DomainError(_("Enter a valid email address."), field="value") from exc
    return value


def normalize_phone(value: str, region: str | None = None) -> str:
    """E.164, parsed in the deployment's default region when the number has no country code."""
    try:
        parsed = phonenumbers.parse(value, region or settings.PHONE_DEFAULT_REGION)
    except phonenumbers.NumberParseException as exc:
        raise DomainError(_("Enter a valid phone number."), field="value") from exc
    if not phonenumbers.is_possible_number(parsed):
        raise DomainError(_("Enter a valid phone number."), field="value")
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def normalize_identity(kind: str, value: str) -> str:
    if kind not in IdentityKind.values:
        raise DomainError(_("Unknown identity kind."), field="kind")
    value = value.strip()
    if not value:
        raise DomainError(_("This field is required."), field="value")
    if kind == IdentityKind.EMAIL:
        return normalize_email(value)
    if kind in (IdentityKind.PHONE, IdentityKind.WHATSAPP):
        return normalize_phone(value)
    if kind == IdentityKind.CHAT:
        if len(value) > 100:
            raise DomainError(_("Visitor id is too long."), field="value")
        return value
    handle = value.removeprefix("@").lower()
    if not _HANDLE.match(handle):
        raise DomainError(_("Enter a valid handle."), field="value")
    return handle


def phone_prefixes(value: str) -> list[str]:
    """E.164 beginnings a partly typed phone number may be: as typed when it starts with
    "+", otherwise with the deployment's country code and, for a number typed with its
    country code but no "+", without. "11 9876" gives ["+55119876", "+119876"] in Brazil."""
    digits = "".join(c for c in value if c.isdigit())
    if not digits:
        return []
    if value.strip().startswith("+"):
        return ["+" + digits]
    country = phonenumbers.country_code_for_region(settings.PHONE_DEFAULT_REGION)
    national = digits.lstrip("0")
    candidates = [f"+{country}{national}", "+" + digits] if country else ["+" + digits]
    return list(dict.fromkeys(candidates))


def format_phone(e164: str) -> str:
    """A phone number as people in the deployment's region write it."""
    try:
        parsed = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    region = phonenumbers.region_code_for_number(parsed)
    fmt = (
        phonenumbers.PhoneNumberFormat.NATIONAL
        if region == settings.PHONE_DEFAULT_REGION
        else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
    return phonenumbers.format_number(parsed, fmt)
