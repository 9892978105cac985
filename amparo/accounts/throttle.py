"""Sign-in throttling: lockout after repeated failures, per typed account and per client IP.

The account key is the email as typed, whether or not such an account exists, so a lockout
(and its message) looks the same for real and made-up addresses.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from amparo.accounts.models import LoginThrottle, ThrottleScope


def _keys(*, email: str, ip: str | None) -> list[tuple[str, str, int]]:
    keys = [(ThrottleScope.ACCOUNT.value, email.strip().lower()[:254], settings.LOGIN_MAX_FAILURES)]
    if ip:
        keys.append((ThrottleScope.IP.value, ip, settings.LOGIN_MAX_FAILURES_PER_IP))
    return keys


def login_locked_for(*, email: str, ip: str | None) -> int:
    """Seconds until sign-in may be tried again for this email or IP; 0 when it may now."""
    now = timezone.now()
    remaining = 0
    for scope, key, _limit in _keys(email=email, ip=ip):
        row = LoginThrottle.objects.filter(scope=scope, key=key, locked_until__gt=now).first()
        if row is not None and row.locked_until is not None:
            remaining = max(remaining, int((row.locked_until - now).total_seconds()) + 1)
    return remaining


@transaction.atomic
def login_failure_record(*, email: str, ip: str | None) -> int:
    """Counts one failed attempt; returns the lockout in seconds it caused (0 if none)."""
    now = timezone.now()
    window = timedelta(seconds=settings.LOGIN_FAILURE_WINDOW_SECONDS)
    lockout = timedelta(seconds=settings.LOGIN_LOCKOUT_SECONDS)
    caused = 0
    for scope, key, limit in _keys(email=email, ip=ip):
        row, _created = LoginThrottle.objects.select_for_update().get_or_create(
            scope=scope, key=key, defaults={"window_started_at": now}
        )
        if now - row.window_started_at > window:
            row.failures = 0
            row.window_started_at = now
        row.failures += 1
        if row.failures >= limit:
            row.locked_until = now + lockout
            row.failures = 0
            row.window_started_at = now
            caused = max(caused, settings.LOGIN_LOCKOUT_SECONDS)
        row.save(update_fields=["failures", "window_started_at", "locked_until"])
    return caused


@transaction.atomic
def login_success_record(*, email: str) -> None:
    """A successful sign-in forgets the account's earlier failures (the IP's count stays)."""
    LoginThrottle.objects.filter(
        scope=ThrottleScope.ACCOUNT, key=email.strip().lower()[:254]
    ).delete()


@transaction.atomic
def login_lock_clear(*, email: str) -> None:
    """Lifts an account's lockout (an administrator's action)."""
    LoginThrottle.objects.filter(scope=ThrottleScope.ACCOUNT, key=email.strip().lower()).delete()


# Reset emails: a few per address and per client an hour, so the form cannot flood an inbox.
RESET_PER_ADDRESS_HOUR = 3
RESET_PER_IP_HOUR = 20


@transaction.atomic
def password_reset_allowed(*, email: str, ip: str | None) -> bool:
    """Counts one reset request; False once the address or the client asked too often."""
    now = timezone.now()
    allowed = True
    keys = [
        (ThrottleScope.RESET_ACCOUNT.value, email.strip().lower()[:254], RESET_PER_ADDRESS_HOUR)
    ]
    if ip:
        keys.append((ThrottleScope.RESET_IP.value, ip, RESET_PER_IP_HOUR))
    for scope, key, limit in keys:
        row, _created = LoginThrottle.objects.select_for_update().get_or_create(
            scope=scope, key=key, defaults={"window_started_at": now}
        )
        if now - row.window_started_at > timedelta(hours=1):
            row.failures = 0
            row.window_started_at = now
        row.failures += 1
        row.save(update_fields=["failures", "window_started_at"])
        if row.failures > limit:
            allowed = False
    return allowed


@transaction.atomic
def login_throttle_prune() -> int:
    """Forgets counts whose window and lockout are over, so the table stays small."""
    now = timezone.now()
    oldest_window = now - timedelta(
        seconds=max(settings.LOGIN_FAILURE_WINDOW_SECONDS, 3600)  # 1 h: the reset window
    )
    deleted, _by_model = (
        LoginThrottle.objects.filter(window_started_at__lt=oldest_window)
        .exclude(locked_until__gt=now)
        .delete()
    )
    return deleted
