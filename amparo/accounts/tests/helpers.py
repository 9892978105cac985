"""Helpers of the accounts tests: TOTP codes computed with django-otp's own functions."""

from __future__ import annotations

import time

from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice


def totp_code(device: TOTPDevice, *, offset_steps: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + offset_steps * device.step
    return str(totp.token()).zfill(device.digits)


def enable_two_factor(user) -> tuple[TOTPDevice, list[str]]:  # type: ignore[no-untyped-def]
    from amparo.accounts import twofactor

    device = twofactor.totp_begin(user=user)
    codes = twofactor.totp_confirm(user=user, token=totp_code(device))
    device.refresh_from_db()
    return device, codes
