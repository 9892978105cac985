"""Keeps each signed-in browser's session row current, writing at most once a minute."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from amparo.accounts.models import User
from amparo.accounts.sessions import session_touch

SEEN_KEY = "_amparo_seen"
TOUCH_EVERY_SECONDS = 60


class SessionActivityMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = getattr(request, "session", None)
        # Only requests that carry a session cookie can belong to a signed-in user; checking
        # the key first keeps anonymous requests free of a user lookup.
        if session is not None and session.session_key:
            user = request.user
            if user.is_authenticated and isinstance(user, User):
                now = int(time.time())
                if now - int(session.get(SEEN_KEY, 0)) >= TOUCH_EVERY_SECONDS:
                    session_touch(request=request, user=user)
                    session[SEEN_KEY] = now
        return self.get_response(request)
