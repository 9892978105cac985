"""The customer's account: a password for signing in without a link, and the language."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from amparo.core.errors import DomainError
from amparo.portal.access import customer_required, safe_next
from amparo.portal.forms import SetPasswordForm, add_domain_error
from amparo.portal.services import customer_language_set, customer_password_set


@customer_required
@require_http_methods(["GET", "POST"])
def account(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = SetPasswordForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                customer_password_set(user=user, password=form.cleaned_data["password"])  # type: ignore[arg-type]
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                update_session_auth_hash(request, user)  # type: ignore[arg-type]
                messages.success(request, _("Your password was saved."))
                return redirect("portal:account")
    context = {
        "form": form,
        "has_password": user.has_usable_password(),  # type: ignore[union-attr]
        "contact": request.contact,  # type: ignore[attr-defined]
    }
    return render(request, "portal/account.html", context, status=status)


@require_POST
def language(request: HttpRequest) -> HttpResponse:
    """Switches the language; a customer's choice is also kept on their account."""
    code = request.POST.get("language", "")
    response = redirect(safe_next(request, request.POST.get("next")))
    if code not in {c for c, _name in settings.LANGUAGES}:
        return response
    user = request.user
    if user.is_authenticated and not getattr(user, "is_agent", False):
        try:
            customer_language_set(user=user, language=code)  # type: ignore[arg-type]
        except DomainError:
            return response
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=365 * 24 * 3600,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )
    return response
