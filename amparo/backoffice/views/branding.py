"""Company name, logo, colours and support email."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from amparo.accounts.forms import add_domain_error
from amparo.backoffice import services
from amparo.backoffice.forms import BrandingForm
from amparo.backoffice.views.common import viewer
from amparo.core.auth import supervisor_required
from amparo.core.errors import DomainError


@supervisor_required
@require_http_methods(["GET", "POST"])
def branding(request: HttpRequest) -> HttpResponse:
    site = services.site_settings_get()
    initial = {
        "company_name": site.company_name,
        "primary_color": site.primary_color,
        "accent_color": site.accent_color,
        "support_email": site.support_email,
    }
    form = BrandingForm(request.POST or None, request.FILES or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            upload = data.pop("logo")
            logo_data = None
            if upload is not None:
                # Read one byte past the limit: enough for the service to refuse a big file
                # without holding all of it in memory.
                logo_data = upload.read(settings.BRANDING_LOGO_MAX_BYTES + 1)
            try:
                services.branding_update(
                    actor=viewer(request),
                    logo_name=upload.name if upload is not None else "",
                    logo_data=logo_data,
                    **data,
                )
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, _("The branding was saved."))
                return redirect("backoffice:branding")
        status = 400
    return render(request, "backoffice/branding.html", {"form": form, "site": site}, status=status)
