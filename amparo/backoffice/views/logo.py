"""Serves the uploaded company logo, the one public file under MEDIA_ROOT.

Attachments have their own permission-checked view; only names the branding service writes
(logo-<hash>.<ext>) are answered here, so no other stored file can be fetched by guessing.
"""

from __future__ import annotations

import re

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest
from django.views.decorators.http import require_GET

LOGO_NAME = re.compile(r"^logo-[0-9a-f]{16}\.(png|jpg|gif|webp)$")
TYPES = {"png": "image/png", "jpg": "image/jpeg", "gif": "image/gif", "webp": "image/webp"}


@require_GET
def logo_file(request: HttpRequest, name: str) -> FileResponse:
    match = LOGO_NAME.match(name)
    path = f"branding/{name}"
    if match is None or not default_storage.exists(path):
        raise Http404
    response = FileResponse(default_storage.open(path, "rb"), content_type=TYPES[match.group(1)])
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    # The name changes with the content, so browsers may keep it for long.
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    return response
