"""The original .eml of a ticket message, for the agents who may see the ticket."""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpRequest, HttpResponse

from amparo.core.auth import agent_required
from amparo.core.errors import NotFound
from amparo.inbox.selectors import mail_get_for_agent


@agent_required
def message_original(request: HttpRequest, message_id: int) -> HttpResponse:
    try:
        mail = mail_get_for_agent(agent=request.user, message_id=message_id)  # type: ignore[arg-type]
    except NotFound as exc:
        raise Http404 from exc
    # Always a download: mail is active content we never render on our origin.
    response: HttpResponse = FileResponse(  # type: ignore[assignment]
        mail.raw.open("rb"),
        as_attachment=True,
        filename=f"message-{message_id}.eml",
        content_type="application/octet-stream",
    )
    return response
