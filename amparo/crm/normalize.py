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
