"""Two-factor sign-in with django-otp: a TOTP authenticator app plus single-use backup codes."""

from __future__ import annotations

from base64 import b32encode
from urllib.parse import quote, urlencode

import segno
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from amparo.accounts.models import User
from amparo.core.errors import DomainError

BACKUP_CODE_COUNT = 10
DEVICE_NAME = "authenticator"
BACKUP_NAME = "backup"


def two_factor_enabled(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def backup_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


@transaction.atomic
def totp_begin(*, user: User) -> TOTPDevice:
    """A new, unconfirmed authenticator for the user; an earlier unfinished one is replaced."""
    if two_factor_enabled(user):
        raise DomainError(_("Two-factor sign-in is already on."), code="conflict")
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


def totp_pending(*, user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-id").first()


def manual_key(device: TOTPDevice) -> str:
    """The secret in the Base32 form authenticator apps accept, in groups of four."""
    raw = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def otpauth_url(device: TOTPDevice, *, issuer: str) -> str:
    issuer = issuer.replace(":", "").strip() or "Amparo"
    label = quote(f"{issuer}:{device.user.get_username()}")
    params = urlencode(
        {
            "secret": b32encode(device.bin_key).decode().rstrip("="),
            "issuer": issuer,
            "algorithm": "SHA1",
            "digits": device.digits,
            "period": device.step,
        },
        quote_via=quote,
    )
    return f"otpauth://totp/{label}?{params}"


def qr_data_uri(url: str) -> str:
    """The QR code of ``url`` as an SVG data: URI, drawn here (no outside service sees the key)."""
    return str(segno.make(url, error="m").svg_data_uri(scale=5, border=2))


def _new_backup_codes(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=BACKUP_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _i in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=c) for c in codes])
    return codes


@transaction.atomic
def totp_confirm(*, user: User, token: str) -> list[str]:
    """Turns two-factor sign-in on once the app shows a right code; returns new backup codes."""
    device = totp_pending(user=user)
    if device is None:
        raise DomainError(_("Start the set-up again: no authenticator is waiting."), field="token")
    if not device.verify_token(_digits(token)):
        raise DomainError(_("That code is not right. Check the time on your phone."), field="token")
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return _new_backup_codes(user)


@transaction.atomic
def backup_codes_regenerate(*, user: User) -> list[str]:
    if not two_factor_enabled(user):
        raise DomainError(_("Two-factor sign-in is off."), code="conflict")
    return _new_backup_codes(user)


@transaction.atomic
def two_factor_disable(*, user: User, password: str) -> None:
    """The user turns two-factor sign-in off; asking for the password stops a borrowed browser."""
    if not user.check_password(password):
        raise DomainError(_("Your password is not right."), field="password")
    two_factor_reset(user=user)


@transaction.atomic
def two_factor_reset(*, user: User) -> None:
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()


def two_factor_throttled(user: User) -> bool:
    """True while django-otp makes the authenticator wait after wrong codes."""
    return any(
        not device.verify_is_allowed()[0]
        for device in TOTPDevice.objects.filter(user=user, confirmed=True)
    )


def _digits(token: str) -> str:
    return "".join(ch for ch in token if ch.isdigit())


def two_factor_check(*, user: User, token: str) -> Device | None:
    """The device that accepts ``token`` (a 6-digit code or a backup code), or None.

    A backup code is used up. django-otp's own per-device throttling applies as well.
    """
    token = token.strip()
    if not token:
        return None
    with transaction.atomic():
        digits = _digits(token)
        if len(digits) == 6 and digits == token.replace(" ", ""):
            for totp in TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True):
                if totp.verify_token(digits):
                    return totp
            return None
        code = token.replace(" ", "").replace("-", "").lower()
        for static in StaticDevice.objects.select_for_update().filter(user=user, confirmed=True):
            if static.verify_token(code):
                return static
    return None
