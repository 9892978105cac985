"""Template context shared by every page: the company's branding."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest

from amparo.core.models import SiteSettings

DEFAULT_PRIMARY = "#0f766e"
DEFAULT_ACCENT = "#f59e0b"


@dataclass(frozen=True)
class Branding:
    company_name: str
    primary_color: str
    accent_color: str
    logo_url: str


def branding_get() -> Branding:
    site = SiteSettings.objects.order_by("pk").first()
    if site is None:
        return Branding("Amparo", DEFAULT_PRIMARY, DEFAULT_ACCENT, "")
    return Branding(
        company_name=site.company_name or "Amparo",
        primary_color=site.primary_color or DEFAULT_PRIMARY,
        accent_color=site.accent_color or DEFAULT_ACCENT,
        logo_url=site.logo.url if site.logo else "",
    )


def branding(request: HttpRequest) -> dict[str, Any]:
    # Computed once per request even when several templates render.
    cached = getattr(request, "_amparo_branding", None)
    if cached is None:
        cached = branding_get()
        request._amparo_branding = cached  # type: ignore[attr-defined]
    return {"branding": cached}
