"""Site-wide views: home, health check, attachment download."""

from __future__ import annotations

from urllib.parse import urlencode

from django.db import connection
from django.http import FileResponse, HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_GET

from amparo.core.errors import NotFound
from amparo.tickets.files import INLINE_SAFE_TYPES
from amparo.tickets.models import Attachment


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Agents work in the desk; everyone else (customers, visitors) starts at the portal."""
    if request.user.is_authenticated and getattr(request.user, "is_agent", False):
        return redirect("/desk/")
    return redirect("/portal/")


@require_GET
def health(request: HttpRequest) -> JsonResponse:
    from amparo.core.health import health_report

    report = health_report()
    return JsonResponse(report, status=200 if report["ok"] else 503)


def attachment_response(attachment: Attachment, *, inline: bool = False) -> FileResponse:
    """Serves an attachment so that it can never run as active content on our origin."""
    show_inline = inline and attachment.content_type in INLINE_SAFE_TYPES
    content_type = attachment.content_type if show_inline else "application/octet-stream"
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=not show_inline,
        filename=attachment.filename,
        content_type=content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    response["Cache-Control"] = "private, max-age=3600"
    return response


@require_GET
def attachment_download(request: HttpRequest, attachment_id: int) -> HttpResponseBase:
    from amparo.tickets.selectors import attachment_get_for_agent, attachment_get_for_customer

    user = request.user
    if not user.is_authenticated:
        # Most people following an attachment link signed out are customers (from an email or
        # an old tab); the portal's sign-in page links on to the desk's for agents.
        return redirect(f"{reverse('portal:sign_in')}?{urlencode({'next': request.path})}")
    try:
        if user.is_agent:  # type: ignore[union-attr]
            attachment = attachment_get_for_agent(agent=user, attachment_id=attachment_id)  # type: ignore[arg-type]
        else:
            contact = getattr(user, "contact", None)
            if contact is None:
                raise NotFound("")
            attachment = attachment_get_for_customer(contact=contact, attachment_id=attachment_id)
    except NotFound:
        return HttpResponse(status=404)
    return attachment_response(attachment, inline=request.GET.get("inline") == "1")


def database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    except Exception:
        return False
