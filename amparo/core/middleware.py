"""Response security headers and per-user language and time zone."""

from __future__ import annotations

import functools
import re
import zoneinfo
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation


class SecurityHeadersMiddleware:
    """Adds the Content-Security-Policy and related headers to every response."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=()"
        )
        response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        return response


def remote_images_policy(policy: str) -> str:
    """``policy`` that also lets <img> load https: images."""
    if re.search(r"(^|;)\s*img-src\b", policy):
        return re.sub(r"((?:^|;)\s*img-src\b[^;]*)", r"\1 https:", policy, count=1)
    return f"{policy}; img-src 'self' data: https:"


def allows_remote_images(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """For pages that show mail: remote images may load, but only once the page asks.

    The page must hold every remote image back itself (the desk renders them without ``src``
    and swaps it in when the agent clicks); this only stops the policy from blocking them.
    """

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        policy = response.headers.get("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        response.headers["Content-Security-Policy"] = remote_images_policy(policy)
        return response

    return wrapped


class UserPreferencesMiddleware:
    """Activates the signed-in user's language and time zone (the browser's language otherwise)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            if getattr(user, "language", ""):
                translation.activate(user.language)
                request.LANGUAGE_CODE = translation.get_language()
            tz_name = getattr(user, "time_zone", "")
            if tz_name:
                try:
                    timezone.activate(zoneinfo.ZoneInfo(tz_name))
                except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                    timezone.deactivate()
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
