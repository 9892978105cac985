"""Browser sessions of a user: recording, listing and revoking them.

Revoking deletes the session from Django's session store, so the browser holding it is signed
out on its next request, whatever session engine is configured.
"""

from __future__ import annotations

from datetime import timedelta
from importlib import import_module

from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from amparo.accounts.models import User, UserSession


def _store(session_key: str | None = None) -> SessionBase:
    engine = import_module(settings.SESSION_ENGINE)
    return engine.SessionStore(session_key)  # type: ignore[no-any-return]


def client_ip(request: HttpRequest) -> str | None:
    """The client's address; behind a trusted proxy, the address that proxy saw."""
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None) and forwarded:
        # The rightmost entry was added by our own proxy; earlier ones are client-supplied.
        return forwarded.split(",")[-1].strip() or None
    return request.META.get("REMOTE_ADDR") or None


def session_touch(*, request: HttpRequest, user: User) -> UserSession | None:
    """Records (or refreshes) the row describing the request's session."""
    if request.session.session_key is None:
        request.session.save()
    key = request.session.session_key
    if not key:
        return None
    now = timezone.now()
    row, created = UserSession.objects.get_or_create(
        session_key=key,
        defaults={
            "user": user,
            "user_agent": request.headers.get("User-Agent", "")[:300],
            "ip": client_ip(request),
            "created_at": now,
            "last_seen_at": now,
        },
    )
    if not created:
        if row.user_id != user.pk:
            # A key reused by another user cannot happen with Django's stores; stay safe anyway.
            row.delete()
            return None
        row.last_seen_at = now
        row.ip = client_ip(request)
        row.save(update_fields=["last_seen_at", "ip"])
    return row


def session_list(*, user: User) -> list[UserSession]:
    """The user's sessions that still exist, newest first; rows of expired ones are dropped."""
    alive: list[UserSession] = []
    dead: list[int] = []
    for row in UserSession.objects.filter(user=user):
        (alive if _store().exists(row.session_key) else dead).append(row)  # type: ignore[arg-type]
    if dead:
        UserSession.objects.filter(pk__in=[r.pk for r in dead]).delete()  # type: ignore[attr-defined]
    return alive


def _revoke(rows: list[UserSession]) -> int:
    for row in rows:
        _store(row.session_key).delete()
    UserSession.objects.filter(pk__in=[r.pk for r in rows]).delete()
    return len(rows)


@transaction.atomic
def session_revoke(*, user: User, session_id: int) -> bool:
    """Ends one of the user's sessions (by row id). False if there is no such session."""
    rows = list(UserSession.objects.filter(user=user, pk=session_id))
    return _revoke(rows) > 0


@transaction.atomic
def session_revoke_others(*, user: User, keep_session_key: str | None) -> int:
    """Ends every session of the user but the given one (the browser asking)."""
    rows = list(UserSession.objects.filter(user=user).exclude(session_key=keep_session_key or ""))
    return _revoke(rows)


@transaction.atomic
def session_revoke_all(*, user: User) -> int:
    return _revoke(list(UserSession.objects.filter(user=user)))


def session_forget(*, session_key: str | None) -> None:
    """Drops the row of a session that is ending (sign-out)."""
    if session_key:
        UserSession.objects.filter(session_key=session_key).delete()


def session_rows_prune() -> int:
    """Deletes rows of sessions not seen for longer than a session lives."""
    cutoff = timezone.now() - timedelta(seconds=settings.SESSION_COOKIE_AGE)
    deleted, _by_model = UserSession.objects.filter(last_seen_at__lt=cutoff).delete()
    return deleted
