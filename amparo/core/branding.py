"""/branding.css: the company's colours as CSS custom properties (CSP forbids inline styles)."""

from __future__ import annotations

import re

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from amparo.core.context_processors import DEFAULT_ACCENT, DEFAULT_PRIMARY, branding_get

HEX_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")


def _safe(color: str, default: str) -> str:
    # The value lands in a stylesheet: only a plain #rrggbb may pass.
    return color if HEX_COLOR.match(color or "") else default


@require_GET
def branding_css(request: HttpRequest) -> HttpResponse:
    brand = branding_get()
    primary = _safe(brand.primary_color, DEFAULT_PRIMARY)
    accent = _safe(brand.accent_color, DEFAULT_ACCENT)
    css = f":root {{ --brand-primary: {primary}; --brand-accent: {accent}; }}\n"
    response = HttpResponse(css, content_type="text/css; charset=utf-8")
    response["Cache-Control"] = "public, max-age=300"
    return response
