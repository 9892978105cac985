"""Who may use which portal page, and the visitor's network address."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast
from urllib.parse import urlencode

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from amparo.portal.selectors import contact_for_user

View = TypeVar("View", bound=Callable[..., HttpResponse])

DESK_URL = "/desk/"


def client_ip(request: HttpRequest) -> str | None:
    """The visitor's address; behind the configured proxy, the address the proxy saw."""
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        # The proxy appends the address it saw last; earlier entries are the client's to forge.
        last = forwarded.rsplit(",", 1)[-1].strip()
        if last:
            return last
    return request.META.get("REMOTE_ADDR") or None


def safe_next(request: HttpRequest, value: str | None) -> str:
    """``value`` when it is a path inside the portal (or an attachment), else the portal's home."""
    home = reverse("portal:home")
    if (
        value
        and value.startswith((home, "/attachments/"))
        and url_has_allowed_host_and_scheme(
            value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return value
    return home


def not_for_agents(view: View) -> View:
    """Agents have the desk; the portal is for customers and visitors."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated and getattr(request.user, "is_agent", False):
            return redirect(DESK_URL)
        return view(request, *args, **kwargs)

    return cast(View, wrapper)


def customer_required(view: View) -> View:
    """Signed-in customers only; sets ``request.contact``, the contact they act as."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = request.user
        if not user.is_authenticated:
            query = urlencode({"next": request.get_full_path()})
            url = f"{reverse('portal:sign_in')}?{query}"
            if request.headers.get("HX-Request"):
                # A poll after the session ended: navigate, do not swap the page into a part.
                response = HttpResponse(status=204)
                response["HX-Redirect"] = url
                return response
            return redirect(url)
        if getattr(user, "is_agent", False):
            return redirect(DESK_URL)
        contact = contact_for_user(user)  # type: ignore[arg-type]
        if contact is None:
            raise Http404
        request.contact = contact  # type: ignore[attr-defined]
        return view(request, *args, **kwargs)

    return cast(View, wrapper)
