"""The entry page of /manage/."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from amparo.core.auth import supervisor_required
from amparo.inbox.selectors import quarantine_waiting_count


@supervisor_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    # Mailboxes, quarantine and webhooks live in the Django admin, which only administrators
    # (is_staff) may use: link there from here so they are found.
    may_admin = bool(getattr(request.user, "is_staff", False))
    return render(
        request,
        "backoffice/index.html",
        {"may_admin": may_admin, "quarantined": quarantine_waiting_count() if may_admin else 0},
    )
