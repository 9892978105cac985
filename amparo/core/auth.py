"""Access decorators for server-rendered pages.

Anonymous visitors go to the sign-in page with ``next``; signed-in people who are not agents
(or not supervisors) get a 404, like any object they may not see, so pages cannot be probed.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast
from urllib.parse import urlencode

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect

from amparo.accounts.models import Role

View = TypeVar("View", bound=Callable[..., HttpResponse])


def login_redirect(request: HttpRequest) -> HttpResponse:
    url = f"{settings.LOGIN_URL}?{urlencode({'next': request.get_full_path()})}"
    if request.headers.get("HX-Request"):
        # htmx would swap the sign-in page into a fragment; ask it to navigate instead.
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


def _require(check: Callable[[Any], bool]) -> Callable[[View], View]:
    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            user = request.user
            if not user.is_authenticated:
                return login_redirect(request)
            if not user.is_active or not check(user):
                raise Http404
            return view(request, *args, **kwargs)

        return cast(View, wrapper)

    return decorator


def is_supervisor(user: Any) -> bool:
    return getattr(user, "role", None) in (Role.ADMIN, Role.SUPERVISOR)


agent_required = _require(lambda user: bool(getattr(user, "is_agent", False)))
agent_required.__doc__ = "Only active agents (agents, supervisors, administrators) may enter."

supervisor_required = _require(is_supervisor)
supervisor_required.__doc__ = "Only supervisors and administrators may enter."
