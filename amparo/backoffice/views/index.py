"""The entry page of /manage/."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from amparo.core.auth import supervisor_required


@supervisor_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "backoffice/index.html")
